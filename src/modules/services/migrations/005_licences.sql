-- Electronic licences (issue 8, GB/T 36901–36905): what an organization issues when it approves
-- an application. Each licence has its GB/T 36904 identifier and is sealed (a JWS, decision
-- 0006) with the issuing organization's seal over its canonical JSON; the seal covers every
-- column the sealed document is rebuilt from, so a changed row no longer verifies. Status
-- (revocation) is not sealed: it is what the issuer says about the licence now.
create table services.licences (
  id uuid primary key,
  -- 1.2.156.3005.2.{type}.{issuer}.{serial}.{version}.{check}
  identifier text not null unique check (identifier ~ '^1\.2\.156\.3005\.2\.[0-9A-Z]{21}\.[0-9A-Z]{18}\.[0-9A-Z]{1,40}\.[0-9]{3}\.[0-9A-Z]$'),
  type_code text not null,
  type_name_zh text not null,
  type_name_en text not null,
  service_code text not null,
  application_id uuid,
  issuer_org_id uuid not null,
  -- As the seal certificate names the issuer when the licence was sealed.
  issuer_credit_code text not null,
  issuer_name text not null,
  holder_kind text not null check (holder_kind in ('person', 'enterprise')),
  -- The holder's ID number (person) or unified social credit code (enterprise).
  holder_id text not null,
  holder_name text not null,
  holder_citizen_id uuid,
  -- [{"key", "labelZh", "labelEn", "value", "public"}]
  data jsonb not null,
  valid_from text not null check (valid_from ~ '^\d{4}-\d{2}-\d{2}$'),
  valid_until text check (valid_until ~ '^\d{4}-\d{2}-\d{2}$'),
  issued_at timestamptz not null,
  -- The sealed document: a flattened JWS whose payload is the canonical JSON of the licence.
  sealed text not null,
  seal_certificate text not null,
  status text not null check (status in ('valid', 'revoked')),
  revoked_at timestamptz,
  revocation_reason text,
  revoked_by text,
  check ((status = 'revoked') = (revoked_at is not null))
);

create index licences_issuer_idx on services.licences (issuer_org_id, issued_at desc);
create index licences_holder_idx on services.licences (holder_id);
create index licences_citizen_idx on services.licences (holder_citizen_id) where holder_citizen_id is not null;

-- The serials an issuer has given, per year: the next one is taken in the issuing transaction.
create table services.licence_serials (
  issuer_org_id uuid not null,
  year int not null,
  last int not null,
  primary key (issuer_org_id, year)
);
