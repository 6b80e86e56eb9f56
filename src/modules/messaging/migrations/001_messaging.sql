-- Messaging: who receives messages (accounts named by their sub), how they want them, the
-- messages themselves (the in-app inbox) and each message's delivery by channel.
create schema if not exists messaging;

-- An account that receives messages: staff:{userId}, citizen:{id}. Contacts are set by the
-- module that verified them (identity); the language picks the template text.
create table messaging.recipients (
  sub text primary key check (sub ~ '^[a-z]+:[A-Za-z0-9._-]{1,100}$'),
  language text not null default 'zh-CN' check (language in ('zh-CN', 'en')),
  email text,
  phone text,
  updated_at timestamptz not null
);

-- Channels a recipient wants per category; the in-app inbox is always on. No row: the defaults.
create table messaging.preferences (
  sub text not null references messaging.recipients (sub) on delete cascade,
  category text not null,
  email boolean not null,
  sms boolean not null,
  updated_at timestamptz not null,
  primary key (sub, category)
);

-- A message as rendered at send time, in the recipient's language. Sensitive ones (codes)
-- lose their body once every delivery is final.
create table messaging.messages (
  id uuid primary key,
  sub text not null references messaging.recipients (sub) on delete cascade,
  category text not null,
  template text not null,
  language text not null,
  subject text not null,
  body text not null,
  sensitive boolean not null default false,
  in_inbox boolean not null,
  created_at timestamptz not null,
  read_at timestamptz
);
create index messages_inbox_idx on messaging.messages (sub, created_at desc) where in_inbox;
create index messages_unread_idx on messaging.messages (sub) where in_inbox and read_at is null;

-- One row per message and channel. A row with next_attempt_at is still to be tried (queued, or
-- failed and waiting for its retry); lease_until keeps two senders off the same row, and a
-- lease left by a process that died runs out so the sweep tries again.
create table messaging.deliveries (
  id uuid primary key,
  message_id uuid not null references messaging.messages (id) on delete cascade,
  channel text not null check (channel in ('inbox', 'email', 'sms')),
  address text,
  status text not null check (status in ('queued', 'sent', 'failed', 'skipped')),
  reason text,
  attempts int not null default 0,
  next_attempt_at timestamptz,
  lease_until timestamptz,
  last_error text,
  sent_at timestamptz,
  updated_at timestamptz not null,
  unique (message_id, channel)
);
create index deliveries_due_idx on messaging.deliveries (next_attempt_at) where next_attempt_at is not null;
create index deliveries_failed_idx on messaging.deliveries (updated_at desc) where status = 'failed';
