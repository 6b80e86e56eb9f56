-- Applications for public services (issue 8), following the Administrative Licensing Law:
-- submitted → acceptance decision (accepted, not accepted, or supplements asked for all at once)
-- → review (a BPMN process; its tasks reach officers) → decision → licence.
create sequence if not exists services.application_numbers;

create table services.applications (
  id uuid primary key,
  -- The reference the applicant and the receipt quote (受理编号).
  number text not null unique,
  service_id uuid not null references services.services (id),
  service_code text not null,
  -- The guide's version the applicant was shown when applying.
  service_version int not null,
  org_id uuid not null,
  handling text not null check (handling in ('single', 'joint')),
  applicant_citizen_id uuid not null,
  -- Set when the applicant acts for an enterprise (its legal representative or authorized agent).
  enterprise_id uuid,
  enterprise_credit_code text,
  enterprise_name text,
  -- Shown to officers beside the task; the full data are in form_data.
  applicant_name text not null,
  -- The person applying, as verified at registration (a person's licence names its holder by it).
  applicant_person_name text not null,
  applicant_id_number text not null,
  status text not null check (status in ('draft', 'submitted', 'supplement_requested', 'not_accepted', 'in_review', 'approved', 'denied', 'withdrawn')),
  form_data jsonb not null,
  -- {field: {value, registry, exchangeId, readAt}}: what the platform fetched and the applicant confirmed.
  prefilled jsonb not null default '{}',
  idempotency_key text,
  -- Null while a draft.
  submitted_at timestamptz,
  -- The China date by which acceptance must be decided; past it the application counts as accepted.
  acceptance_due date,
  accepted_on date,
  deemed_accepted boolean not null default false,
  -- The acceptance, not-acceptance or supplement decision: who, when, what (reasons, items, agency).
  acceptance jsonb,
  -- The open supplement request: {items: [...], note, requestedAt}; null when none is open.
  supplement jsonb,
  -- The statutory clock (deadlines/approval-clock.ts) from acceptance on.
  clock jsonb,
  -- The decision's due date with extensions and suspensions; the inbox sorts by it.
  due_date date,
  process_key text,
  -- bpmn-engine's state: the review process resumes from it after a restart.
  process_state jsonb,
  decision text check (decision in ('approve', 'deny')),
  decision_reasons jsonb,
  decided_at timestamptz,
  licence_id uuid,
  rating text check (rating in ('good', 'poor')),
  rating_reason text,
  rated_at timestamptz,
  version int not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

-- A retried submission with the same key finds the first one instead of making another.
create unique index applications_idempotency_idx on services.applications (applicant_citizen_id, idempotency_key) where idempotency_key is not null;
create index applications_applicant_idx on services.applications (applicant_citizen_id, submitted_at desc);
create index applications_enterprise_idx on services.applications (enterprise_id, submitted_at desc) where enterprise_id is not null;
create index applications_org_status_idx on services.applications (org_id, status, submitted_at);

-- What happened to an application, for the dossier and the applicant's tracking page.
create table services.application_events (
  id uuid primary key,
  application_id uuid not null references services.applications (id),
  at timestamptz not null,
  -- {kind: 'citizen' | 'staff' | 'system', id, name}
  actor jsonb not null,
  type text not null,
  detail jsonb not null default '{}'
);
create index application_events_app_idx on services.application_events (application_id, at);

-- Materials uploaded with an application (checked for type, size and content before stored).
create table services.attachments (
  id uuid primary key,
  application_id uuid not null references services.applications (id),
  material_key text not null,
  file_name text not null,
  media_type text not null,
  size int not null check (size > 0),
  sha256 text not null,
  content bytea not null,
  uploaded_at timestamptz not null
);
create index attachments_app_idx on services.attachments (application_id);

-- Officers' work: one row per open step of an application (acceptance, a review step of its
-- process, a countersignature, a joint department's review). The inbox reads this table only.
create table services.tasks (
  id uuid primary key,
  application_id uuid not null references services.applications (id),
  -- The process's handle for the step (process/), or 'acceptance'.
  ref text not null,
  org_id uuid not null,
  -- The duty an officer must hold in that organization (services.duties), e.g. acceptor, reviewer.
  duty text not null,
  kind text not null,
  name_zh text not null,
  name_en text not null,
  status text not null check (status in ('open', 'claimed', 'done', 'cancelled')),
  assignee_id uuid,
  assignee_name text,
  -- Copied from the application so the inbox needs no join to sort and colour.
  due_date date,
  service_code text not null,
  application_number text not null,
  applicant_name text not null,
  outcome jsonb,
  -- A joint department's step that reached it through the exchange: the lead's joint-review
  -- service its outcome goes back to (null: a step of this node's own organization's process).
  reply_to text,
  version int not null default 1,
  created_at timestamptz not null,
  claimed_at timestamptz,
  done_at timestamptz
);
-- A step is opened once, however often its delivery is retried.
create unique index tasks_step_idx on services.tasks (application_id, ref);
create index tasks_inbox_idx on services.tasks (org_id, duty, status, due_date, created_at) where status in ('open', 'claimed');
create index tasks_app_idx on services.tasks (application_id);

-- Which duties an officer holds in their organization, given by its administrator.
create table services.duties (
  staff_id uuid not null,
  org_id uuid not null,
  duty text not null check (duty ~ '^[a-z][a-z_]{1,39}$'),
  granted_at timestamptz not null,
  primary key (staff_id, duty)
);

-- The sweep that accepts overdue acceptances a timer missed reads only this.
create index applications_acceptance_due_idx on services.applications (acceptance_due) where status = 'submitted';
