// The catalog through its routes: a department drafts an entry (its resource code assigned
// per the national guide), submits it, the data bureau approves or rejects it; published
// versions; cross-organization refusals; bad metadata named with nothing written; base
// entries derived from the registries and kept in sync.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { localOperator } from '../../platform/actor.ts';
import { buildOrganization, buildUser } from '../../test-support/factories.ts';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.ts';
import { POPULATION } from '../registries/index.ts';
import { parseResourceCode } from './classification.ts';
import { buildEntryMetadata } from './test-fixtures.ts';

let t: TestApp;
/** An officer of a third department: neither the provider nor the data bureau. */
let outsider: TestUser;
before(async () => {
  t = await createTestApp();
  const deptC = await buildOrganization(t.services, { parentId: t.world.province.id, nameZh: '浙江省教育厅', nameEn: 'Zhejiang Education Department' });
  outsider = await buildUser(t.services, { orgId: deptC.id, roles: ['officer'], username: 'officer-c' });
  // deptB plays the data bureau.
  const res = await t.request('PUT', '/api/catalog/settings', { as: t.world.platformAdmin, body: { reviewerOrgId: t.world.deptB.id, answerWorkingDays: 10 } });
  assert.equal(res.statusCode, 200, res.body);
});
after(() => t.close());


