-- Organization certificates: requests and the CA operator's decisions, seals, the TSA, and
-- audit anchors (timestamps over the audit chain head).
alter table trust.authorities drop constraint authorities_role_check;
alter table trust.authorities add constraint authorities_role_check check (role in ('root', 'issuing', 'tsa'));

-- Keys the platform generated for an organization (null for the CA's own keys).
alter table trust.keys add column org_id uuid;

alter table trust.certificates add column holder_user_id uuid;
alter table trust.certificates add column holder_name text;
-- For seal certificates: { name, holderName, imageType, imageBase64 }.
alter table trust.certificates add column seal jsonb;
alter table trust.certificates add column request_id uuid;
create index certificates_expiry_idx on trust.certificates (not_after) where revoked_at is null;

create table trust.certificate_requests (
  id uuid primary key,
  org_id uuid not null,
  profile text not null check (profile in ('signing', 'seal', 'tls')),
  suite text not null check (suite in ('ecdsa-p256-sha256', 'sm2-sm3')),
  holder_user_id uuid,
  holder_name text,
  node_name text,
  seal jsonb,
  -- The organization's own key (PKCS#10); null when the platform generates the key on approval.
  csr_der bytea,
  public_spki bytea,
  renews_serial text references trust.certificates (serial),
  status text not null check (status in ('pending', 'approved', 'rejected')),
  requested_by uuid,
  requested_by_name text not null,
  requested_at timestamptz not null,
  decided_by_name text,
  decided_at timestamptz,
  decision_note text,
  certificate_serial text references trust.certificates (serial),
  version int not null default 1
);
create index certificate_requests_status_idx on trust.certificate_requests (status, requested_at);
create index certificate_requests_org_idx on trust.certificate_requests (org_id, requested_at);

-- Each anchor is a timestamp token over the audit chain head at `seq`.
create table trust.audit_anchors (
  seq bigint primary key,
  head_hash text not null,
  token bytea not null,
  anchored_at timestamptz not null
);
