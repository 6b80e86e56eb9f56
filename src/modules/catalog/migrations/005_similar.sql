-- Checks against duplicate construction (similar/): when a department drafts an entry, the
-- server lists the catalog's entries most similar to it by name and data items. One row per
-- check, written in the transaction that creates the entry, so the data bureau can see what
-- the drafter was shown, whether they confirmed it is not a duplicate, and why.
create table catalog.similar_checks (
  id uuid primary key,
  entry_id uuid not null references catalog.entries (id),
  checked_at timestamptz not null,
  actor_id uuid,
  actor_name text not null,
  actor_org_id uuid,
  -- The similar entries the server found at that moment, best first, as they were then:
  -- [{id, code, nameZh, nameEn, providerOrgId, status, score, nameScore, itemScore,
  --   matchedItems: [{draft, existing}], high}]. A snapshot: later edits do not change it.
  shown jsonb not null,
  -- The entry ids the editor said it showed the drafter.
  seen jsonb not null,
  -- The drafter confirmed these are not the same resource.
  acknowledged boolean not null,
  note text not null,
  -- The score from which an entry of another department had to be acknowledged.
  threshold real not null
);
create index similar_checks_entry_idx on catalog.similar_checks (entry_id, checked_at);
