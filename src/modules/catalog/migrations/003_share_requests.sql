-- Share requests: a consumer department asks for a catalogued resource (the data items,
-- purpose, legal basis, period and the subsystem that will call it); the provider answers a
-- conditional one within a deadline in working days; an approval is access rights in the
-- exchange, revoked when the request expires or is revoked.
create table catalog.share_requests (
  id uuid primary key,
  entry_id uuid not null references catalog.entries (id),
  entry_code text not null,
  -- The published version the consumer read when asking.
  entry_version int not null,
  provider_org_id uuid not null references directory.organizations (id),
  consumer_org_id uuid not null references directory.organizations (id),
  consumer_subsystem text not null,
  items jsonb not null,
  granted_items jsonb,
  purpose text not null,
  legal_basis text not null,
  period_from date not null,
  period_to date not null,
  status text not null check (status in ('pending', 'approved', 'rejected', 'withdrawn', 'revoked', 'expired')),
  -- Conditional requests: the last day of the answer period (China date) and when it runs out.
  due_date date,
  due_at timestamptz,
  deadline_confirmed boolean,
  escalated_at timestamptz,
  answered_at timestamptz,
  answered_by text,
  answer_reason text not null default '',
  -- The exchange service and the access rights an approval created.
  service_identifier text not null,
  right_ids jsonb not null default '[]',
  created_by text not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version int not null
);
create index share_requests_provider_idx on catalog.share_requests (provider_org_id, status);
create index share_requests_consumer_idx on catalog.share_requests (consumer_org_id, status);
create index share_requests_due_idx on catalog.share_requests (due_at) where status = 'pending';
