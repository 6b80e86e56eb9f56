-- The natural resources and geospatial registry: layers (boundaries, parcels, natural-resource
-- features, points of interest) with their coordinate reference system, features as GeoJSON
-- with their bounding box in plain columns (the SQL prefilter of every spatial query; the
-- exact answer is computed in TypeScript, the same on PostgreSQL and PGlite, decision 0012),
-- and every version of every feature with its provenance (actor, reason, time).
create table registries.geo_layers (
  code text primary key,
  kind text not null check (kind in ('boundaries', 'parcels', 'resources', 'poi')),
  name_zh text not null,
  name_en text not null,
  -- Longitude/latitude only: EPSG:4490 (CGCS2000) or EPSG:4326 (WGS84).
  crs text not null check (crs in ('EPSG:4490', 'EPSG:4326')),
  sort int not null
);

insert into registries.geo_layers (code, kind, name_zh, name_en, crs, sort) values
  ('boundaries', 'boundaries', '行政区划界线', 'Administrative boundaries', 'EPSG:4490', 1),
  ('parcels', 'parcels', '地块', 'Land parcels', 'EPSG:4490', 2),
  ('resources', 'resources', '自然资源要素', 'Natural-resource features', 'EPSG:4490', 3),
  ('poi', 'poi', '兴趣点', 'Points of interest', 'EPSG:4490', 4);

-- The current state of each feature; a deleted feature keeps its row (deleted_at set) so its
-- key keeps its history and its version numbers go on if it is created again.
create table registries.geo_features (
  layer text not null references registries.geo_layers (code),
  key text not null,
  name text not null default '',
  properties jsonb not null,
  geometry jsonb not null,
  geometry_type text not null,
  min_x double precision not null,
  min_y double precision not null,
  max_x double precision not null,
  max_y double precision not null,
  area_m2 double precision not null,
  length_m double precision not null,
  version int not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  deleted_at timestamptz,
  primary key (layer, key)
);
create index geo_features_bbox_x_idx on registries.geo_features (layer, min_x, max_x) where deleted_at is null;
create index geo_features_bbox_y_idx on registries.geo_features (layer, min_y, max_y) where deleted_at is null;

create table registries.geo_feature_versions (
  layer text not null,
  key text not null,
  version int not null,
  -- null for a deletion.
  properties jsonb,
  geometry jsonb,
  operation text not null check (operation in ('create', 'update', 'delete', 'import')),
  actor_id uuid,
  actor_name text not null,
  reason text not null,
  changed_at timestamptz not null,
  import_id uuid,
  primary key (layer, key, version),
  foreign key (layer, key) references registries.geo_features (layer, key)
);
create index geo_feature_versions_changed_idx on registries.geo_feature_versions (changed_at);
