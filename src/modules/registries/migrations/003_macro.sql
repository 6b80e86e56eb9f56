-- The macroeconomic database: indicators, their observations by region (GB/T 2260 division
-- code) and period, and every value ever published for an observation with its provenance
-- (source, actor, reason, time), so "as published on date X" can be answered.
create table registries.macro_indicators (
  code text primary key,
  name_zh text not null,
  name_en text not null,
  unit_zh text not null,
  unit_en text not null,
  -- A annual (2024), Q quarterly (2024-Q3), M monthly (2024-07).
  frequency text not null check (frequency in ('A', 'Q', 'M')),
  -- How children roll up to their parent division.
  aggregation text not null check (aggregation in ('sum', 'mean', 'none')),
  decimals int not null check (decimals between 0 and 6),
  description_zh text not null default '',
  description_en text not null default '',
  version int not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

-- The current value of each observation; revision counts its published values.
create table registries.macro_observations (
  indicator text not null references registries.macro_indicators (code),
  region text not null check (region ~ '^[0-9]{6}$'),
  period text not null,
  value numeric not null,
  -- SDMX OBS_STATUS: A normal, P provisional, E estimated, F forecast, B break…
  status text not null,
  revision int not null,
  updated_at timestamptz not null,
  primary key (indicator, region, period)
);
create index macro_observations_period_idx on registries.macro_observations (indicator, period);

create table registries.macro_revisions (
  indicator text not null,
  region text not null,
  period text not null,
  revision int not null,
  value numeric not null,
  status text not null,
  -- Where the figure comes from: a publication, "workbench", "import sdmx-csv …".
  source text not null,
  actor_id uuid,
  actor_name text not null,
  reason text not null,
  published_at timestamptz not null,
  import_id uuid,
  primary key (indicator, region, period, revision),
  foreign key (indicator, region, period) references registries.macro_observations (indicator, region, period)
);
create index macro_revisions_published_idx on registries.macro_revisions (indicator, published_at);
