-- Field-level access rights: a right may name the fields of the service's answer its client
-- may have (a JSON array of names); null grants the whole answer, as before. The provider's
-- node tells its backend which fields a call was granted; the backend leaves out the rest.
alter table exchange.access_rights add column fields jsonb;
alter table exchange.access_rights add constraint access_rights_fields_array check (fields is null or (jsonb_typeof(fields) = 'array' and jsonb_array_length(fields) between 1 and 200));
