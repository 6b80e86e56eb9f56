// Share requests on the demo world, end to end: education asks public security for two
// items of the population registry's catalog entry (conditional: personal data); the answer
// is due in 10 working days; public security approves one item; the access right it becomes
// lets education's system read that field of a person through /r1, and nothing else; a
// revocation ends it. An unconditional resource is granted at once. An overdue request goes to
// the data bureau, which answers it. Refusals for other organizations, bad input named with
// nothing written, and the statistics.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createApp, type EgovApp } from '../../../app.ts';
import { loadConfig } from '../../../config.ts';
import { DEMO_TOTP_SECRET } from '../../../demo/dataset.ts';
import { seedDemo } from '../../../demo/seed.ts';
import { totpCodes } from '../../../test-support/totp-codes.ts';
import { localOperator } from '../../../platform/actor.ts';
import { manualClock } from '../../../platform/clock.ts';
import { openTestDatabase } from '../../../test-support/database.ts';
import { TEST_MASTER_KEY, TEST_PASSWORD } from '../../../test-support/factories.ts';

// Tuesday 1 December 2026, 10:00 in Beijing.
const clock = manualClock(new Date('2026-12-01T02:00:00Z'));
let app: EgovApp;
let drop: () => Promise<void>;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-requests-test-'));
let eduSystem: string;
let eduToken: string;
const sessions = new Map<string, { cookie: string; csrf: string }>();
const demoCode = totpCodes(DEMO_TOTP_SECRET, () => clock.now(), (ms) => clock.advance(ms));

