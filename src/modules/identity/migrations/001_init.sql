-- Staff accounts, browser sessions and API tokens.
create schema if not exists identity;

create table identity.users (
  id uuid primary key,
  username text not null,
  display_name text not null,
  org_id uuid not null references directory.organizations (id) deferrable initially immediate,
  roles text[] not null,
  password_hash text not null,
  password_changed_at timestamptz not null,
  must_change_password boolean not null default false,
  failed_attempts int not null default 0,
  locked_until timestamptz,
  active boolean not null default true,
  last_sign_in_at timestamptz,
  version int not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create unique index users_username_idx on identity.users (lower(username));
create index users_org_idx on identity.users (org_id);

-- Only a hash of the session id is stored: a leaked table does not leak live sessions.
create table identity.sessions (
  id_hash text primary key,
  user_id uuid not null references identity.users (id) deferrable initially immediate,
  csrf_token text not null,
  ip text,
  user_agent text,
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  ended_at timestamptz
);
create index sessions_user_idx on identity.sessions (user_id);

create table identity.api_tokens (
  id uuid primary key,
  user_id uuid not null references identity.users (id) deferrable initially immediate,
  name text not null,
  prefix text not null,
  token_hash text not null unique,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index api_tokens_user_idx on identity.api_tokens (user_id);
