// The GovStack Registration API's service operations, checked against the specification's
// response schemas: published services only, by name, by id; 404 in the spec's error shape;
// a published service's e-form, its schema a JSON Schema 2020-12 in the reader's language.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { createTestApp, type TestApp } from '../../../test-support/test-app.ts';
import { buildServiceBody } from '../catalog/test-fixtures.ts';
import { buildForm, buildFormData } from '../forms/test-fixtures.ts';

const spec = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'spec', 'registration-0.1.1.json'), 'utf8'));
const ajv = new Ajv({ strict: false, validateSchema: false, validateFormats: false, allErrors: true });
ajv.addSchema(spec, 'registration');
const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

function assertSpec(specPath: string, status: number, body: unknown): void {
  const validate = ajv.getSchema(`registration#/${pointer('paths', specPath, 'get', 'responses', String(status), 'content', 'application/json', 'schema')}`);
  assert.ok(validate, `the spec has a schema for GET ${specPath} ${status}`);
  assert.ok(validate(body), `GET ${specPath} ${status} fits the spec: ${ajv.errorsText(validate.errors)}`);
}

let t: TestApp;
let published: { id: string; code: string };
let draft: { id: string };
/** Published without a form; a draft with one. */
let formless: { id: string };
let draftWithForm: { id: string };
before(async () => {
  t = await createTestApp();
  const body = buildServiceBody(t.world.deptA.id, { nameZh: '注册测试事项', nameEn: 'Registration test service' });
  const created = await t.request('POST', '/api/services', { as: t.world.adminA, body });
  assert.equal((await t.request('PUT', `/api/services/${body.code}/form`, { as: t.world.adminA, body: { version: 0, ...buildForm() } })).statusCode, 200);
  assert.equal((await t.request('POST', `/api/services/${body.code}/publish`, { as: t.world.adminA, body: { version: 1 } })).statusCode, 200);
  published = { id: created.json.id, code: body.code };
  draft = (await t.request('POST', '/api/services', { as: t.world.adminA, body: buildServiceBody(t.world.deptA.id, { nameEn: 'Registration draft' }) })).json;
  const plain = buildServiceBody(t.world.deptA.id);
  formless = (await t.request('POST', '/api/services', { as: t.world.adminA, body: plain })).json;
  assert.equal((await t.request('POST', `/api/services/${plain.code}/publish`, { as: t.world.adminA, body: { version: 1 } })).statusCode, 200);
  const drafted = buildServiceBody(t.world.deptA.id);
  draftWithForm = (await t.request('POST', '/api/services', { as: t.world.adminA, body: drafted })).json;
  assert.equal((await t.request('PUT', `/api/services/${drafted.code}/form`, { as: t.world.adminA, body: { version: 0, ...buildForm() } })).statusCode, 200);
});
after(async () => t?.close());

