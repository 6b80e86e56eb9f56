-- The exchange registry: services offered by subsystems, global groups of clients, and
-- access rights (who may call which service, optionally only some methods and paths).
create schema if not exists exchange;

create table exchange.services (
  id uuid primary key,
  subsystem_id uuid not null,
  org_id uuid not null,
  -- INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE, as clients address it.
  identifier text not null unique,
  code text not null,
  backend_url text not null,
  openapi text,
  timeout_ms int not null check (timeout_ms between 100 and 600000),
  max_body_bytes bigint not null check (max_body_bytes between 1 and 1073741824),
  status text not null default 'active' check (status in ('active', 'inactive')),
  version int not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (subsystem_id, code)
);
create index services_org_idx on exchange.services (org_id);

create table exchange.groups (
  id uuid primary key,
  code text not null unique,
  description text not null default '',
  created_at timestamptz not null
);

create table exchange.group_members (
  group_id uuid not null references exchange.groups (id),
  -- A client identifier INSTANCE/CLASS/MEMBER/SUBSYSTEM.
  client text not null,
  added_at timestamptz not null,
  primary key (group_id, client)
);

create table exchange.access_rights (
  id uuid primary key,
  service_id uuid not null references exchange.services (id),
  client_kind text not null check (client_kind in ('subsystem', 'group')),
  -- The subsystem identifier, or the group code.
  client text not null,
  -- null: every method; otherwise GET, POST, …
  method text,
  -- null: every path; otherwise a pattern where * matches one segment and ** any rest.
  path_pattern text,
  granted_by_name text not null,
  granted_at timestamptz not null,
  revoked_by_name text,
  revoked_at timestamptz
);
create unique index access_rights_live_idx on exchange.access_rights (service_id, client_kind, client, coalesce(method, ''), coalesce(path_pattern, '')) where revoked_at is null;
create index access_rights_client_idx on exchange.access_rights (client) where revoked_at is null;
