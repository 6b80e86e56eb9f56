-- Nodes of the instance. The central node keeps the list of nodes (their addresses, zones,
-- authentication certificates and the members each hosts) and the registrations new nodes
-- send; every node keeps its own keys and, on a member node, its enrolment with the centre.

-- Central node: the instance's nodes. The central node itself is a row too (kept in step
-- with its configuration at start); a member is hosted by the node whose members list it,
-- and by the central node when none does.
create table exchange.nodes (
  name text primary key,
  url text not null,
  zone text not null check (zone in ('internal', 'external', 'public')),
  is_central boolean not null default false,
  members jsonb not null,
  auth_serial text not null,
  auth_certificate bytea not null,
  registration_id uuid,
  status text not null default 'active' check (status in ('active', 'inactive')),
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create unique index nodes_one_central_idx on exchange.nodes (is_central) where is_central;

-- Central node: what a node asked for when it joined, and what the operator decided. The
-- node proved it holds each key by signing the request with it.
create table exchange.node_registrations (
  id uuid primary key,
  name text not null,
  url text not null,
  zone text not null check (zone in ('internal', 'external', 'public')),
  members jsonb not null,
  auth_public_key bytea not null,
  member_keys jsonb not null,
  check_code text not null,
  status text not null check (status in ('pending', 'approved', 'rejected')),
  submitted_at timestamptz not null,
  submitted_from text,
  decided_by_name text,
  decided_at timestamptz,
  decision_note text,
  -- Issued at approval: {auth: base64 DER, members: [{member, certificate}]}.
  certificates jsonb,
  version int not null default 1
);
create unique index node_registrations_pending_idx on exchange.node_registrations (name) where status = 'pending';

-- Every node: its own keys for the exchange: the TLS authentication key ('auth') and, on a
-- member node, the signing key of each member it hosts ('member:<identifier>'). Private
-- keys are sealed with the master key, bound to the purpose.
create table exchange.node_keys (
  purpose text primary key,
  suite text not null,
  public_spki bytea not null,
  sealed_private jsonb not null,
  certificate bytea,
  serial text,
  created_at timestamptz not null
);

-- Member node: its registration with the central node, while it waits and after.
create table exchange.node_enrolment (
  id int primary key check (id = 1),
  registration_id uuid not null,
  check_code text not null,
  status text not null check (status in ('pending', 'approved', 'rejected')),
  submitted_at timestamptz not null,
  decided_at timestamptz,
  note text
);

-- How client systems prove to their node that they act for a subsystem: an API token (its
-- SHA-256), a TLS client certificate (its SHA-256 fingerprint) or a trusted source address
-- (an address or CIDR block, like X-Road's plain-HTTP connection type).
create table exchange.client_credentials (
  id uuid primary key,
  subsystem text not null,
  kind text not null check (kind in ('token', 'certificate', 'address')),
  value text not null,
  label text not null default '',
  created_by_name text not null,
  created_at timestamptz not null,
  revoked_at timestamptz
);
create unique index client_credentials_live_idx on exchange.client_credentials (subsystem, kind, value) where revoked_at is null;
create index client_credentials_value_idx on exchange.client_credentials (kind, value) where revoked_at is null;
