// The demo's licences: after the seed, market regulation's business licences verify on the
// portal (the expired one says so), and civil affairs' welfare system reads one through the
// exchange while the education department's system, without a right, is refused.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createApp, type EgovApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { localOperator } from '../platform/actor.ts';
import { openTestDatabase } from '../test-support/database.ts';
import { TEST_MASTER_KEY, TEST_PASSWORD } from '../test-support/factories.ts';
import { seedDemo } from './seed.ts';

let app: EgovApp;
let drop: () => Promise<void>;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-demo-licences-'));

before(async () => {
  const db = await openTestDatabase();
  drop = db.drop;
  const config = loadConfig({ NODE_ENV: 'test', EGOV_DATA_DIR: dataDir, EGOV_MASTER_KEY: TEST_MASTER_KEY, EGOV_EXCHANGE_LOG_TIMESTAMP_SECONDS: '0' });
  app = await createApp(config, { database: db.database });
  assert.ok((await seedDemo(app.services, TEST_PASSWORD)).seeded);
});
after(async () => {
  await app?.close();
  await drop?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('the demo business licences verify, and welfare reads one through the exchange; a system without a right cannot', async () => {
  const rows = await app.services.database.db.selectFrom('services.licences').select(['identifier', 'valid_until']).orderBy('identifier').execute();
  assert.equal(rows.length, 3);
  for (const row of rows) {
    const res = await app.http.inject({ method: 'GET', url: `/api/public/licences/${row.identifier}` });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().seal.verifies, true);
    assert.equal(res.json().status, row.valid_until ? 'expired' : 'valid');
  }
  const directory = app.services.directory.service;
  const orgs = await directory.listOrganizations();
  const amr = orgs.find((o) => o.nameEn.includes('Market Regulation'))!;
  const ca = orgs.find((o) => o.nameEn.includes('Civil Affairs'))!;
  const edu = orgs.find((o) => o.nameEn.includes('Education'))!;
  const licensing = (await directory.listSubsystems(amr.id)).find((s) => s.code === 'licensing')!;
  const welfare = (await directory.listSubsystems(ca.id)).find((s) => s.code === 'welfare')!;
  const enrolment = await directory.createSubsystem(localOperator('test'), edu.id, { code: 'enrolment', nameZh: '招生系统', nameEn: 'Enrolment' });
  const token = async (subsystem: string) => (await app.services.exchange.clientAuth.add(localOperator('test'), { subsystem, kind: 'token' })).token!;
  const read = async (client: string) =>
    app.http.inject({ method: 'GET', url: `/r1/${licensing.identifier}/licences/licences/${rows[0]!.identifier}`, headers: { 'x-road-client': client, authorization: `Bearer ${await token(client)}`, 'x-road-issue': '低保申请核验营业执照' } });
  const ok = await read(welfare.identifier);
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().identifier, rows[0]!.identifier);
  assert.equal(ok.json().seal.verifies, true);
  assert.equal((await read(enrolment.identifier)).statusCode, 403);
});