describe('GovStack Registration: available services', () => {
  it('lists published services (no sign-in), filtered by name, in the spec’s shape', async () => {
    const all = await t.http.inject({ method: 'GET', url: '/govstack/registration/services', headers: { 'accept-language': 'en' } });
    assert.equal(all.statusCode, 200);
    const list = all.json() as { id: string; name: string; serviceBody: { code: string; value: string }[] }[];
    assertSpec('/services', 200, list);
    assert.ok(list.some((s) => s.id === published.id && s.name === 'Registration test service'));
    assert.ok(!list.some((s) => s.id === draft.id), 'drafts are not available to use');
    assert.ok(list.find((s) => s.id === published.id)!.serviceBody.some((p) => p.code === 'itemCode' && p.value === published.code));
    const byName = await t.http.inject({ method: 'GET', url: `/govstack/registration/services?name=${encodeURIComponent('注册测试')}` });
    assert.deepEqual((byName.json() as { id: string }[]).map((s) => s.id), [published.id]);
    const none = await t.http.inject({ method: 'GET', url: '/govstack/registration/services?name=nothing-like-this' });
    assert.deepEqual(none.json(), [], 'an empty array when none match');
  });

  it('returns one service by id, and 404 for a draft or an unknown id', async () => {
    const one = await t.http.inject({ method: 'GET', url: `/govstack/registration/services/${published.id}`, headers: { 'accept-language': 'zh-CN' } });
    assert.equal(one.statusCode, 200);
    assertSpec('/services/{serviceId}', 200, one.json());
    assert.equal(one.json().name, '注册测试事项');
    for (const id of [draft.id, '00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      const res = await t.http.inject({ method: 'GET', url: `/govstack/registration/services/${id}`, headers: { 'accept-language': 'en' } });
      assert.equal(res.statusCode, 404, id);
      assert.equal(res.json().code, 'service_not_found');
      assert.match(res.json().localizedMessage, /No published service/);
    }
  });
});

describe('GovStack Registration: e-forms', () => {
  it("lists a published service's e-form, and none for a service without one", async () => {
    const res = await t.http.inject({ method: 'GET', url: `/govstack/registration/services/${published.id}/eForms`, headers: { 'accept-language': 'zh-CN' } });
    assert.equal(res.statusCode, 200);
    assertSpec('/services/{serviceId}/eForms', 200, res.json());
    const [item, ...rest] = res.json() as { eFormId: string; name: string; version: string; latest: boolean }[];
    assert.deepEqual(rest, []);
    assert.equal(item!.name, '注册测试事项申请表');
    assert.equal(item!.version, '1');
    assert.equal(item!.latest, true);
    assert.equal((item as Record<string, unknown>).schema, undefined, 'the list items carry no schema');
    const none = await t.http.inject({ method: 'GET', url: `/govstack/registration/services/${formless.id}/eForms` });
    assert.equal(none.statusCode, 200);
    assert.deepEqual(none.json(), []);
    for (const id of [draft.id, draftWithForm.id, '00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      const missing = await t.http.inject({ method: 'GET', url: `/govstack/registration/services/${id}/eForms`, headers: { 'accept-language': 'en' } });
      assert.equal(missing.statusCode, 404, id);
      assert.equal(missing.json().code, 'service_not_found');
    }
  });

  it('returns an e-form by id with its JSON Schema in the reader’s language, which checks form data', async () => {
    const [item] = (await t.http.inject({ method: 'GET', url: `/govstack/registration/services/${published.id}/eForms` })).json() as { eFormId: string }[];
    const res = await t.http.inject({ method: 'GET', url: `/govstack/registration/eForms/${item!.eFormId}`, headers: { 'accept-language': 'en' } });
    assert.equal(res.statusCode, 200);
    assertSpec('/eForms/{eFormId}', 200, res.json());
    const eForm = res.json() as { eFormId: string; name: string; schema: Record<string, any> };
    assert.equal(eForm.eFormId, item!.eFormId);
    assert.equal(eForm.name, 'Application form: Registration test service');
    assert.equal(eForm.schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(eForm.schema.properties.name.title, 'Field name');
    assert.equal(eForm.schema.properties.name['x-egov-label-zh'], '字段name');
    assert.deepEqual(eForm.schema.properties.idNumber['x-egov-prefill'], { source: 'person', field: 'idNumber' });
    const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(eForm.schema);
    assert.equal(validate(buildFormData()), true, 'the published schema accepts good data');
    assert.equal(validate(buildFormData({ reason: 'holiday' })), false);
  });

  it("answers 404 for a draft's e-form and an unknown id", async () => {
    const row = await t.services.database.db.selectFrom('services.forms').select('id').where('service_id', '=', draftWithForm.id).executeTakeFirstOrThrow();
    for (const id of [row.id, '00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      const res = await t.http.inject({ method: 'GET', url: `/govstack/registration/eForms/${id}`, headers: { 'accept-language': 'zh-CN' } });
      assert.equal(res.statusCode, 404, id);
      assert.equal(res.json().code, 'eform_not_found');
      assert.match(res.json().localizedMessage, /没有编号为/);
    }
  });
});