const entryCount = async () => Number((await t.services.database.db.selectFrom('catalog.entries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

async function draft(as: TestUser = t.world.officerA, overrides: Record<string, unknown> = {}) {
  const res = await t.request('POST', '/api/catalog/entries', { as, body: { metadata: buildEntryMetadata(overrides) } });
  assert.equal(res.statusCode, 201, res.body);
  return res.json as { id: string; code: string; version: number; status: string; metadata: Record<string, unknown> };
}

test('routes ask for a signed-in user', async () => {
  const id = '00000000-0000-4000-8000-000000000000';
  for (const [method, url] of [
    ['GET', '/api/catalog/settings'],
    ['PUT', '/api/catalog/settings'],
    ['GET', '/api/catalog/entries'],
    ['POST', '/api/catalog/entries'],
    ['GET', `/api/catalog/entries/${id}`],
    ['GET', `/api/catalog/entries/${id}/history`],
    ['PUT', `/api/catalog/entries/${id}`],
    ['POST', `/api/catalog/entries/${id}/submit`],
    ['POST', `/api/catalog/entries/${id}/approve`],
    ['POST', `/api/catalog/entries/${id}/reject`],
    ['POST', '/api/catalog/base-entries/sync'],
  ] as const) {
    assert.equal((await t.request(method, url, { body: method === 'GET' ? undefined : {} })).statusCode, 401, `${method} ${url}`);
  }
});

test('a department drafts, submits, the data bureau publishes; another department sees only the published version', async () => {
  const entry = await draft();
  const parsed = parseResourceCode(entry.code);
  assert.ok(!('message' in parsed), entry.code);
  assert.match(entry.code, /^307\d{3}\/\d{6}$/, 'class 3, item 07, the department as sub-item, then the sequence');
  assert.equal(entry.status, 'draft');
  // A draft is the provider's and the reviewer's only.
  assert.equal((await t.request('GET', `/api/catalog/entries/${entry.id}`, { as: outsider })).statusCode, 404);
  const submitted = await t.request('POST', `/api/catalog/entries/${entry.id}/submit`, { as: t.world.officerA, body: { version: entry.version } });
  assert.equal(submitted.statusCode, 200, submitted.body);
  const queue = await t.request('GET', '/api/catalog/entries?status=submitted', { as: t.world.adminB });
  assert.ok((queue.json.items as { id: string }[]).some((e) => e.id === entry.id), 'in the review queue');
  const approved = await t.request('POST', `/api/catalog/entries/${entry.id}/approve`, { as: t.world.adminB, body: { version: submitted.json.version, comment: '同意发布' } });
  assert.equal(approved.statusCode, 200, approved.body);
  assert.equal(approved.json.status, 'published');
  assert.equal(approved.json.publishedVersion, 1);

  // A revision: the department works on a draft; others still see version 1.
  const revised = await t.request('PUT', `/api/catalog/entries/${entry.id}`, { as: t.world.officerA, body: { version: approved.json.version, metadata: buildEntryMetadata({ nameZh: '城乡低保对象名册' }) } });
  assert.equal(revised.statusCode, 200, revised.body);
  assert.equal(revised.json.status, 'draft');
  const seenByOthers = await t.request('GET', `/api/catalog/entries/${entry.id}`, { as: outsider });
  assert.equal(seenByOthers.statusCode, 200);
  assert.equal(seenByOthers.json.metadata.nameZh, '低保对象名册');
  // Stale: the version read before the revision.
  assert.equal((await t.request('PUT', `/api/catalog/entries/${entry.id}`, { as: t.world.officerA, body: { version: approved.json.version, metadata: buildEntryMetadata() } })).statusCode, 409);

  const resubmitted = await t.request('POST', `/api/catalog/entries/${entry.id}/submit`, { as: t.world.officerA, body: { version: revised.json.version } });
  const noReason = await t.request('POST', `/api/catalog/entries/${entry.id}/reject`, { as: t.world.adminB, body: { version: resubmitted.json.version } });
  assert.equal(noReason.statusCode, 400, 'a rejection says why');
  assert.equal(noReason.json.errors[0].field, 'comment');
  const rejected = await t.request('POST', `/api/catalog/entries/${entry.id}/reject`, { as: t.world.adminB, body: { version: resubmitted.json.version, comment: '请补充数据项说明' } });
  assert.equal(rejected.json.status, 'rejected');
  const again = await t.request('POST', `/api/catalog/entries/${entry.id}/submit`, { as: t.world.officerA, body: { version: rejected.json.version } });
  const published2 = await t.request('POST', `/api/catalog/entries/${entry.id}/approve`, { as: t.world.adminB, body: { version: again.json.version } });
  assert.equal(published2.json.publishedVersion, 2);
  assert.equal((await t.request('GET', `/api/catalog/entries/${entry.id}`, { as: outsider })).json.metadata.nameZh, '城乡低保对象名册');

  const history = await t.request('GET', `/api/catalog/entries/${entry.id}/history`, { as: t.world.officerA });
  assert.deepEqual((history.json.versions as { version: number }[]).map((v) => v.version), [2, 1]);
  assert.deepEqual((history.json.reviews as { action: string }[]).map((r) => r.action), ['submit', 'approve', 'submit', 'reject', 'submit', 'approve']);
  assert.deepEqual((await t.request('GET', `/api/catalog/entries/${entry.id}/history`, { as: outsider })).json.reviews, [], 'the review trail is not for others');

  // The views: department (class 3) and theme 03, where the entry is cross-listed.
  const dept = await t.request('GET', '/api/catalog/entries?view=department', { as: outsider });
  assert.ok((dept.json.items as { id: string }[]).some((e) => e.id === entry.id));
  const theme = await t.request('GET', '/api/catalog/entries?view=theme&theme=03', { as: outsider });
  assert.ok((theme.json.items as { id: string }[]).some((e) => e.id === entry.id));
  const otherTheme = await t.request('GET', '/api/catalog/entries?view=theme&theme=05', { as: outsider });
  assert.equal((otherTheme.json.items as { id: string }[]).some((e) => e.id === entry.id), false);
});

test('another department cannot edit or submit the entry, and only the data bureau reviews; nothing is written by a refusal', async () => {
  const entry = await draft();
  assert.equal((await t.request('PUT', `/api/catalog/entries/${entry.id}`, { as: t.world.adminB, body: { version: entry.version, metadata: buildEntryMetadata({ nameZh: '改' }) } })).statusCode, 403);
  assert.equal((await t.request('POST', `/api/catalog/entries/${entry.id}/submit`, { as: t.world.adminB, body: { version: entry.version } })).statusCode, 403);
  const submitted = await t.request('POST', `/api/catalog/entries/${entry.id}/submit`, { as: t.world.officerA, body: { version: entry.version } });
  for (const as of [t.world.officerA, t.world.adminA, t.world.platformAdmin, t.world.auditor]) {
    assert.equal((await t.request('POST', `/api/catalog/entries/${entry.id}/approve`, { as, body: { version: submitted.json.version } })).statusCode, 403, as.username);
  }
  for (const as of [t.world.adminA, t.world.adminB, t.world.securityAdmin]) {
    assert.equal((await t.request('PUT', '/api/catalog/settings', { as, body: { reviewerOrgId: t.world.deptA.id, answerWorkingDays: 5 } })).statusCode, 403, as.username);
    assert.equal((await t.request('POST', '/api/catalog/base-entries/sync', { as })).statusCode, 403, as.username);
  }
  const fresh = await t.request('GET', `/api/catalog/entries/${entry.id}`, { as: t.world.officerA });
  assert.deepEqual({ status: fresh.json.status, name: fresh.json.metadata.nameZh }, { status: 'submitted', name: '低保对象名册' });
  assert.equal((await t.request('GET', '/api/catalog/settings', { as: t.world.officerA })).json.reviewerOrgId, t.world.deptB.id);
});

test('bad metadata is refused naming the field, and nothing is written', async () => {
  const before = await entryCount();
  const cases: [Record<string, unknown>, string][] = [
    [{ nameZh: '' }, 'nameZh'],
    [{ classification: { class: '4', item: '01', subItem: '001' } }, 'classification.class'],
    [{ classification: { class: '2', item: '13', subItem: '001' } }, 'classification.item'],
    [{ classification: { class: '1', item: '01', subItem: '001' } }, 'classification.class'],
    [{ sharing: { type: 'conditional', condition: '', methods: ['api'] } }, 'sharing.condition'],
    [{ sharing: { type: 'none', methods: [] } }, 'sharing.basis'],
    [{ sharing: { type: 'sometimes', methods: ['api'] } }, 'sharing.type'],
    [{ dataItems: [] }, 'dataItems'],
    [{ dataItems: [{ name: '姓名', type: 'text' }] }, 'dataItems[0].type'],
    [{ relatedCodes: ['1-01-001'] }, 'relatedCodes[0]'],
    [{ updateCycle: 'hourly' }, 'updateCycle'],
    [{ themes: ['99'] }, 'themes[0]'],
    [{ open: { open: true } }, 'licence'],
    [{ exchangeService: 'not a service' }, 'exchangeService'],
  ];
  for (const [overrides, field] of cases) {
    const res = await t.request('POST', '/api/catalog/entries', { as: t.world.officerA, body: { metadata: buildEntryMetadata(overrides) } });
    assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
    assert.ok((res.json.errors as { field: string }[]).some((e) => e.field === field), `${field} named in ${res.body}`);
  }
  const zh = await t.request('POST', '/api/catalog/entries', { as: t.world.officerA, body: { metadata: buildEntryMetadata({ sharing: { type: 'none', methods: [] } }) }, headers: { 'accept-language': 'zh-CN' } });
  assert.match(zh.body, /不予共享的资源须写明法律/);
  const unknownReviewer = await t.request('PUT', '/api/catalog/settings', { as: t.world.platformAdmin, body: { reviewerOrgId: '00000000-0000-4000-8000-000000000000', answerWorkingDays: 10 } });
  assert.equal(unknownReviewer.statusCode, 400);
  assert.equal(unknownReviewer.json.errors[0].field, 'reviewerOrgId');
  assert.equal(await entryCount(), before);
});

test('base entries are derived from the registries, in sync with their fields and owner', async () => {
  await t.services.registries.catalog.install(localOperator('test'), POPULATION, t.world.deptA.id);
  const sync = await t.request('POST', '/api/catalog/base-entries/sync', { as: t.world.platformAdmin });
  assert.equal(sync.statusCode, 200, sync.body);
  const population = (sync.json as { registry: string; code: string; changed: boolean }[]).find((r) => r.registry === 'population');
  assert.deepEqual(population && { code: population.code, changed: population.changed }, { code: '101001/000001', changed: true });
  const base = await t.request('GET', '/api/catalog/entries?view=base', { as: outsider });
  const entry = (base.json.items as { id: string; code: string; metadata: { dataItems: { nameEn: string }[]; sharing: { type: string } }; provider: { id: string } }[]).find((e) => e.code === '101001/000001')!;
  assert.deepEqual(
    entry.metadata.dataItems.map((d) => d.nameEn),
    POPULATION.fields.map((f) => f.labelEn),
  );
  assert.equal(entry.metadata.sharing.type, 'conditional', 'personal data is shared on conditions');
  assert.equal(entry.provider.id, t.world.deptA.id);
  // Again: nothing changed. A new owner: a new version.
  assert.equal((await t.request('POST', '/api/catalog/base-entries/sync', { as: t.world.platformAdmin })).json.find((r: { registry: string }) => r.registry === 'population').changed, false);
  await t.services.registries.catalog.assignOwner(localOperator('test'), 'population', t.world.deptB.id);
  assert.equal((await t.request('POST', '/api/catalog/base-entries/sync', { as: t.world.platformAdmin })).json.find((r: { registry: string }) => r.registry === 'population').changed, true);
  const history = await t.request('GET', `/api/catalog/entries/${entry.id}/history`, { as: outsider });
  assert.deepEqual((history.json.versions as { version: number }[]).map((v) => v.version), [2, 1]);
  // A derived entry is not edited by hand.
  const owner = await t.request('PUT', `/api/catalog/entries/${entry.id}`, { as: t.world.adminB, body: { version: 2, metadata: buildEntryMetadata() } });
  assert.equal(owner.statusCode, 409);
  assert.equal(owner.json.code, 'derived_entry');
});
