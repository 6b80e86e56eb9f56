// Services' e-forms over HTTP: the service organization's administrator writes a draft
// service's form, audited; anyone else is refused; a stale version and a bad definition change
// nothing; a published service's form is frozen and is what the portal reads.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test-support/test-app.ts';
import { buildServiceBody } from '../catalog/test-fixtures.ts';
import { buildForm, field } from './test-fixtures.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(async () => t?.close());

const formRows = async () => (await t.services.database.db.selectFrom('services.forms').select(['service_id', 'version', 'definition']).orderBy('service_id').execute()).map((r) => JSON.stringify(r));

async function draftService(): Promise<{ id: string; code: string }> {
  const body = buildServiceBody(t.world.deptA.id);
  const created = await t.request('POST', '/api/services', { as: t.world.adminA, body });
  assert.equal(created.statusCode, 201, created.body);
  return { id: created.json.id, code: body.code };
}
const formUrl = (code: string) => `/api/services/${encodeURIComponent(code)}/form`;

describe("a service's e-form", () => {
  it("is written by the organization's administrator while a draft, read by staff, and audited", async () => {
    const service = await draftService();
    const empty = await t.request('GET', formUrl(service.code), { as: t.world.officerA });
    assert.equal(empty.statusCode, 200, empty.body);
    assert.deepEqual({ version: empty.json.version, fields: empty.json.fields, updatedAt: empty.json.updatedAt }, { version: 0, fields: [], updatedAt: null });

    const saved = await t.request('PUT', formUrl(service.code), { as: t.world.adminA, body: { version: 0, ...buildForm() } });
    assert.equal(saved.statusCode, 200, saved.body);
    assert.equal(saved.json.version, 1);
    assert.equal(saved.json.fields.length, 15);
    assert.deepEqual(saved.json.fields[0].prefill, { source: 'person', field: 'idNumber' });
    const again = await t.request('PUT', formUrl(service.code), { as: t.world.platformAdmin, body: { version: 1, ...buildForm({ sections: [], fields: [field('name', 'text')] }) } });
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(again.json.version, 2);
    const read = await t.request('GET', formUrl(service.code), { as: t.world.adminB });
    assert.deepEqual(read.json.fields, [{ key: 'name', type: 'text', labelZh: '字段name', labelEn: 'Field name', required: true }]);

    const audit = await t.services.database.db.selectFrom('audit.events').select(['action', 'detail']).where('subject_id', '=', service.id).where('action', '=', 'services.form.save').orderBy('seq').execute();
    assert.equal(audit.length, 2);
    assert.deepEqual((audit[0]!.detail as { prefilled: string[] }).prefilled, ['person.idNumber', 'person.name', 'person.birthDate']);
  });

  it('refuses anyone but the organization or the platform admin, and reads need a session', async () => {
    const service = await draftService();
    const body = { version: 0, ...buildForm() };
    assert.equal((await t.request('GET', formUrl(service.code))).statusCode, 401);
    assert.equal((await t.request('PUT', formUrl(service.code), { body })).statusCode, 401);
    assert.equal((await t.request('GET', '/api/service-forms/prefill-fields')).statusCode, 401);
    assert.equal((await t.request('PUT', formUrl(service.code), { as: t.world.adminB, body })).statusCode, 403, 'another organization');
    assert.equal((await t.request('PUT', formUrl(service.code), { as: t.world.officerA, body })).statusCode, 403, 'an officer');
    assert.equal((await t.request('GET', formUrl('NO-SUCH-SERVICE'), { as: t.world.officerA })).statusCode, 404);
    assert.equal((await t.request('PUT', formUrl('NO-SUCH-SERVICE'), { as: t.world.adminA, body })).statusCode, 404);
    assert.equal((await t.request('GET', formUrl(service.code), { as: t.world.officerA })).json.version, 0, 'nothing was written');
  });

  it('refuses a stale version: the first save and a later one', async () => {
    const service = await draftService();
    assert.equal((await t.request('PUT', formUrl(service.code), { as: t.world.adminA, body: { version: 0, ...buildForm() } })).statusCode, 200);
    const secondFirst = await t.request('PUT', formUrl(service.code), { as: t.world.adminA, body: { version: 0, ...buildForm() } });
    assert.equal(secondFirst.statusCode, 409);
    assert.equal(secondFirst.json.code, 'version_conflict');
    assert.equal((await t.request('PUT', formUrl(service.code), { as: t.world.adminA, body: { version: 1, sections: [], fields: [field('first', 'text')] } })).statusCode, 200);
    const stale = await t.request('PUT', formUrl(service.code), { as: t.world.adminA, body: { version: 1, sections: [], fields: [field('second', 'text')] }, headers: { 'accept-language': 'zh-CN' } });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.json.detail, /已被他人修改/);
    assert.equal((await t.request('GET', formUrl(service.code), { as: t.world.adminA })).json.fields[0].key, 'first');
  });

  it('refuses bad definitions by field, in both languages, writing nothing', async () => {
    const service = await draftService();
    const before = await formRows();
    const bad = buildForm();
    bad.fields[7] = { ...bad.fields[7]!, options: [] };
    bad.fields.push({ ...bad.fields[0]!, locked: false });
    const res = await t.request('PUT', formUrl(service.code), { as: t.world.adminA, body: { version: 0, ...bad }, headers: { 'accept-language': 'en' } });
    assert.equal(res.statusCode, 400, res.body);
    const fields = res.json.errors.map((e: { field: string }) => e.field);
    assert.ok(fields.includes('fields/7/options'), res.body);
    assert.ok(fields.includes('fields/15/key'), res.body);
    const zh = await t.request('PUT', formUrl(service.code), { as: t.world.adminA, body: { version: 0, sections: [], fields: [field('a', 'text', { labelEn: '' })] }, headers: { 'accept-language': 'zh-CN' } });
    assert.equal(zh.statusCode, 400);
    assert.match(zh.body, /英文标签/);
    for (const body of [{ version: 0, sections: [], fields: [{ ...field('a', 'text'), type: 'colour' }] }, { version: -1, sections: [], fields: [] }, { version: 0, fields: [] }, { version: 0, sections: [], fields: [field('a', 'text', { prefill: { source: 'moon', field: 'x' } as never })] }]) {
      assert.equal((await t.request('PUT', formUrl(service.code), { as: t.world.adminA, body })).statusCode, 400, JSON.stringify(body));
    }
    assert.deepEqual(await formRows(), before, 'nothing was written');
  });

  it("freezes a published service's form, and serves it to the portal only while published", async () => {
    const service = await draftService();
    assert.equal((await t.request('PUT', formUrl(service.code), { as: t.world.adminA, body: { version: 0, ...buildForm() } })).statusCode, 200);
    const forms = t.services.publicServices.forms;
    assert.equal(await forms.findPublished(service.code), undefined, 'a draft is nobody’s business outside its organization');
    await assert.rejects(forms.getPublished(service.code), { code: 'not_found' });

    assert.equal((await t.request('POST', `/api/services/${service.code}/publish`, { as: t.world.adminA, body: { version: 1 } })).statusCode, 200);
    const published = await forms.getPublished(service.code);
    assert.equal(published.version, 1);
    assert.equal(published.service.code, service.code);
    assert.equal(published.form.fields.length, 15);

    const frozen = await t.request('PUT', formUrl(service.code), { as: t.world.adminA, body: { version: 1, sections: [], fields: [field('a', 'text')] } });
    assert.equal(frozen.statusCode, 409);
    assert.equal(frozen.json.code, 'not_draft');
    assert.equal((await t.request('POST', `/api/services/${service.code}/withdraw`, { as: t.world.adminA, body: { version: 2 } })).statusCode, 200);
    assert.equal(await forms.findPublished(service.code), undefined);
    assert.equal((await t.request('PUT', formUrl(service.code), { as: t.world.adminA, body: { version: 1, sections: [], fields: [field('a', 'text')] } })).statusCode, 200, 'a withdrawn service is a draft again');
  });

  it('lists the registry fields a form may prefill', async () => {
    const res = await t.request('GET', '/api/service-forms/prefill-fields', { as: t.world.officerA });
    assert.equal(res.statusCode, 200);
    const birth = res.json.items.find((p: { source: string; field: string }) => p.source === 'person' && p.field === 'birthDate');
    assert.deepEqual(birth, { source: 'person', registry: 'population', field: 'birthDate', labelZh: '出生日期', labelEn: 'Date of birth', types: ['date'] });
    assert.ok(res.json.items.some((p: { source: string; field: string }) => p.source === 'enterprise' && p.field === 'creditCode'));
  });
});
