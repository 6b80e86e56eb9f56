-- The platform PKI: keys (sealed at rest), certificates and revocations.
create schema if not exists trust;

create table trust.keys (
  id uuid primary key,
  suite text not null check (suite in ('ecdsa-p256-sha256', 'sm2-sm3')),
  public_spki bytea not null,
  -- AES-256-GCM under a key derived from the master key; never returned by any API.
  sealed_private jsonb not null,
  created_at timestamptz not null
);

create table trust.certificates (
  serial text primary key,
  issuer_serial text references trust.certificates (serial) deferrable initially immediate,
  profile text not null check (profile in ('root-ca', 'issuing-ca', 'signing', 'seal', 'tls', 'tsa')),
  suite text not null,
  subject jsonb not null,
  org_id uuid,
  key_id uuid references trust.keys (id) deferrable initially immediate,
  not_before timestamptz not null,
  not_after timestamptz not null,
  der bytea not null,
  revoked_at timestamptz,
  revocation_reason text,
  created_at timestamptz not null
);
create index certificates_org_idx on trust.certificates (org_id);
create index certificates_revoked_idx on trust.certificates (revoked_at) where revoked_at is not null;

-- Which certificates are this instance's root and issuing CA.
create table trust.authorities (
  role text primary key check (role in ('root', 'issuing')),
  serial text not null references trust.certificates (serial) deferrable initially immediate
);

create table trust.crl_state (
  id int primary key check (id = 1),
  number bigint not null
);
insert into trust.crl_state (id, number) values (1, 0);
