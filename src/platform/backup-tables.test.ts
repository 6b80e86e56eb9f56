// Every kind of column a module may use comes back exactly from a backup, on each database and
// from one kind to the other (with DATABASE_URL set: PGlite → PostgreSQL and back). "Exactly"
// is PostgreSQL's own text form of each row, compared between source and target, so a value the
// backup changed in the same way on both sides of its digest (a rounded timestamp, a shifted
// date, a numeric's lost scale) is still caught.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, test } from 'node:test';
import { closeTestDatabase, openTestDatabase, testDatabaseUrl, type TestDatabase } from '../test-support/database.ts';
import { backup, restore } from './backup.ts';
import { openPglite, type Database, type DatabaseKind } from './db.ts';
import { migrate } from './migrate.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-backup-types-'));
const opened: TestDatabase[] = [];
after(async () => {
  for (const tdb of opened) await closeTestDatabase(tdb);
  fs.rmSync(dir, { recursive: true, force: true });
});

const KINDS: DatabaseKind[] = testDatabaseUrl() ? ['pglite', 'postgres'] : ['pglite'];

async function open(kind: DatabaseKind): Promise<Database> {
  const tdb: TestDatabase = kind === 'pglite' ? { database: await openPglite(undefined), url: undefined, drop: async () => {} } : await openTestDatabase();
  opened.push(tdb);
  await migrate(tdb.database, []);
  return tdb.database;
}

const SCHEMA = `
create schema backup_types;
create type backup_types.mood as enum ('calm', 'busy');
create domain backup_types.code as text check (value <> '');
create sequence backup_types.tickets start 100;
create sequence backup_types.untouched;
create table backup_types.everything (
  id int generated always as identity primary key,
  b boolean, i2 smallint, i8 bigint, n numeric, n2 numeric(12, 2), f8 double precision, f4 real,
  d date, ts timestamptz, tsl timestamp, iv interval, j jsonb, js json,
  u uuid, us uuid[], texts text[], grid int[], bin bytea,
  m backup_types.mood, c backup_types.code, ch char(3), vc varchar(10),
  shout text generated always as (upper(vc) || '!') stored
);
-- No primary key, duplicate rows, and labels whose order depends on the collation.
create table backup_types.no_key (label text, n int, tags jsonb);
-- Children before their parent in key order: a self-reference must be deferrable (backup.test.ts checks egov's).
create table backup_types.parent (code text primary key, parent text references backup_types.parent (code) deferrable);
`;

const ROWS = `
insert into backup_types.everything (b, i2, i8, n, n2, f8, f4, d, ts, tsl, iv, j, js, u, us, texts, grid, bin, m, c, ch, vc) values
  (true, -32768, 9007199254740993, 12345678901234567890.123456789012, 1.10, 'NaN', 'Infinity', '2026-01-01',
   '2026-01-01 00:00:00.123456+08', '1999-12-31 23:59:59.999999', '1 year 2 mons 3 days 04:05:06.789',
   '{"big": 123456789012345678901234567890, "pi": 3.14159265358979323846264, "s": "引号\\"\\\\", "nested": [1, {"z": null}]}',
   '{"b":1,  "a":2, "a":3}',
   '6f1c1d0e-3f0a-4c55-9d6e-0b8b6c2a7e11', '{6f1c1d0e-3f0a-4c55-9d6e-0b8b6c2a7e11,00000000-0000-0000-0000-000000000000}',
   array['a,b', 'q"uote', 'back\\slash', 'NULL', null, '', '{br}', '中文', ' padded '], '{{1,2},{3,4}}',
   '\\x00ff10ab', 'busy', 'X', 'ab', 'ten chars!'),
  (false, 0, -9223372036854775808, -0.000000000000000001, 0, '-0', '-Infinity', 'infinity',
   '-infinity', 'infinity', '-00:00:00.000001', '{}', '[]', null, '{}', '{}', '{}', '\\x', 'calm', 'Y', 'a', ''),
  (null, null, null, null, null, 4.9e-324, 1.17549435e-38, '0044-03-15 BC', '1900-01-01 00:05:43+08:05:43', null, null, 'null', 'null',
   null, null, null, null, null, null, null, null, null);
insert into backup_types.no_key values ('a', 1, '{"x": "b"}'), ('B', 1, null), ('é', 1, '{"x": "a"}'), ('中', 2, null), ('a', 1, '{"x": "b"}'), ('Z', null, '[1]');
insert into backup_types.parent values ('root', null), ('child', 'root'), ('Child', 'root');
select nextval('backup_types.tickets') from generate_series(1, 3);
`;

/** Each row as PostgreSQL prints it (every column, generated ones too), in a fixed order. */
async function rowsAsText(database: Database, table: string, order: string): Promise<string[]> {
  return database.rawTransaction(async (raw) => {
    await raw.exec("set local timezone = 'UTC'; set local datestyle = 'ISO, YMD'");
    return (await raw.query<{ t: string }>(`select t::text as t from ${table} t order by ${order}`)).map((r) => r.t);
  });
}

async function sequence(database: Database, name: string) {
  const [row] = await database.rawTransaction((raw) => raw.query<{ last_value: number; is_called: boolean }>(`select last_value, is_called from ${name}`));
  return row;
}

