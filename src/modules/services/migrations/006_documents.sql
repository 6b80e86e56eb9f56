-- Documents an applicant uploads before submitting (GovStack Registration's POST /documents,
-- decision 0027): checked like any material, kept as the citizen's own for a limited time, and
-- copied into an application's materials (services.attachments) when a submission names them.
create table services.documents (
  id uuid primary key,
  citizen_id uuid not null,
  -- The service material the file is for (a key of the service's materials), named at upload.
  material_key text not null check (material_key ~ '^[a-z][a-zA-Z0-9]{0,39}$'),
  file_name text not null,
  media_type text not null,
  size int not null check (size > 0),
  sha256 text not null,
  content bytea not null,
  uploaded_at timestamptz not null,
  -- Past this a submission no longer finds the document, and the next upload removes it.
  expires_at timestamptz not null
);
create index documents_citizen_idx on services.documents (citizen_id, uploaded_at);
