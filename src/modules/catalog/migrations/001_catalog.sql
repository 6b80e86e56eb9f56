-- The government information resource catalog: entries with the national core metadata,
-- drafted by their provider department, reviewed by the data bureau, published in versions.

create schema if not exists catalog;

-- One row: which organization reviews entries (the data bureau) and the default answer
-- period of conditional share requests, in working days.
create table catalog.settings (
  id int primary key check (id = 1),
  reviewer_org_id uuid references directory.organizations (id),
  answer_working_days int not null default 10 check (answer_working_days between 1 and 60),
  updated_at timestamptz not null,
  updated_by text not null
);

-- A department's sub-item number in class 3 (department resources), assigned once.
create table catalog.department_numbers (
  org_id uuid primary key references directory.organizations (id),
  number int not null unique check (number between 1 and 999)
);

-- The last sequence number given under each classification code.
create table catalog.sequences (
  classification text primary key,
  last int not null
);

create table catalog.entries (
  id uuid primary key,
  code text not null unique,
  provider_org_id uuid not null references directory.organizations (id),
  -- draft: being written (also a published entry's next revision); submitted: waiting for
  -- review; published: its current metadata is the published version; rejected: sent back.
  status text not null check (status in ('draft', 'submitted', 'published', 'rejected')),
  -- The working copy; equal to published_metadata while status is published.
  metadata jsonb not null,
  -- Optimistic concurrency for edits of the working copy.
  version int not null,
  published_version int not null default 0,
  published_metadata jsonb,
  published_at timestamptz,
  -- Base entries are derived from a registry and kept in sync with its fields.
  source_registry text unique,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index entries_provider_idx on catalog.entries (provider_org_id);
create index entries_status_idx on catalog.entries (status);

create table catalog.entry_versions (
  entry_id uuid not null references catalog.entries (id),
  version int not null,
  metadata jsonb not null,
  published_at timestamptz not null,
  published_by text not null,
  note text not null,
  primary key (entry_id, version)
);

-- The editorial trail: submissions, approvals, rejections with their reasons.
create table catalog.reviews (
  id uuid primary key,
  entry_id uuid not null references catalog.entries (id),
  action text not null check (action in ('submit', 'approve', 'reject', 'sync')),
  actor_name text not null,
  actor_org_id uuid,
  comment text not null,
  at timestamptz not null
);
create index reviews_entry_idx on catalog.reviews (entry_id, at);
