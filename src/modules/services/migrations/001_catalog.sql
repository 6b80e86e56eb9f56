-- The service catalog (issue 8): each public service an organization provides, as its
-- service guide shows it. A service is edited as a draft and published as a whole; the
-- published guide is what the portal shows and what applications are made against.
create schema if not exists services;

create table services.services (
  id uuid primary key,
  -- The item code (事项编码): stable across versions; agents are authorized per item code.
  code text not null unique check (code ~ '^[0-9A-Za-z][0-9A-Za-z._:/-]{1,99}$'),
  version int not null check (version >= 1),
  status text not null check (status in ('draft', 'published', 'withdrawn')),
  kind text not null check (kind in ('licence', 'confirmation', 'payment', 'public_service')),
  org_id uuid not null,
  -- Joint handling: the other organizations whose review the service needs.
  joint_org_ids uuid[] not null default '{}',
  name_zh text not null,
  name_en text not null,
  summary_zh text not null,
  summary_en text not null,
  -- Bilingual lists: [{"zh": "...", "en": "..."}].
  legal_basis jsonb not null,
  conditions jsonb not null,
  -- [{"key", "nameZh", "nameEn", "required", "fetchable": {"registry", "field"} | null, "templateUrl", "sampleUrl"}]
  materials jsonb not null,
  -- [{"itemZh", "itemEn", "amountFen", "basisZh", "basisEn"}]; empty: free of charge.
  fees jsonb not null,
  statutory_days int not null check (statutory_days between 1 and 365),
  promised_days int not null check (promised_days between 1 and 365),
  visits int not null check (visits in (0, 1)),
  -- [{"qZh", "qEn", "aZh", "aEn"}]
  faqs jsonb not null,
  -- Portal life and business events the service belongs to (their slugs).
  events text[] not null default '{}',
  created_at timestamptz not null,
  updated_at timestamptz not null,
  published_at timestamptz,
  check (promised_days <= statutory_days)
);

create index services_org_idx on services.services (org_id);
create index services_status_idx on services.services (status);
