import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { sql } from 'kysely';
import { after, before, test } from 'node:test';
import { MIGRATIONS, createApp, createServices, type EgovApp } from '../app.ts';
import { BACKUP_SCHEMAS } from '../cli/data-commands.ts';
import { loadConfig } from '../config.ts';
import { seedDemo } from '../demo/seed.ts';
import { CITIZEN_PASSWORD } from '../modules/identity/citizens/test-world.ts';
import { sampleFormData } from '../modules/services/forms/sample-data.ts';
import { closeTestDatabase, openMigratedTestDatabase, openTestDatabase, testDatabaseUrl, type TestDatabase } from '../test-support/database.ts';
import { createTestApp, type TestApp } from '../test-support/test-app.ts';
import { TEST_MASTER_KEY, TEST_PASSWORD, testSecretBox } from '../test-support/factories.ts';
import { BackupError, backup, restore } from './backup.ts';
import { manualClock } from './clock.ts';
import { openPglite } from './db.ts';
import { migrate, migrationNames } from './migrate.ts';

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

test('the backup covers every schema the migrations make, pg-boss left out; self-references can be deferred', async () => {
  const target = await freshTarget();
  const schemas = await target.database.rawTransaction((raw) =>
    raw.query<{ name: string }>(`select nspname as name from pg_namespace where nspname not like 'pg\_%' and nspname not in ('information_schema', 'public') order by 1`),
  );
  assert.deepEqual(schemas.map((s) => s.name).filter((s) => !BACKUP_SCHEMAS.includes(s)), []);
  for (const source of MIGRATIONS) assert.ok(BACKUP_SCHEMAS.includes(source.module), `${source.module}'s schema is backed up`);
  assert.ok(!BACKUP_SCHEMAS.includes('pgboss'), 'jobs are derived state (decision 0025)');
  // Rows are restored in key order, which need not put a parent first: a self-reference must wait for the commit.
  const stiff = await target.database.rawTransaction((raw) =>
    raw.query<{ name: string }>(
      `select conname as name from pg_constraint k join pg_namespace n on n.oid = k.connamespace
        where k.contype = 'f' and k.conrelid = k.confrelid and not k.condeferrable and n.nspname = any($1)`,
      [BACKUP_SCHEMAS],
    ),
  );
  assert.deepEqual(stiff, []);
});

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2048, 0x20)]).toString('base64');

async function call(app: EgovApp, method: string, url: string, options: { session?: { cookie: string; csrf: string }; body?: unknown } = {}) {
  const headers: Record<string, string> = options.session ? { cookie: options.session.cookie, 'x-csrf-token': options.session.csrf } : {};
  const res = await app.http.inject({ method: method as 'GET', url, headers, ...(options.body !== undefined ? { payload: options.body as object } : {}) });
  return { statusCode: res.statusCode, body: res.body, json: res.body ? JSON.parse(res.body) : undefined, headers: res.headers };
}

async function citizenSession(app: EgovApp, phone: string) {
  const res = await call(app, 'POST', '/api/citizen/session', { body: { login: phone, password: CITIZEN_PASSWORD } });
  assert.equal(res.statusCode, 200, res.body);
  return { cookie: String(res.headers['set-cookie']).split(';')[0], csrf: res.json.csrfToken as string };
}

async function apply(app: EgovApp, code: string, session: { cookie: string; csrf: string }): Promise<{ id: string; number: string }> {
  const service = await app.services.publicServices.catalog.get(code, { publishedOnly: true });
  const form = (await app.services.publicServices.forms.findPublished(code))!;
  const attachments = service.materials.filter((m) => !m.fetchable && m.required).map((m) => ({ materialKey: m.key, fileName: `${m.key}.pdf`, content: PDF }));
  const res = await call(app, 'POST', '/api/citizen/applications', { session, body: { serviceCode: code, formData: sampleFormData(form.form), attachments, submit: true } });
  assert.equal(res.statusCode, 201, `${code}: ${res.body.slice(0, 600)}`);
  return res.json;
}

const appConfig = (dataDir: string) =>
  loadConfig({ NODE_ENV: 'test', EGOV_DATA_DIR: dataDir, EGOV_MASTER_KEY: TEST_MASTER_KEY, EGOV_EXCHANGE_LOG_TIMESTAMP_SECONDS: '0', EGOV_SIGNIN_RATE_LIMIT: '1000' });

