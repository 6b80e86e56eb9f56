import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, test } from 'node:test';
import { MIGRATIONS, createServices } from '../app.ts';
import { BACKUP_SCHEMAS } from '../cli/data-commands.ts';
import { loadConfig } from '../config.ts';
import { closeTestDatabase, openMigratedTestDatabase, type TestDatabase } from '../test-support/database.ts';
import { createTestApp, type TestApp } from '../test-support/test-app.ts';
import { testSecretBox } from '../test-support/factories.ts';
import { BackupError, backup, restore } from './backup.ts';
import { manualClock } from './clock.ts';
import { migrationNames } from './migrate.ts';

let source: TestApp;
let dir: string;
const targets: TestDatabase[] = [];
const known = migrationNames(MIGRATIONS);

before(async () => {
  source = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-backup-'));
  await source.request('POST', `/api/organizations/${source.world.deptA.id}/subsystems`, { as: source.world.adminA, body: { code: 'backed-up', nameZh: '备份测试', nameEn: 'Backed up' } });
});
after(async () => {
  await source.close();
  for (const target of targets) await closeTestDatabase(target);
  fs.rmSync(dir, { recursive: true, force: true });
});

async function freshTarget(): Promise<TestDatabase> {
  const target = await openMigratedTestDatabase();
  targets.push(target);
  return target;
}

test('a backup restores into an empty database with every row, and the audit chain still verifies', async () => {
  const file = path.join(dir, 'full.egov-backup');
  const summary = await backup(source.services.database, BACKUP_SCHEMAS, file);
  assert.ok(summary.tables.find((t) => t.name === 'directory.organizations')!.rows >= 3);
  assert.ok(!fs.existsSync(`${file}.partial`));

  const target = await freshTarget();
  const restored = await restore(target.database, file, known);
  assert.deepEqual(restored.tables, summary.tables);
  const services = createServices({ config: loadConfig({ NODE_ENV: 'test' }), database: target.database, clock: manualClock(), box: testSecretBox() });
  const verify = await services.audit.verify();
  assert.equal(verify.ok, true);
  const sub = await services.directory.service.listSubsystems(source.world.deptA.id);
  assert.ok(sub.some((s) => s.code === 'backed-up'));
  // The restored database accepts new audited writes on top of the restored chain.
  await services.audit.record(target.database.db, { actor: { id: null, name: 'test', orgId: null }, action: 'test.after_restore', subjectType: null, subjectId: null, outcome: 'success' });
  assert.equal((await services.audit.verify()).ok, true);
});

test('a restore into a database that has data is refused and changes nothing', async () => {
  const file = path.join(dir, 'again.egov-backup');
  await backup(source.services.database, BACKUP_SCHEMAS, file);
  await assert.rejects(restore(source.services.database, file, known), (err: Error) => err instanceof BackupError && /not empty/.test(err.message));
});

test('a truncated or damaged file is refused and nothing is written', async () => {
  const file = path.join(dir, 'cut.egov-backup');
  await backup(source.services.database, BACKUP_SCHEMAS, file);
  const lines = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').trim().split('\n');
  const truncated = path.join(dir, 'truncated.egov-backup');
  fs.writeFileSync(truncated, zlib.gzipSync(lines.slice(0, -1).join('\n')));
  const target = await freshTarget();
  await assert.rejects(restore(target.database, truncated, known), /truncated/);

  // A row altered in the file no longer matches the trailer's digest: the restore rolls back.
  const tampered = path.join(dir, 'tampered.egov-backup');
  const altered = lines.map((l) => (l.includes('"directory.organizations"') ? l.replace('浙江省公安厅', '浙江省某某厅') : l));
  fs.writeFileSync(tampered, zlib.gzipSync(altered.join('\n')));
  await assert.rejects(restore(target.database, tampered, known), /Restore check failed for directory.organizations/);
  const count = await target.database.db.selectFrom('directory.organizations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.equal(Number(count.n), 0);

  const garbage = path.join(dir, 'garbage.egov-backup');
  fs.writeFileSync(garbage, 'not a backup');
  await assert.rejects(restore(target.database, garbage, known), /damaged/);
});

test('a backup from a newer egov is refused with advice', async () => {
  const file = path.join(dir, 'newer.egov-backup');
  await backup(source.services.database, BACKUP_SCHEMAS, file);
  const target = await freshTarget();
  await assert.rejects(restore(target.database, file, known.slice(0, 1)), /newer egov/);
});
