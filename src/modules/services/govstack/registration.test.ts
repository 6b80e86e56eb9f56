// The GovStack Registration API's service operations, checked against the specification's
// response schemas: published services only, by name, by id; 404 in the spec's error shape.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { createTestApp, type TestApp } from '../../../test-support/test-app.ts';
import { buildServiceBody } from '../catalog/test-fixtures.ts';

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
before(async () => {
  t = await createTestApp();
  const body = buildServiceBody(t.world.deptA.id, { nameZh: '注册测试事项', nameEn: 'Registration test service' });
  const created = await t.request('POST', '/api/services', { as: t.world.adminA, body });
  assert.equal((await t.request('POST', `/api/services/${body.code}/publish`, { as: t.world.adminA, body: { version: 1 } })).statusCode, 200);
  published = { id: created.json.id, code: body.code };
  draft = (await t.request('POST', '/api/services', { as: t.world.adminA, body: buildServiceBody(t.world.deptA.id, { nameEn: 'Registration draft' }) })).json;
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
