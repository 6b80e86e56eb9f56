-- The node's message log: one hash-chained row per side of every exchange, timestamped in
-- batches (one TSA token per batch over the Merkle root of the rows' hashes).
create table exchange.message_log (
  seq bigint primary key,
  x_road_id text not null,
  side text not null check (side in ('consumer', 'provider')),
  at timestamptz not null,
  client text not null,
  service text not null,
  method text not null,
  path text not null,
  query text not null,
  status int not null,
  error text,
  request_hash text not null,
  response_hash text not null,
  request_bytes bigint not null,
  response_bytes bigint not null,
  duration_ms int not null,
  user_id text,
  prev_hash text not null,
  hash text not null,
  batch_id bigint
);
create index message_log_id_idx on exchange.message_log (x_road_id);
create index message_log_service_idx on exchange.message_log (service, at);
create index message_log_unbatched_idx on exchange.message_log (seq) where batch_id is null;

create table exchange.log_head (
  id int primary key check (id = 1),
  seq bigint not null,
  hash text not null
);
insert into exchange.log_head (id, seq, hash) values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

create table exchange.log_batches (
  id bigint primary key,
  first_seq bigint not null,
  last_seq bigint not null,
  hash text not null check (hash in ('sha256', 'sm3')),
  root text not null,
  token bytea not null,
  created_at timestamptz not null
);

-- Rows are never changed or removed, except that a row is assigned to its timestamp batch once.
create function exchange.refuse_log_change() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' then
    if old.batch_id is null and new.batch_id is not null and (to_jsonb(old) - 'batch_id') = (to_jsonb(new) - 'batch_id') then
      return new;
    end if;
  end if;
  raise exception 'the exchange message log is append-only (% refused)', tg_op using errcode = '42501';
end;
$$;
create trigger message_log_append_only before update or delete on exchange.message_log
  for each row execute function exchange.refuse_log_change();
create trigger message_log_no_truncate before truncate on exchange.message_log
  for each statement execute function exchange.refuse_log_change();
