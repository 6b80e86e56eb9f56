-- GovStack Digital Registries: the database API numbers its databases (/database/{id} takes an
-- integer), which registry names are not. Each record registry is given the next number when
-- the API first lists it, and the row is kept even after the registry is deleted, so a number
-- a client stored never comes to name another registry. The row also keeps what a client told
-- the database API that a RegistryDefinition has no place for (group, catalog, file name).
create table registries.govstack_databases (
  id int primary key check (id > 0),
  name text not null unique,
  group_name text,
  catalog_name text,
  filename text,
  creation_date text,
  modified_by_name text,
  modified_at timestamptz
);
