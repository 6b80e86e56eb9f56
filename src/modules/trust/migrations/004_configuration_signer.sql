-- The key that signs the exchange's global configuration: a service certificate of the
-- instance, like the TSA's.
alter table trust.authorities drop constraint authorities_role_check;
alter table trust.authorities add constraint authorities_role_check check (role in ('root', 'issuing', 'tsa', 'configuration'));
alter table trust.certificates drop constraint certificates_profile_check;
alter table trust.certificates add constraint certificates_profile_check check (profile in ('root-ca', 'issuing-ca', 'signing', 'seal', 'tls', 'tsa', 'member', 'configuration'));
