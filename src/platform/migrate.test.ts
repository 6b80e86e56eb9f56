import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { openTestDatabase, type TestDatabase } from '../test-support/database.ts';
import { migrate, MigrationError } from './migrate.ts';

let tdb: TestDatabase;
let dir: string;
before(async () => {
  tdb = await openTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-migrations-'));
});
after(async () => {
  await tdb.database.close();
  await tdb.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('applies each file once, in order, and refuses a file edited after it ran', async () => {
  fs.writeFileSync(path.join(dir, '001_a.sql'), 'create schema sample; create table sample.t (i int);');
  fs.writeFileSync(path.join(dir, '002_b.sql'), 'insert into sample.t values (1); insert into sample.t values (2);');
  const first = await migrate(tdb.database, [{ module: 'sample', dir }]);
  assert.deepEqual(first.applied, ['sample/001_a.sql', 'sample/002_b.sql']);
  const second = await migrate(tdb.database, [{ module: 'sample', dir }]);
  assert.deepEqual([second.applied, second.alreadyApplied], [[], 2]);
  fs.writeFileSync(path.join(dir, '002_b.sql'), 'insert into sample.t values (3);');
  await assert.rejects(migrate(tdb.database, [{ module: 'sample', dir }]), MigrationError);
});

test('a failing migration leaves nothing behind', async () => {
  const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-bad-'));
  fs.writeFileSync(path.join(bad, '001_half.sql'), 'create schema half; create table half.t (i int); select no_such_function();');
  await assert.rejects(migrate(tdb.database, [{ module: 'half', dir: bad }]));
  const rows = await tdb.database.rawTransaction((raw) => raw.query("select 1 from information_schema.schemata where schema_name = 'half'"));
  assert.equal(rows.length, 0);
  fs.rmSync(bad, { recursive: true, force: true });
});
