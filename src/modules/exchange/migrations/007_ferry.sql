-- The zone ferry: what may cross between the internal and external networks, and what a
-- node has taken in from its one-way transfer directory.

-- A service's data classification decides whether its calls may cross zones.
alter table exchange.services add column classification text not null default 'internal'
  check (classification in ('public', 'internal', 'personal', 'sensitive'));

-- The crossing policy (central node): calls from a zone to a zone, for services matching a
-- pattern (an identifier, or a prefix ending in *), of the listed classifications. Nothing
-- crosses that no rule allows; answers cross back with their calls.
create table exchange.crossing_rules (
  id uuid primary key,
  from_zone text not null check (from_zone in ('internal', 'external', 'public')),
  to_zone text not null check (to_zone in ('internal', 'external', 'public')),
  service_pattern text not null,
  classifications jsonb not null,
  created_by_name text not null,
  created_at timestamptz not null,
  revoked_by_name text,
  revoked_at timestamptz
);

-- Every bundle a node imported, by its id: a replayed or duplicated bundle is refused, and an
-- import that stopped midway resumes from its state. 'delivering' marks a call handed to the
-- backend: after a crash it is answered as undelivered-or-unknown, never delivered twice.
create table exchange.ferry_inbox (
  id uuid primary key,
  peer text not null,
  seq bigint not null,
  kind text not null,
  x_road_id text,
  file text not null,
  state text not null check (state in ('received', 'delivering', 'done', 'rejected')),
  detail text,
  received_at timestamptz not null,
  done_at timestamptz
);
create index ferry_inbox_open_idx on exchange.ferry_inbox (received_at) where state in ('received', 'delivering');

-- The next sequence number of each outgoing channel, so the far side processes in order.
create table exchange.ferry_outbox (
  peer text primary key,
  next_seq bigint not null
);
