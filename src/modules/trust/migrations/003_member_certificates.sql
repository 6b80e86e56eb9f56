-- Members' exchange signing certificates: the key a node holds for each member it hosts, to
-- sign that member's requests and responses.
alter table trust.certificates drop constraint certificates_profile_check;
alter table trust.certificates add constraint certificates_profile_check check (profile in ('root-ca', 'issuing-ca', 'signing', 'seal', 'tls', 'tsa', 'member'));
