-- Staff TOTP (issue 7): a row per staff user who has started setting it up. The secrets are
-- sealed with the master key (platform/secret-box.ts), bound to the user, as citizens' are:
-- `secret` is the one in use (enabled_at says since when), `pending` a new one waiting for
-- its first code. last_step is the newest time step accepted, so no code is accepted twice.
create table identity.staff_totp (
  user_id uuid primary key references identity.users (id) deferrable initially immediate,
  secret jsonb,
  pending jsonb,
  enabled_at timestamptz,
  last_step bigint,
  updated_at timestamptz not null,
  check ((secret is null) = (enabled_at is null))
);
