-- Open data: the data of entries open to the public, published by their provider in
-- releases. Each release is a whole table (the rows as the data items describe them); older
-- releases stay, so the update history can be downloaded as it was.
create table catalog.open_releases (
  entry_id uuid not null references catalog.entries (id),
  release int not null check (release >= 1),
  -- The published metadata version whose data items the columns follow.
  entry_version int not null,
  -- [{key, name, nameEn, type}] in the items' order; each row's cells are in this order.
  columns jsonb not null,
  row_count int not null,
  -- Of the file as the provider sent it, so a reader can match a copy they hold.
  byte_size bigint not null,
  sha256 text not null,
  note text not null,
  published_at timestamptz not null,
  published_by text not null,
  primary key (entry_id, release)
);

create table catalog.open_release_rows (
  entry_id uuid not null,
  release int not null,
  row_no int not null,
  -- The row's values as a JSON array, in the release's column order.
  cells jsonb not null,
  primary key (entry_id, release, row_no),
  foreign key (entry_id, release) references catalog.open_releases (entry_id, release)
);
