-- The catalog search index (search/): one row per published entry with what it is found and
-- shown by, and its terms as the analyzer cut them (Han words and bigrams, folded words),
-- written in the transaction that publishes the entry. Each process answers searches from an
-- in-memory copy and catches up by generation (search/store.ts, search/service.ts).

-- The index's generation: bumped under this row's lock by every transaction that writes
-- search_docs, so those transactions commit in generation order. The row is created by the
-- first write (no row: generation 0).
create table catalog.search_state (
  id int primary key check (id = 1),
  generation bigint not null
);

create table catalog.search_docs (
  entry_id uuid primary key references catalog.entries (id),
  -- The generation that wrote this row; readers load the rows above the one they have.
  generation bigint not null,
  code text not null,
  provider_org_id uuid not null,
  published_version int not null,
  published_at timestamptz not null,
  -- Facets: class (1 base, 2 theme, 3 department) and item, sharing type, open, format class, update cycle.
  class text not null,
  item text not null,
  sharing text not null,
  open boolean not null,
  format_class text not null,
  update_cycle text not null,
  name_zh text not null,
  name_en text not null,
  abstract_zh text not null,
  abstract_en text not null,
  -- Terms separated by spaces, by field (a name counts more than an abstract). Items: data
  -- items, keywords, themes, format type and the resource code.
  name_terms text not null,
  item_terms text not null,
  abstract_terms text not null
);
create index search_docs_generation_idx on catalog.search_docs (generation);
