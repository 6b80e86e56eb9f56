-- Message-log retention: rows older than the retention period move, whole timestamp batches
-- at a time, into hash-linked archive files (log-archive.ts). Each file is recorded here in
-- the same transaction that purges its rows, so the database always knows where every row
-- it no longer holds went, and verify-log can go on from the last archived row's hash.
create table exchange.log_archives (
  first_seq bigint primary key,
  last_seq bigint not null unique,
  file_name text not null unique,
  -- SHA-256 of the file as written; the next archive repeats it as prev_sha256.
  sha256 text not null,
  -- The previous archive's sha256, 64 zeros for the first archive.
  prev_sha256 text not null,
  -- The hash row first_seq links to, and the hash of row last_seq (row last_seq + 1 links to it).
  prev_hash text not null,
  last_hash text not null,
  row_count int not null,
  batch_count int not null,
  created_at timestamptz not null,
  check (last_seq >= first_seq)
);

-- Archive records are never changed or removed: they are what allowed the purge.
create function exchange.refuse_archive_change() returns trigger language plpgsql as $$
begin
  raise exception 'the exchange log archive records are append-only (% refused)', tg_op using errcode = '42501';
end;
$$;
create trigger log_archives_append_only before update or delete on exchange.log_archives
  for each row execute function exchange.refuse_archive_change();
create trigger log_archives_no_truncate before truncate on exchange.log_archives
  for each statement execute function exchange.refuse_archive_change();

-- As before, with one exception: a row may be deleted once a recorded archive holds it (its
-- seq is at most the last archived seq). Unarchived rows, updates and TRUNCATE stay refused.
create or replace function exchange.refuse_log_change() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' then
    if old.batch_id is null and new.batch_id is not null and (to_jsonb(old) - 'batch_id') = (to_jsonb(new) - 'batch_id') then
      return new;
    end if;
  elsif tg_op = 'DELETE' then
    if old.seq <= (select coalesce(max(last_seq), 0) from exchange.log_archives) then
      return old;
    end if;
  end if;
  raise exception 'the exchange message log is append-only (% refused)', tg_op using errcode = '42501';
end;
$$;
