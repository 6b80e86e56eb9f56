-- The OpenID Connect provider (decision 0019): its artefacts, its keys and its clients.

-- Sessions, grants, codes, tokens and interactions of oidc-provider, one row per artefact, so a
-- restart or a second replica keeps them. The payload is the provider's own JSON; grant_id,
-- uid and user_code are copied out of it for the provider's lookups.
create table identity.oidc_payloads (
  model text not null,
  id text not null,
  payload jsonb not null,
  grant_id text,
  uid text,
  user_code text,
  expires_at timestamptz,
  consumed_at timestamptz,
  primary key (model, id)
);
create index oidc_payloads_grant_idx on identity.oidc_payloads (grant_id) where grant_id is not null;
create index oidc_payloads_uid_idx on identity.oidc_payloads (uid) where uid is not null;
create index oidc_payloads_expires_idx on identity.oidc_payloads (expires_at) where expires_at is not null;

-- Signing keys (ES256, RS256) and the cookie-signing key, made on first start. The private
-- part is sealed with the master key; one live key per slot, so replicas starting together agree.
create table identity.oidc_keys (
  kid text primary key,
  slot text not null,
  public_jwk jsonb,
  private_sealed jsonb not null,
  created_at timestamptz not null,
  retired_at timestamptz
);
create unique index oidc_keys_live_slot_idx on identity.oidc_keys (slot) where retired_at is null;

-- Relying parties: one per business subsystem of the directory, registered by its organization.
create table identity.oidc_clients (
  client_id text primary key,
  subsystem_id uuid not null unique references directory.subsystems (id) deferrable initially immediate,
  org_id uuid not null references directory.organizations (id) deferrable initially immediate,
  redirect_uris text[] not null,
  post_logout_redirect_uris text[] not null,
  scopes text[] not null,
  auth_method text not null check (auth_method in ('client_secret_basic', 'private_key_jwt')),
  secret_sealed jsonb,
  jwks jsonb,
  id_token_alg text not null check (id_token_alg in ('ES256', 'RS256')),
  version int not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  secret_rotated_at timestamptz
);
create index oidc_clients_org_idx on identity.oidc_clients (org_id);
