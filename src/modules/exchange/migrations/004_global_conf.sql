-- The last verified copy of the instance's global configuration, as fetched from the central
-- node: a node keeps serving on it until it expires.
create table exchange.global_conf (
  id int primary key check (id = 1),
  content bytea not null,
  signature bytea not null,
  generated_at timestamptz not null,
  expires_at timestamptz not null,
  fetched_at timestamptz not null
);
