-- E-forms (issue 8): the form an applicant fills in to apply for a service, one per service.
-- It is written while the service is a draft and frozen while it is published, so an
-- application always matches the form its applicant was shown. Its own version guards
-- concurrent edits (a writer who read an older one gets 409).
create table services.forms (
  -- The GovStack Registration eFormId.
  id uuid primary key,
  service_id uuid not null unique references services.services (id),
  version int not null check (version >= 1),
  -- {"sections": [{key, labelZh, labelEn, hintZh?, hintEn?}], "fields": [{key, type, labelZh, labelEn, required, ...}]}
  definition jsonb not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