test('the demo with an online application restores on every database kind and carries on: new numbers, licences, audit chain, spatial answers', async () => {
  const sourceDb = await openTestDatabase();
  const dirs: string[] = [];
  const dataDir = () => {
    dirs.push(fs.mkdtempSync(path.join(os.tmpdir(), 'egov-backup-app-')));
    return dirs.at(-1)!;
  };
  const apps: EgovApp[] = [];
  const drops: (() => Promise<void>)[] = [sourceDb.drop];
  try {
    const demo = await createApp(appConfig(dataDir()), { database: sourceDb.database });
    apps.push(demo);
    assert.ok((await seedDemo(demo.services, TEST_PASSWORD)).seeded);
    // A citizen of the demo population applies online: materials (bytea), form data (jsonb), a number from the sequence.
    const { rows: people } = await sql<{ key: string; data: { name: string } }>`select key, data from registries.records where registry = 'population' and data->>'status' = 'living' order by key limit 1`.execute(demo.services.database.db);
    const phone = '13700009001';
    const registered = await call(demo, 'POST', '/api/citizen/register', { body: { idNumber: people[0].key, name: people[0].data.name, phone, email: 'backup@example.cn', password: CITIZEN_PASSWORD } });
    assert.equal(registered.statusCode, 201, registered.body);
    const before = await apply(demo, 'psb.residence-permit', await citizenSession(demo, phone));
    const numbers = (await demo.services.database.db.selectFrom('services.applications').select('number').execute()).map((r) => r.number);
    const licences = await demo.services.database.db.selectFrom('services.licences').select('identifier').execute();
    assert.ok(licences.length > 0);
    const feature = await demo.services.database.db.selectFrom('registries.geo_features').select(['min_x', 'min_y', 'max_x', 'max_y']).where('layer', '=', 'boundaries').orderBy('key').executeTakeFirstOrThrow();
    const point = { lon: (feature.min_x + feature.max_x) / 2, lat: (feature.min_y + feature.max_y) / 2 };
    const nearest = async (app: EgovApp) => (await app.services.registries.geo.service.nearest({ ...point, limit: 5 })).items.map((i) => `${i.layer}/${i.key}`);
    const nearBefore = await nearest(demo);

    const file = path.join(dir, 'demo.egov-backup');
    const summary = await backup(demo.services.database, BACKUP_SCHEMAS, file);
    const schemasWithRows = new Set(summary.tables.filter((t) => t.rows > 0).map((t) => t.name.split('.')[0]));
    assert.deepEqual(BACKUP_SCHEMAS.filter((s) => s !== 'platform' && !schemasWithRows.has(s)), [], 'every module has data in the demo backup');
    assert.deepEqual(summary.sequences.find((s) => s.name === 'services.application_numbers')?.isCalled, true);
    await demo.close();
    apps.pop();

    // Into a fresh database of each kind: from PostgreSQL also into PGlite (moving back to the embedded database).
    const kinds = testDatabaseUrl() ? (['postgres', 'pglite'] as const) : (['pglite'] as const);
    for (const kind of kinds) {
      const target = kind === 'pglite' ? { database: await openPglite(undefined), drop: async () => {} } : await openTestDatabase();
      drops.push(target.drop);
      await migrate(target.database, MIGRATIONS);
      const restored = await restore(target.database, file, known);
      assert.deepEqual(restored.tables, summary.tables, kind);
      const app = await createApp(appConfig(dataDir()), { database: target.database });
      apps.push(app);

      const after = await apply(app, 'hrss.social-security-card', await citizenSession(app, phone));
      assert.ok(!numbers.includes(after.number), `${kind}: ${after.number} is new (restored: ${numbers.join(', ')})`);
      assert.ok(BigInt(after.number.slice(8)) > BigInt(before.number.slice(8)), `${kind}: ${after.number} runs on after ${before.number}`);
      const mine = await call(app, 'GET', `/api/citizen/applications/${before.id}`, { session: await citizenSession(app, phone) });
      assert.equal(mine.json.number, before.number);
      for (const { identifier } of licences) {
        const verified = await call(app, 'GET', `/api/public/licences/${identifier}`);
        assert.equal(verified.statusCode, 200, verified.body);
        assert.equal(verified.json.seal.verifies, true, `${kind}: licence ${identifier}`);
      }
      // What `egov verify` checks: the chain, on top of the rows written since the restore, and the latest anchor.
      assert.equal((await app.services.audit.verify()).ok, true);
      assert.notEqual((await app.services.trust.anchors.verifyLatest()).status, 'broken');
      // The PostGIS shapes are not in the backup: rebuilt where PostGIS is, the library elsewhere; the same answer.
      assert.deepEqual(await nearest(app), nearBefore, `${kind}: ${JSON.stringify(await app.services.registries.geo.service.spatialStatus())}`);
      await app.close();
      apps.pop();
    }
  } finally {
    for (const app of apps) await app.close();
    for (const drop of drops) await drop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
});
