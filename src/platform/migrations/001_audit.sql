-- Tamper-evident audit log. Rows are hash-chained; the chain head is one locked row so
-- that appends from any replica serialise and no two rows claim the same predecessor.
create schema if not exists audit;

create table audit.events (
  seq bigint primary key,
  at timestamptz not null,
  actor_id uuid,
  actor_name text not null,
  org_id uuid,
  action text not null,
  subject_type text,
  subject_id text,
  outcome text not null check (outcome in ('success', 'failure')),
  ip text,
  request_id text,
  detail jsonb not null default '{}'::jsonb,
  algorithm text not null check (algorithm in ('sha256', 'sm3')),
  prev_hash text not null,
  hash text not null
);
create index events_at_idx on audit.events (at);
create index events_actor_idx on audit.events (actor_name);
create index events_org_idx on audit.events (org_id);
create index events_action_idx on audit.events (action);

create table audit.chain_head (
  id int primary key check (id = 1),
  seq bigint not null,
  hash text not null
);
insert into audit.chain_head (id, seq, hash) values (1, 0, repeat('0', 64));

-- Nobody may change or remove history, whatever role the application runs as.
create function audit.refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit events are append-only (% refused)', tg_op using errcode = '42501';
end;
$$;
create trigger events_no_update before update or delete on audit.events
  for each row execute function audit.refuse_change();
create trigger events_no_truncate before truncate on audit.events
  for each statement execute function audit.refuse_change();
revoke update, delete, truncate on audit.events from public;
