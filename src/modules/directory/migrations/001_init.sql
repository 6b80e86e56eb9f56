-- The organization directory: the root of unified addressing.
create schema if not exists directory;
-- Foreign keys are deferrable so that a restore can load tables in any order inside one transaction.

create table directory.organizations (
  id uuid primary key,
  parent_id uuid references directory.organizations (id) deferrable initially immediate,
  -- Ancestor ids joined by '/', ending with this id: subtree checks are a prefix match.
  path text not null,
  identifier text not null unique,
  name_zh text not null,
  name_en text not null,
  credit_code text not null unique,
  division_code text not null,
  type text not null check (type in ('government', 'organ', 'institution', 'social_org', 'enterprise', 'other')),
  level text not null check (level in ('central', 'province', 'city', 'county')),
  status text not null default 'active' check (status in ('active', 'inactive')),
  version int not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index organizations_parent_idx on directory.organizations (parent_id);
create index organizations_path_idx on directory.organizations (path text_pattern_ops);
create index organizations_division_idx on directory.organizations (division_code);

create table directory.subsystems (
  id uuid primary key,
  org_id uuid not null references directory.organizations (id) deferrable initially immediate,
  code text not null,
  identifier text not null unique,
  name_zh text not null,
  name_en text not null,
  description text not null default '',
  status text not null default 'active' check (status in ('active', 'inactive')),
  version int not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (org_id, code)
);

-- Division codes this instance uses that are not in the national GB/T 2260 list.
create table directory.local_divisions (
  code text primary key check (code ~ '^[0-9]{6}$'),
  name text not null,
  level text not null check (level in ('province', 'city', 'county')),
  parent text
);
