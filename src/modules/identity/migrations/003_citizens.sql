-- Citizen accounts (really-named against the population registry), their interim browser
-- sessions, one-time codes, enterprises verified against the legal-entity registry and the
-- agents their legal representatives authorize. A deleted account keeps its row with every
-- personal field cleared: the record that it existed, when it was verified and deleted.
create table identity.citizens (
  id uuid primary key,
  status text not null check (status in ('active', 'deleted')),
  id_number text,
  name text,
  phone text,
  email text,
  password_hash text,
  password_changed_at timestamptz,
  failed_attempts int not null default 0,
  locked_until timestamptz,
  -- TOTP secrets are sealed with the master key (platform/secret-box.ts), bound to the row.
  totp_secret jsonb,
  totp_pending jsonb,
  totp_enabled_at timestamptz,
  totp_last_step bigint,
  verified_at timestamptz,
  -- The exchange message id of the population registry read that verified the real name.
  verification_exchange_id text,
  last_sign_in_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  deleted_at timestamptz,
  check (status = 'deleted' or (id_number is not null and name is not null and password_hash is not null and (phone is not null or email is not null))),
  check (status = 'active' or (id_number is null and name is null and phone is null and email is null and password_hash is null and totp_secret is null and totp_pending is null))
);
create unique index citizens_id_number_idx on identity.citizens (id_number) where id_number is not null;
create unique index citizens_phone_idx on identity.citizens (phone) where phone is not null;
create unique index citizens_email_idx on identity.citizens (lower(email)) where email is not null;

-- Interim until sign-in through the OpenID Connect provider lands; only hashes of ids are kept.
create table identity.citizen_sessions (
  id_hash text primary key,
  citizen_id uuid not null references identity.citizens (id) deferrable initially immediate,
  csrf_token text not null,
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  ended_at timestamptz
);
create index citizen_sessions_citizen_idx on identity.citizen_sessions (citizen_id);

-- One-time codes sent to a verified channel (password reset); only a hash of the code is kept.
create table identity.citizen_codes (
  id uuid primary key,
  citizen_id uuid not null references identity.citizens (id) deferrable initially immediate,
  purpose text not null check (purpose in ('password_reset')),
  channel text not null check (channel in ('phone', 'email')),
  code_hash text not null,
  attempts int not null default 0,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index citizen_codes_citizen_idx on identity.citizen_codes (citizen_id, purpose);

create table identity.enterprises (
  id uuid primary key,
  credit_code text not null,
  name text not null,
  legal_rep_id uuid not null references identity.citizens (id) deferrable initially immediate,
  status text not null check (status in ('active', 'closed')),
  verified_at timestamptz not null,
  verification_exchange_id text,
  created_at timestamptz not null,
  closed_at timestamptz
);
create unique index enterprises_credit_code_idx on identity.enterprises (credit_code) where status = 'active';
create index enterprises_legal_rep_idx on identity.enterprises (legal_rep_id);

-- An agent acts for an enterprise in one service until expires_at, or until revoked.
create table identity.enterprise_agents (
  id uuid primary key,
  enterprise_id uuid not null references identity.enterprises (id) deferrable initially immediate,
  agent_id uuid not null references identity.citizens (id) deferrable initially immediate,
  service_code text not null,
  expires_at timestamptz not null,
  granted_at timestamptz not null,
  revoked_at timestamptz
);
create index enterprise_agents_enterprise_idx on identity.enterprise_agents (enterprise_id);
create index enterprise_agents_agent_idx on identity.enterprise_agents (agent_id);

-- The in-process exchange client's API token for the identity subsystem, sealed.
create table identity.citizen_exchange_credentials (
  subsystem text primary key,
  credential_id uuid not null,
  token_sealed jsonb not null,
  created_at timestamptz not null
);