for (const from of KINDS) {
  for (const to of KINDS) {
    test(`every column type, a table without a key and the sequences come back exactly (${from} → ${to})`, async () => {
      const source = await open(from);
      await source.executeSql(SCHEMA);
      await source.executeSql(ROWS);
      const file = path.join(dir, `${from}-${to}.egov-backup`);
      const summary = await backup(source, ['platform', 'backup_types'], file);
      assert.deepEqual(
        summary.sequences.map((s) => [s.name, s.lastValue, s.isCalled]),
        [['backup_types.everything_id_seq', '3', true], ['backup_types.tickets', '102', true], ['backup_types.untouched', '1', false]],
      );

      const target = await open(to);
      await target.executeSql(SCHEMA);
      const restored = await restore(target, file, []);
      assert.deepEqual(restored.tables, summary.tables);
      for (const [table, order] of [['backup_types.everything', 'id'], ['backup_types.no_key', 't::text collate "C"'], ['backup_types.parent', 'code collate "C"']]) {
        assert.deepEqual(await rowsAsText(target, table, order), await rowsAsText(source, table, order), table);
      }
      // Sequences go on where the source's were: the identity column, a used one and an unused one.
      for (const name of ['backup_types.everything_id_seq', 'backup_types.tickets', 'backup_types.untouched']) {
        assert.deepEqual(await sequence(target, name), await sequence(source, name), name);
      }
      const [next] = (await target.executeSql("insert into backup_types.everything (c) values ('Z') returning id")).rows;
      assert.equal(next.id, 4);
      const [ticket] = (await target.executeSql("select nextval('backup_types.tickets')::int as n")).rows;
      assert.equal(ticket.n, 103);
    });
  }
}

// PGlite has no PostGIS: the test exists only where the run has PostgreSQL (CI installs PostGIS there).
if (KINDS.includes('postgres')) test('a PostGIS geometry column comes back exactly where the target has PostGIS', async (t) => {
  const source = await open('postgres');
  const [available] = (await source.executeSql("select count(*)::int as n from pg_available_extensions where name = 'postgis'")).rows;
  if (available.n === 0) return t.skip('PostGIS is not installed on this PostgreSQL server');
  const shapes = 'create extension if not exists postgis; create schema backup_geo; create table backup_geo.shapes (id int primary key, g geometry(Geometry, 4326), any_srid geometry)';
  await source.executeSql(shapes);
  await source.executeSql(`insert into backup_geo.shapes values
    (1, 'SRID=4326;POLYGON((120 30, 121.000000000001 30, 121 31.1234567890123, 120 30))', 'SRID=4490;POINT(120.123456789012 30.5 12.25)'),
    (2, 'SRID=4326;MULTILINESTRING((0 0, 1 1), (2 2, 3 3))', null)`);
  const file = path.join(dir, 'geo.egov-backup');
  await backup(source, ['platform', 'backup_geo'], file);
  const target = await open('postgres');
  await target.executeSql(shapes);
  await restore(target, file, []);
  assert.deepEqual(await rowsAsText(target, 'backup_geo.shapes', 'id'), await rowsAsText(source, 'backup_geo.shapes', 'id'));
  // Where PostGIS is absent the table cannot exist, and the restore says so (egov's own shapes
  // live outside the backed-up schemas for this reason and are rebuilt from GeoJSON: decision 0015).
  const without = await open('pglite');
  await assert.rejects(restore(without, file, []), /has table backup_geo.shapes, which this database does not have/);
});

test('a format 1 backup (values as the drivers parsed them) is still restored and checked', async () => {
  const legacy = 'create schema legacy; create table legacy.things (id int primary key, at timestamptz, tags text[], doc jsonb, bin bytea, n bigint)';
  const rows = [
    '{"at":"2026-01-01T00:00:00.123Z","bin":{"$base64":"AP8Q"},"doc":{"a":[1,"x"]},"id":1,"n":42,"tags":["a,b","q\\"uote",null]}',
    '{"at":null,"bin":null,"doc":null,"id":2,"n":null,"tags":[]}',
  ];
  const sha256 = crypto.createHash('sha256').update(rows.map((r) => `${r}\n`).join('')).digest('hex');
  const lines = [
    JSON.stringify({ format: 'egov-backup', version: 1, createdAt: '2026-11-26T00:00:00.000Z', source: 'pglite', schemas: ['platform', 'legacy'], migrations: [] }),
    ...rows.map((r) => `{"t":"legacy.things","r":${r}}`),
    JSON.stringify({ end: true, tables: [{ name: 'legacy.things', rows: 2, sha256 }] }),
  ];
  const file = path.join(dir, 'format-1.egov-backup');
  fs.writeFileSync(file, zlib.gzipSync(lines.join('\n')));
  for (const kind of KINDS) {
    const target = await open(kind);
    await target.executeSql(legacy);
    const restored = await restore(target, file, []);
    assert.deepEqual(restored.sequences, []);
    assert.deepEqual(await rowsAsText(target, 'legacy.things', 'id'), ['(1,"2026-01-01 00:00:00.123+00","{""a,b"",""q\\\\""uote"",NULL}","{""a"": [1, ""x""]}","\\\\x00ff10",42)', '(2,,{},,,)']);
  }
});
