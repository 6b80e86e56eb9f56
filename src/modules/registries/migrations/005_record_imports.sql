-- Bulk imports of record registries (CSV, JSON Lines, XLSX): what the importer needs beyond
-- the imports table of 001_engine to show live progress, to resume a batched import after a
-- crash, and to tell a running import from one whose process died.
alter table registries.imports
  -- refuse: a record that exists already is a problem of the report; update: a new version.
  add column on_existing text not null default 'refuse' check (on_existing in ('refuse', 'update')),
  add column phase text not null default 'validating' check (phase in ('validating', 'writing', 'finished')),
  -- The last row of the file (its row number) handled by a committed batch: a resumed
  -- import goes on after it. Written in the same transaction as the batch.
  add column resume_row int not null default 0,
  add column file_bytes bigint not null default 0,
  -- 0 to 1, for a progress bar: validation is the first 30 %, writing the rest.
  add column progress real not null default 0,
  add column created_rows int not null default 0,
  add column updated_rows int not null default 0,
  add column unchanged_rows int not null default 0,
  -- host:pid of the process running the import, so another one can tell it died.
  add column runner text;
