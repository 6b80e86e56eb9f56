// The service catalog over HTTP: the implementing organization's administrator writes a draft,
// checked as a whole (both languages, the law's time limits), publishes it and withdraws it;
// nobody else writes it; stale versions and bad input change nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test-support/test-app.ts';
import { buildServiceBody } from './test-fixtures.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(async () => t?.close());

const count = async () => (await t.services.database.db.selectFrom('services.services').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

describe('the service catalog', () => {
  it("lets the organization's administrator add a draft, publish it and withdraw it, each audited", async () => {
    const body = buildServiceBody(t.world.deptA.id);
    const created = await t.request('POST', '/api/services', { as: t.world.adminA, body });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json.status, 'draft');
    assert.equal(created.json.orgNameZh, t.world.deptA.nameZh);
    const published = await t.request('POST', `/api/services/${body.code}/publish`, { as: t.world.adminA, body: { version: 1 } });
    assert.equal(published.statusCode, 200, published.body);
    assert.equal(published.json.status, 'published');
    assert.ok(published.json.publishedAt);
    // A published guide is not edited in place.
    const edit = await t.request('PUT', `/api/services/${body.code}`, { as: t.world.adminA, body: { ...body, code: undefined, orgId: undefined, version: 2, nameEn: 'Renamed' } });
    assert.equal(edit.statusCode, 409, edit.body);
    const withdrawn = await t.request('POST', `/api/services/${body.code}/withdraw`, { as: t.world.adminA, body: { version: 2 } });
    assert.equal(withdrawn.statusCode, 200, withdrawn.body);
    assert.equal(withdrawn.json.status, 'draft');
    const actions = await t.services.database.db.selectFrom('audit.events').select('action').where('subject_id', '=', created.json.id).orderBy('seq').execute();
    assert.deepEqual(actions.map((a) => a.action), ['services.service.create', 'services.service.publish', 'services.service.withdraw']);
  });

  it('refuses writes from anyone but the organization or the platform admin, and reads need a session', async () => {
    const body = buildServiceBody(t.world.deptA.id);
    assert.equal((await t.request('POST', '/api/services', { body })).statusCode, 401);
    assert.equal((await t.request('GET', '/api/services')).statusCode, 401);
    assert.equal((await t.request('POST', '/api/services', { as: t.world.adminB, body })).statusCode, 403, 'another organization');
    assert.equal((await t.request('POST', '/api/services', { as: t.world.officerA, body })).statusCode, 403, 'an officer');
    const byPlatform = await t.request('POST', '/api/services', { as: t.world.platformAdmin, body });
    assert.equal(byPlatform.statusCode, 201, byPlatform.body);
    assert.equal((await t.request('POST', `/api/services/${body.code}/publish`, { as: t.world.adminB, body: { version: 1 } })).statusCode, 403);
    const read = await t.request('GET', `/api/services/${body.code}`, { as: t.world.officerA });
    assert.equal(read.statusCode, 200);
  });

  it('refuses bad guides by field, in both languages, writing nothing', async () => {
    const before = await count();
    const cases: [Record<string, unknown>, string][] = [
      [{ statutoryDays: 21 }, 'statutoryDays'],
      [{ promisedDays: 10, statutoryDays: 5 }, 'promisedDays'],
      [{ nameEn: '  ' }, 'nameEn'],
      [{ legalBasis: [] }, 'legalBasis'],
      [{ conditions: [{ zh: '条件', en: '' }] }, 'conditions/0'],
      [{ events: ['no-such-event'] }, 'events/0'],
      [{ code: 'has space' }, 'code'],
      [{ jointOrgIds: ['00000000-0000-4000-8000-000000000000'] }, 'jointOrgIds/0'],
    ];
    for (const [override, field] of cases) {
      const res = await t.request('POST', '/api/services', { as: t.world.adminA, body: buildServiceBody(t.world.deptA.id, override as never), headers: { 'accept-language': 'zh-CN' } });
      assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
      assert.ok(res.json.errors.some((e: { field: string }) => e.field === field), `${field}: ${res.body}`);
    }
    const materials = buildServiceBody(t.world.deptA.id).materials;
    const duplicate = await t.request('POST', '/api/services', { as: t.world.adminA, body: buildServiceBody(t.world.deptA.id, { materials: [materials[0]!, materials[0]!] }) });
    assert.equal(duplicate.statusCode, 400);
    assert.match(duplicate.body, /materials\/1\/key/);
    assert.equal(await count(), before, 'nothing was written');
    // Joint handling allows 45 working days.
    const joint = await t.request('POST', '/api/services', { as: t.world.adminA, body: buildServiceBody(t.world.deptA.id, { jointOrgIds: [t.world.deptB.id], statutoryDays: 45, promisedDays: 30 }) });
    assert.equal(joint.statusCode, 201, joint.body);
  });

  it('refuses a stale version and a taken item code', async () => {
    const body = buildServiceBody(t.world.deptA.id);
    assert.equal((await t.request('POST', '/api/services', { as: t.world.adminA, body })).statusCode, 201);
    assert.equal((await t.request('POST', '/api/services', { as: t.world.adminA, body })).statusCode, 409);
    const { code: _code, orgId: _org, ...content } = body;
    const first = await t.request('PUT', `/api/services/${body.code}`, { as: t.world.adminA, body: { ...content, version: 1, nameEn: 'First' } });
    assert.equal(first.statusCode, 200, first.body);
    const second = await t.request('PUT', `/api/services/${body.code}`, { as: t.world.adminA, body: { ...content, version: 1, nameEn: 'Second' } });
    assert.equal(second.statusCode, 409);
    assert.equal(second.json.code, 'version_conflict');
    assert.equal((await t.request('GET', `/api/services/${body.code}`, { as: t.world.adminA })).json.nameEn, 'First');
  });
});
