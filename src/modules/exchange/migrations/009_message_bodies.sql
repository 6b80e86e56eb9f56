-- Bodies of exchanges, kept only when EGOV_EXCHANGE_LOG_BODIES is on, sealed with the master
-- key (AES-256-GCM). They sit outside the hash chain: the signed metadata in the log already
-- carries each body's SHA-256, which is what proves a kept body is the one exchanged.
create table exchange.message_bodies (
  x_road_id text not null,
  side text not null check (side in ('consumer', 'provider')),
  part text not null check (part in ('request', 'response')),
  bytes bigint not null,
  -- false: the body was longer than EGOV_EXCHANGE_LOG_BODY_LIMIT and only its start is kept.
  complete boolean not null,
  sealed jsonb not null,
  kept_at timestamptz not null,
  primary key (x_road_id, side, part)
);
