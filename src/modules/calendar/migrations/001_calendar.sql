-- The working-day calendar: the State Council's yearly holiday arrangement, as data the
-- platform administrator can correct or extend (a year is published each November). Days
-- not listed follow the weekday rule (Monday to Friday are working days).
create schema if not exists calendar;

-- A year whose arrangement has been entered. Deadlines that reach into a year not listed
-- here are computed by the weekday rule and shown as unconfirmed.
create table calendar.years (
  year int primary key check (year between 1949 and 2200),
  source_zh text not null,
  source_en text not null,
  updated_at timestamptz not null,
  updated_by text not null
);

create table calendar.days (
  day date primary key,
  kind text not null check (kind in ('holiday', 'workday')),
  name_zh text not null,
  name_en text not null,
  updated_at timestamptz not null,
  updated_by text not null
);