before(async () => {
  const db = await openTestDatabase();
  drop = db.drop;
  const config = loadConfig({ NODE_ENV: 'test', EGOV_DATA_DIR: dataDir, EGOV_MASTER_KEY: TEST_MASTER_KEY, EGOV_EXCHANGE_LOG_TIMESTAMP_SECONDS: '0' });
  app = await createApp(config, { database: db.database, clock });
  assert.ok((await seedDemo(app.services, TEST_PASSWORD)).seeded);
  const directory = app.services.directory.service;
  const edu = (await directory.listOrganizations()).find((o) => o.nameEn.includes('Education'))!;
  eduSystem = (await directory.createSubsystem(localOperator('test'), edu.id, { code: 'enrolment', nameZh: '招生系统', nameEn: 'Enrolment' })).identifier;
  eduToken = (await app.services.exchange.clientAuth.add(localOperator('test'), { subsystem: eduSystem, kind: 'token' })).token!;
});
after(async () => {
  await app?.close();
  await drop?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function as(username: string, method: string, url: string, body?: unknown) {
  let session = sessions.get(username);
  if (!session) {
    // The demo's administrators have two-step sign-in on with the demo's published key.
    const totp = username.endsWith('.admin') ? { totp: await demoCode(username) } : {};
    const res = await app.http.inject({ method: 'POST', url: '/api/session', payload: { username, password: TEST_PASSWORD, ...totp } });
    assert.equal(res.statusCode, 200, res.body);
    session = { cookie: String(res.headers['set-cookie']).split(';')[0]!, csrf: res.json().csrfToken as string };
    sessions.set(username, session);
  }
  const res = await app.http.inject({ method: method as 'GET', url, headers: { cookie: session.cookie, 'x-csrf-token': session.csrf }, ...(body !== undefined ? { payload: body as object } : {}) });
  return { status: res.statusCode, json: res.body ? res.json() : undefined, body: res.body };
}

async function baseEntry(registry: string) {
  const res = await as('edu.officer', 'GET', '/api/catalog/entries?view=base');
  return (res.json.items as { id: string; code: string; sourceRegistry: string; metadata: { exchangeService: string; sharing: { type: string } } }[]).find((e) => e.sourceRegistry === registry)!;
}

const requestCount = async () => Number((await app.services.database.db.selectFrom('catalog.share_requests').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

/** A person of the demo population, by ID number. */
async function somePerson(): Promise<string> {
  const row = await app.services.database.db.selectFrom('registries.records').select('key').where('registry', '=', 'population').where('deleted_at', 'is', null).limit(1).executeTakeFirstOrThrow();
  return row.key;
}

async function readPerson(idNumber: string) {
  const entry = await baseEntry('population');
  const res = await app.http.inject({
    method: 'POST',
    url: `/r1/${entry.metadata.exchangeService}/data/population/1.0/read`,
    headers: { 'x-road-client': eduSystem, authorization: `Bearer ${eduToken}`, 'x-road-issue': '入学资格审核', 'content-type': 'application/json' },
    payload: JSON.stringify({ query: { content: { idNumber } } }),
  });
  return { status: res.statusCode, json: res.statusCode === 200 ? res.json() : undefined, body: res.body };
}

const request = (entryId: string, overrides: Record<string, unknown> = {}) => ({
  entryId,
  items: ['姓名', '出生日期'],
  purpose: '义务教育入学资格审核',
  legalBasis: '《中华人民共和国义务教育法》第十二条',
  periodFrom: '2026-12-01',
  periodTo: '2027-08-31',
  subsystem: eduSystem,
  ...overrides,
});

test('the base entries name the services the registries are published as', async () => {
  const population = await baseEntry('population');
  assert.equal(population.metadata.sharing.type, 'conditional');
  assert.match(population.metadata.exchangeService, /\/registries\/population$/);
});

test('a conditional request waits for the provider, is approved with fewer items, and the right lets the consumer read only them; revoking ends it', async () => {
  const entry = await baseEntry('population');
  const person = await somePerson();
  assert.equal((await readPerson(person)).status, 403, 'no right yet');
  const created = await as('edu.officer', 'POST', '/api/catalog/requests', request(entry.id));
  assert.equal(created.status, 201, created.body);
  assert.equal(created.json.status, 'pending');
  // 10 working days from Tuesday 1 December 2026: Tuesday 15 December.
  assert.deepEqual({ date: created.json.due.date, left: created.json.due.workingDaysLeft, confirmed: created.json.due.confirmed }, { date: '2026-12-15', left: 10, confirmed: true });
  const incoming = await as('psb.admin', 'GET', '/api/catalog/requests?box=incoming&status=pending');
  assert.ok((incoming.json.items as { id: string }[]).some((r) => r.id === created.json.id));

  // Only the provider answers; the consumer and a third department are refused, and nothing changes.
  assert.equal((await as('edu.admin', 'POST', `/api/catalog/requests/${created.json.id}/approve`, { version: 1 })).status, 403);
  assert.equal((await as('ca.admin', 'POST', `/api/catalog/requests/${created.json.id}/approve`, { version: 1 })).status, 404, 'a third department does not see it');
  assert.equal((await as('data.admin', 'POST', `/api/catalog/requests/${created.json.id}/approve`, { version: 1 })).status, 403, 'the data bureau answers only once it is overdue');
  const notRequested = await as('psb.admin', 'POST', `/api/catalog/requests/${created.json.id}/approve`, { version: 1, items: ['姓名', '民族'] });
  assert.equal(notRequested.status, 400);
  assert.equal(notRequested.json.errors[0].field, 'items[1]');

  const approved = await as('psb.admin', 'POST', `/api/catalog/requests/${created.json.id}/approve`, { version: 1, items: ['姓名'], reason: '仅提供姓名' });
  assert.equal(approved.status, 200, approved.body);
  assert.deepEqual(approved.json.grantedItems, ['姓名']);
  assert.ok(approved.json.rightIds.length > 0);
  const read = await readPerson(person);
  assert.equal(read.status, 200, read.body);
  const content = read.json.content as Record<string, unknown>;
  assert.ok(typeof content.name === 'string' && content.name.length > 0, 'the granted field is there');
  assert.equal(content.birthDate, undefined, 'birth date was asked for but not granted');
  assert.equal(content.ethnicity, undefined);
  assert.notEqual(content.idNumber, person, 'the ID number is masked');

  const noReason = await as('psb.admin', 'POST', `/api/catalog/requests/${created.json.id}/revoke`, { version: approved.json.version });
  assert.equal(noReason.status, 400);
  const revoked = await as('psb.admin', 'POST', `/api/catalog/requests/${created.json.id}/revoke`, { version: approved.json.version, reason: '核验完成' });
  assert.equal(revoked.status, 200, revoked.body);
  assert.equal(revoked.json.status, 'revoked');
  assert.equal((await readPerson(person)).status, 403, 'the right is gone');
});

test('an unconditional resource is granted at once; a resource shared whole must be asked for whole', async () => {
  const entry = await baseEntry('geospatial');
  assert.equal(entry.metadata.sharing.type, 'unconditional');
  const partial = await as('edu.officer', 'POST', '/api/catalog/requests', request(entry.id, { items: ['名称'] }));
  assert.equal(partial.status, 400);
  assert.equal(partial.json.errors[0].code, 'whole_resource');
  const created = await as('edu.officer', 'POST', '/api/catalog/requests', request(entry.id, { items: ['图层', '要素编码', '名称', '属性', '几何'] }));
  assert.equal(created.status, 201, created.body);
  assert.equal(created.json.status, 'approved');
  assert.equal(created.json.due, null);
  assert.ok(created.json.rightIds.length > 0);
});

test('bad requests are refused naming the field, and nothing is written', async () => {
  const entry = await baseEntry('population');
  const before = await requestCount();
  const cases: [Record<string, unknown>, string][] = [
    [{ items: [] }, 'items'],
    [{ items: ['身高'] }, 'items[0]'],
    [{ purpose: ' ' }, 'purpose'],
    [{ legalBasis: '' }, 'legalBasis'],
    [{ periodTo: '2026-02-30' }, 'periodTo'],
    [{ periodFrom: '2027-01-01', periodTo: '2026-12-31' }, 'periodTo'],
    [{ periodTo: '2026-11-30' }, 'periodTo'],
    [{ subsystem: 'EGOV-DEMO/GOV/123/nothing' }, 'subsystem'],
    [{ entryId: '00000000-0000-4000-8000-000000000000' }, 'entryId'],
  ];
  for (const [overrides, field] of cases) {
    const res = await as('edu.officer', 'POST', '/api/catalog/requests', request(entry.id, overrides));
    assert.equal(res.status, 400, `${field}: ${res.body}`);
    assert.ok((res.json.errors as { field: string }[]).some((e) => e.field === field), `${field} named: ${res.body}`);
  }
  // Another department's subsystem is not the consumer's to name.
  const directory = app.services.directory.service;
  const ca = (await directory.listOrganizations()).find((o) => o.nameEn.includes('Civil Affairs'))!;
  const welfare = (await directory.listSubsystems(ca.id)).find((s) => s.code === 'welfare')!;
  assert.equal((await as('edu.officer', 'POST', '/api/catalog/requests', request(entry.id, { subsystem: welfare.identifier }))).status, 400);
  // The provider asking for its own resource.
  assert.equal((await as('psb.officer', 'POST', '/api/catalog/requests', request(entry.id))).json.code, 'own_resource');
  assert.equal(await requestCount(), before);
  // Unauthenticated.
  for (const [method, url] of [['GET', '/api/catalog/requests?box=mine'], ['POST', '/api/catalog/requests'], ['GET', '/api/catalog/requests/statistics']] as const) {
    assert.equal((await app.http.inject({ method, url, ...(method === 'POST' ? { payload: {} } : {}) })).statusCode, 401, url);
  }
  assert.equal((await as('edu.officer', 'GET', '/api/catalog/requests?box=escalated')).status, 403, 'the escalated box is the data bureau’s');
});

test('an overdue request is escalated to the data bureau, which may answer it; the statistics count it', async () => {
  const entry = await baseEntry('population');
  const created = await as('edu.officer', 'POST', '/api/catalog/requests', request(entry.id, { purpose: '学籍核验' }));
  assert.equal(created.status, 201, created.body);
  clock.advance(13 * 24 * 3600 * 1000); // Monday 14 December: due the next day, not overdue
  assert.deepEqual(await app.services.catalogRequests.service.sweep(localOperator('test')), { escalated: 0, expired: 0 });
  clock.advance(2 * 24 * 3600 * 1000); // Wednesday 16 December: overdue
  assert.deepEqual(await app.services.catalogRequests.service.sweep(localOperator('test')), { escalated: 1, expired: 0 });
  clock.advance(24 * 3600 * 1000);
  sessions.clear(); // the sessions idled out while the clock ran
  const escalated = await as('data.admin', 'GET', '/api/catalog/requests?box=escalated');
  const mine = (escalated.json.items as { id: string; version: number; escalatedAt: string | null; due: { workingDaysLeft: number } }[]).find((r) => r.id === created.json.id)!;
  assert.ok(mine.escalatedAt);
  assert.ok(mine.due.workingDaysLeft < 0, `overdue: ${mine.due.workingDaysLeft}`);
  const rejected = await as('data.admin', 'POST', `/api/catalog/requests/${created.json.id}/reject`, { version: mine.version, reason: '用途不明确，请补充' });
  assert.equal(rejected.status, 200, rejected.body);
  assert.equal(rejected.json.status, 'rejected');
  const stats = await as('edu.officer', 'GET', '/api/catalog/requests/statistics');
  const psb = (stats.json as { organization: { nameEn: string }; received: number; approved: number; rejected: number; overdue: number; approvalRate: number }[]).find((s) => s.organization.nameEn.includes('Public Security'))!;
  assert.deepEqual({ received: psb.received, approved: psb.approved, rejected: psb.rejected, overdue: psb.overdue }, { received: 2, approved: 1, rejected: 1, overdue: 1 });
  assert.equal(psb.approvalRate, 0.5);
});

test('an approved share ends with its period: the sweep revokes the rights', async () => {
  const entry = await baseEntry('macroeconomic');
  const today = new Date(clock.now().getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  const created = await as('edu.officer', 'POST', '/api/catalog/requests', request(entry.id, { items: ['指标代码', '地区', '时期', '数值', '修订'], periodFrom: today, periodTo: today }));
  assert.equal(created.status, 201, created.body);
  assert.equal(created.json.status, 'approved', 'the macroeconomic database is shared unconditionally');
  clock.advance(2 * 24 * 3600 * 1000);
  sessions.clear();
  const swept = await app.services.catalogRequests.service.sweep(localOperator('test'));
  assert.equal(swept.expired, 1);
  const after = await as('edu.officer', 'GET', `/api/catalog/requests/${created.json.id}`);
  assert.equal(after.json.status, 'expired');
});
