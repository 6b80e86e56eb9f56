-- Each side of an exchange is signed: the request metadata by the client member's key, the
-- response metadata by the provider member's key. The log keeps both, so an exchange can be
-- proven offline (egov exchange evidence).
alter table exchange.message_log add column request_meta text;
alter table exchange.message_log add column request_signature bytea;
alter table exchange.message_log add column request_signer text;
alter table exchange.message_log add column response_meta text;
alter table exchange.message_log add column response_signature bytea;
alter table exchange.message_log add column response_signer text;
