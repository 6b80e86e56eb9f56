-- Publish/subscribe (GovStack Information Mediator Pub/Sub): rooms are subsystems whose node
-- keeps their event types, events, subscriptions and each event's delivery to each
-- subscriber. A delivery row is written with its event, in one transaction: an accepted
-- event reaches every subscriber at least once, whatever stops in between.
create table exchange.pubsub_event_types (
  room text not null,
  event_type text not null,
  schema jsonb not null,
  created_by text not null,
  created_at timestamptz not null,
  primary key (room, event_type)
);

create table exchange.pubsub_events (
  id uuid primary key,
  room text not null,
  event_type text not null,
  sequence bigint not null,
  publisher text not null,
  -- A publisher's own key for the event (Idempotency-Key): publishing it again is a no-op.
  idempotency_key text,
  payload jsonb not null,
  published_at timestamptz not null,
  status text not null default 'active' check (status in ('active', 'stopped')),
  unique (room, event_type, sequence)
);
create unique index pubsub_events_idempotency_idx on exchange.pubsub_events (room, publisher, idempotency_key) where idempotency_key is not null;

create table exchange.pubsub_subscriptions (
  id uuid primary key,
  room text not null,
  event_type text not null,
  subscriber text not null,
  delivery text not null check (delivery in ('PUSH', 'PULL')),
  ttl_seconds int not null check (ttl_seconds between 1 and 31536000),
  fifo boolean not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  cancelled_at timestamptz
);
create unique index pubsub_subscriptions_live_idx on exchange.pubsub_subscriptions (room, event_type, subscriber) where cancelled_at is null;

create table exchange.pubsub_deliveries (
  event_id uuid not null references exchange.pubsub_events (id),
  subscription_id uuid not null references exchange.pubsub_subscriptions (id),
  state text not null check (state in ('pending', 'delivered', 'acked', 'expired', 'cancelled')),
  attempts int not null default 0,
  next_attempt_at timestamptz not null,
  delivered_at timestamptz,
  last_error text,
  primary key (event_id, subscription_id)
);
create index pubsub_deliveries_due_idx on exchange.pubsub_deliveries (next_attempt_at) where state in ('pending', 'delivered');
