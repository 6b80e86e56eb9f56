-- The registry engine: registries defined by a schema and owned by an organization, their
-- records with every version kept (provenance: source, actor, reason, time), the log of who
-- read whose record, and bulk imports with their progress and report.
create schema if not exists registries;

create table registries.registries (
  name text primary key,
  version text not null,
  -- The RegistryDefinition (fields, validators, sensitivity), as JSON.
  definition jsonb not null,
  owner_org_id uuid not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

-- The current state of each record; deleted records keep their row (and history) with
-- deleted_at set, so "as of" reads before the deletion still answer.
create table registries.records (
  registry text not null references registries.registries (name),
  key text not null,
  version int not null,
  data jsonb not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  deleted_at timestamptz,
  primary key (registry, key)
);

create table registries.record_versions (
  registry text not null,
  key text not null,
  version int not null,
  -- null for a deletion.
  data jsonb,
  operation text not null check (operation in ('create', 'update', 'event', 'delete', 'import')),
  source text not null,
  actor_id uuid,
  actor_name text not null,
  reason text not null,
  -- A life event (birth, death, move, marriage, divorce) or change record, when there is one.
  event jsonb,
  changed_at timestamptz not null,
  import_id uuid,
  primary key (registry, key, version)
);
create index record_versions_changed_idx on registries.record_versions (registry, changed_at);

-- Who read whose record: the data subject's view ("who read my data") and the GovStack
-- myPersonalDataUsage answer. Append-only, like the audit log.
create table registries.reads (
  id uuid primary key,
  registry text not null,
  subject_key text not null,
  -- INSTANCE/CLASS/MEMBER/SUBSYSTEM through the exchange; the staff account otherwise.
  consumer text not null,
  consumer_org_id uuid,
  reader_name text not null,
  purpose text,
  fields jsonb not null,
  channel text not null check (channel in ('workbench', 'exchange', 'govstack', 'cli')),
  x_road_id text,
  read_at timestamptz not null
);
create index reads_subject_idx on registries.reads (subject_key, read_at);

create function registries.reads_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'registries.reads is append-only';
end $$;
create trigger reads_no_update before update or delete on registries.reads
  for each row execute function registries.reads_append_only();

create table registries.imports (
  id uuid primary key,
  registry text not null references registries.registries (name),
  format text not null check (format in ('csv', 'jsonl', 'xlsx')),
  -- atomic: all rows or none; resumable: committed in batches, continued after a stop.
  mode text not null check (mode in ('atomic', 'resumable')),
  status text not null check (status in ('running', 'done', 'failed', 'interrupted')),
  file_name text not null,
  file_sha256 text not null,
  total_rows int,
  processed_rows int not null default 0,
  committed_rows int not null default 0,
  error_count int not null default 0,
  -- The validation report: [{row, field, code, message}], the first problems found.
  report jsonb not null default '[]',
  reason text not null,
  created_by_id uuid,
  created_by_name text not null,
  created_by_org_id uuid,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  finished_at timestamptz
);
create index imports_registry_idx on registries.imports (registry, created_at desc);
