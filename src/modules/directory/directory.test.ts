import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newCreditCode } from '../../test-support/factories.ts';
import { createTestApp, type TestApp } from '../../test-support/test-app.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

function orgBody(parentId: string | null, overrides: Record<string, unknown> = {}) {
  return { parentId, nameZh: '浙江省统计局', nameEn: 'Zhejiang Statistics Bureau', creditCode: newCreditCode('330000'), divisionCode: '330000', type: 'organ', ...overrides };
}

async function auditCount(action: string): Promise<number> {
  const row = await t.services.database.db.selectFrom('audit.events').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('POST /api/organizations', () => {
  test('a platform admin creates a department; it gets its identifier and an audit row', async () => {
    const before = await auditCount('directory.organization.create');
    const body = orgBody(t.world.province.id);
    const res = await t.request('POST', '/api/organizations', { as: t.world.platformAdmin, body });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json.identifier, `EGOV-DEMO/GOV/${body.creditCode}`);
    assert.equal(res.json.level, 'province');
    assert.equal(res.json.divisionName, '浙江省');
    assert.equal(res.json.status, 'active');
    assert.equal(await auditCount('directory.organization.create'), before + 1);
  });

  test('a wrong check character is a 400 naming creditCode, and nothing is written', async () => {
    const code = newCreditCode('330000');
    const wrong = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
    const before = await t.request('GET', '/api/organizations?status=all&limit=1', { as: t.world.platformAdmin });
    const res = await t.request('POST', '/api/organizations', { as: t.world.platformAdmin, body: orgBody(t.world.province.id, { creditCode: wrong }) });
    assert.equal(res.statusCode, 400);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(res.json.code, 'validation_failed');
    assert.deepEqual(res.json.errors.map((e: { field: string; code: string }) => [e.field, e.code]), [['creditCode', 'credit_code_check']]);
    const afterList = await t.request('GET', '/api/organizations?status=all&limit=1', { as: t.world.platformAdmin });
    assert.equal(afterList.json.total, before.json.total);
  });

  test('schema errors name the field: missing nameZh, unknown field, bad division format', async () => {
    const { nameZh: _omit, ...withoutName } = orgBody(t.world.province.id);
    const missing = await t.request('POST', '/api/organizations', { as: t.world.platformAdmin, body: withoutName });
    assert.equal(missing.statusCode, 400);
    assert.ok(missing.json.errors.some((e: { field: string }) => e.field === 'nameZh'), missing.body);
    const extra = await t.request('POST', '/api/organizations', { as: t.world.platformAdmin, body: { ...orgBody(t.world.province.id), colour: 'red' } });
    assert.equal(extra.statusCode, 400);
    assert.ok(extra.json.errors.some((e: { field: string }) => e.field === 'colour'), extra.body);
    const badDivision = await t.request('POST', '/api/organizations', { as: t.world.platformAdmin, body: orgBody(t.world.province.id, { divisionCode: '33' }) });
    assert.equal(badDivision.statusCode, 400);
    assert.ok(badDivision.json.errors.some((e: { field: string }) => e.field === 'divisionCode'));
  });

  test('rules: division outside the parent, unknown division, a non-government root, a credit code taken', async () => {
    const outside = await t.request('POST', '/api/organizations', { as: t.world.platformAdmin, body: orgBody(t.world.province.id, { divisionCode: '110000', creditCode: newCreditCode('110000') }) });
    assert.equal(outside.statusCode, 400);
    assert.equal(outside.json.errors[0].code, 'division_outside_parent');
    const unknown = await t.request('POST', '/api/organizations', { as: t.world.platformAdmin, body: orgBody(t.world.province.id, { divisionCode: '339999', creditCode: newCreditCode('339999') }) });
    assert.equal(unknown.statusCode, 400);
    assert.ok(unknown.json.errors.some((e: { code: string }) => e.code === 'division_unknown'));
    const root = await t.request('POST', '/api/organizations', { as: t.world.platformAdmin, body: orgBody(null) });
    assert.equal(root.statusCode, 400);
    assert.equal(root.json.errors[0].field, 'parentId');
    const taken = await t.request('POST', '/api/organizations', { as: t.world.platformAdmin, body: orgBody(t.world.province.id, { creditCode: t.world.deptA.creditCode }) });
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.json.code, 'credit_code_taken');
    assert.equal(taken.json.errors[0].field, 'creditCode');
  });

  test('a city government nests under the province and takes its level from the division code', async () => {
    const res = await t.request('POST', '/api/organizations', {
      as: t.world.platformAdmin,
      body: orgBody(t.world.province.id, { type: 'government', nameZh: '杭州市人民政府', nameEn: 'Hangzhou Municipal Government', divisionCode: '330100', creditCode: newCreditCode('330100') }),
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json.level, 'city');
    const inverted = await t.request('POST', '/api/organizations', {
      as: t.world.platformAdmin,
      body: orgBody(res.json.id, { type: 'government', nameZh: '错层政府', divisionCode: '330000', creditCode: newCreditCode('330000') }),
    });
    assert.equal(inverted.statusCode, 400);
    assert.ok(inverted.json.errors.some((e: { code: string }) => e.code === 'parent_level'));
  });

  test('an org admin may add under their own organization but not under another', async () => {
    const own = await t.request('POST', '/api/organizations', { as: t.world.adminA, body: orgBody(t.world.deptA.id, { nameZh: '公安厅信息中心', type: 'institution', creditCode: newCreditCode('330000', '12') }) });
    assert.equal(own.statusCode, 201, own.body);
    const other = await t.request('POST', '/api/organizations', { as: t.world.adminA, body: orgBody(t.world.deptB.id) });
    assert.equal(other.statusCode, 403);
    assert.equal(other.json.code, 'forbidden');
  });

  test('an officer is refused with 403, and an anonymous caller with 401', async () => {
    const officer = await t.request('POST', '/api/organizations', { as: t.world.officerA, body: orgBody(t.world.deptA.id) });
    assert.equal(officer.statusCode, 403);
    const anonymous = await t.request('POST', '/api/organizations', { body: orgBody(t.world.deptA.id) });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json.code, 'unauthenticated');
  });

  test('a cookie-authenticated write without the CSRF header is refused', async () => {
    const res = await t.request('POST', '/api/organizations', { as: t.world.platformAdmin, body: orgBody(t.world.province.id), csrf: false });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json.code, 'csrf_failed');
  });
});

describe('GET /api/organizations (search) and the tree', () => {
  test('finds by Chinese name, English name (any case), credit code prefix and division code', async () => {
    const byZh = await t.request('GET', `/api/organizations?q=${encodeURIComponent('公安')}`, { as: t.world.officerA });
    assert.equal(byZh.statusCode, 200);
    assert.ok(byZh.json.items.some((o: { id: string }) => o.id === t.world.deptA.id));
    const byEn = await t.request('GET', '/api/organizations?q=civil%20AFFAIRS', { as: t.world.officerA });
    assert.deepEqual(byEn.json.items.map((o: { id: string }) => o.id), [t.world.deptB.id]);
    const byCode = await t.request('GET', `/api/organizations?q=${t.world.deptB.creditCode.slice(0, 14)}`, { as: t.world.officerA });
    assert.deepEqual(byCode.json.items.map((o: { id: string }) => o.id), [t.world.deptB.id]);
    const none = await t.request('GET', '/api/organizations?q=zzzz-nothing', { as: t.world.officerA });
    assert.equal(none.json.total, 0);
    const literalPercent = await t.request('GET', '/api/organizations?q=%25', { as: t.world.officerA });
    assert.equal(literalPercent.json.total, 0, 'a % in the query is a literal, not a wildcard');
  });

  test('filters by type and pages', async () => {
    const governments = await t.request('GET', '/api/organizations?type=government&limit=1', { as: t.world.officerA });
    assert.equal(governments.statusCode, 200);
    assert.equal(governments.json.items.length, 1);
    assert.ok(governments.json.items.every((o: { type: string }) => o.type === 'government'));
  });

  test('bad query values are a 400 naming the parameter; anonymous is 401', async () => {
    const bad = await t.request('GET', '/api/organizations?limit=100000', { as: t.world.officerA });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json.errors[0].field, 'limit');
    assert.equal((await t.request('GET', '/api/organizations')).statusCode, 401);
  });

  test('the tree nests departments under their government', async () => {
    const res = await t.request('GET', '/api/organizations/tree', { as: t.world.officerA });
    assert.equal(res.statusCode, 200);
    const root = res.json.roots.find((r: { id: string }) => r.id === t.world.province.id);
    assert.ok(root.children.some((c: { id: string }) => c.id === t.world.deptA.id));
    assert.equal((await t.request('GET', '/api/organizations/tree?status=some')).statusCode, 401);
    assert.equal((await t.request('GET', '/api/organizations/tree?status=some', { as: t.world.officerA })).statusCode, 400);
  });

  test('GET one: 200, 404 for an unknown id, 400 for a malformed id, 401 anonymous', async () => {
    assert.equal((await t.request('GET', `/api/organizations/${t.world.deptA.id}`, { as: t.world.officerA })).json.nameZh, '浙江省公安厅');
    const missing = await t.request('GET', '/api/organizations/00000000-0000-4000-8000-000000000000', { as: t.world.officerA });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json.code, 'not_found');
    assert.equal((await t.request('GET', '/api/organizations/not-a-uuid', { as: t.world.officerA })).json.errors[0].field, 'id');
    assert.equal((await t.request('GET', `/api/organizations/${t.world.deptA.id}`)).statusCode, 401);
  });
});

describe('PATCH, deactivate and reactivate', () => {
  test('edits with the current version; a stale version is 409 and changes nothing', async () => {
    const org = (await t.request('POST', '/api/organizations', { as: t.world.platformAdmin, body: orgBody(t.world.province.id, { nameZh: '浙江省财政厅' }) })).json;
    const ok = await t.request('PATCH', `/api/organizations/${org.id}`, { as: t.world.platformAdmin, body: { version: org.version, nameEn: 'Zhejiang Department of Finance' } });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json.version, org.version + 1);
    const stale = await t.request('PATCH', `/api/organizations/${org.id}`, { as: t.world.platformAdmin, body: { version: org.version, nameEn: 'Lost update' } });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json.code, 'version_conflict');
    assert.equal((await t.request('GET', `/api/organizations/${org.id}`, { as: t.world.officerA })).json.nameEn, 'Zhejiang Department of Finance');
  });

  test('a changed credit code renames the identifier of the organization and its business systems', async () => {
    const org = (await t.request('POST', '/api/organizations', { as: t.world.platformAdmin, body: orgBody(t.world.province.id, { nameZh: '浙江省教育厅' }) })).json;
    const sub = (await t.request('POST', `/api/organizations/${org.id}/subsystems`, { as: t.world.platformAdmin, body: { code: 'enrolment', nameZh: '招生系统', nameEn: 'Enrolment' } })).json;
    const code = newCreditCode('330000');
    const res = await t.request('PATCH', `/api/organizations/${org.id}`, { as: t.world.platformAdmin, body: { version: org.version, creditCode: code } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json.identifier, `EGOV-DEMO/GOV/${code}`);
    const subs = await t.request('GET', `/api/organizations/${org.id}/subsystems`, { as: t.world.officerA });
    assert.equal(subs.json.items.find((s: { id: string }) => s.id === sub.id).identifier, `EGOV-DEMO/GOV/${code}/enrolment`);
  });

  test('moving an organization under its own unit is refused', async () => {
    const parent = (await t.request('POST', '/api/organizations', { as: t.world.platformAdmin, body: orgBody(t.world.province.id) })).json;
    const child = (await t.request('POST', '/api/organizations', { as: t.world.platformAdmin, body: orgBody(parent.id) })).json;
    const res = await t.request('PATCH', `/api/organizations/${parent.id}`, { as: t.world.platformAdmin, body: { version: parent.version, parentId: child.id } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json.errors[0].code, 'parent_cycle');
  });

  test("an org admin cannot edit another department; 400 on a bad body; 401 anonymous", async () => {
    const res = await t.request('PATCH', `/api/organizations/${t.world.deptB.id}`, { as: t.world.adminA, body: { version: 1, nameEn: 'x' } });
    assert.equal(res.statusCode, 403);
    const bad = await t.request('PATCH', `/api/organizations/${t.world.deptA.id}`, { as: t.world.adminA, body: { nameEn: 'no version' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json.errors[0].field, 'version');
    assert.equal((await t.request('PATCH', `/api/organizations/${t.world.deptA.id}`, { body: { version: 1 } })).statusCode, 401);
  });

  test('deactivation never deletes; a parent with active children is refused; reactivation works', async () => {
    const parent = (await t.request('POST', '/api/organizations', { as: t.world.platformAdmin, body: orgBody(t.world.province.id) })).json;
    const child = (await t.request('POST', '/api/organizations', { as: t.world.platformAdmin, body: orgBody(parent.id) })).json;
    const refused = await t.request('POST', `/api/organizations/${parent.id}/deactivate`, { as: t.world.platformAdmin, body: { version: parent.version } });
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json.code, 'has_active_children');
    const offChild = await t.request('POST', `/api/organizations/${child.id}/deactivate`, { as: t.world.platformAdmin, body: { version: child.version } });
    assert.equal(offChild.statusCode, 200);
    assert.equal(offChild.json.status, 'inactive');
    const hidden = await t.request('GET', `/api/organizations?parentId=${parent.id}`, { as: t.world.officerA });
    assert.equal(hidden.json.total, 0, 'inactive organizations are hidden by default');
    const all = await t.request('GET', `/api/organizations?parentId=${parent.id}&status=all`, { as: t.world.officerA });
    assert.equal(all.json.total, 1, 'but never deleted');
    const back = await t.request('POST', `/api/organizations/${child.id}/reactivate`, { as: t.world.platformAdmin, body: { version: offChild.json.version } });
    assert.equal(back.statusCode, 200);
    assert.equal(back.json.status, 'active');
  });

  test('deactivate and reactivate: 403 for an org admin of another branch, 400 without version, 401 anonymous', async () => {
    for (const action of ['deactivate', 'reactivate']) {
      assert.equal((await t.request('POST', `/api/organizations/${t.world.deptB.id}/${action}`, { as: t.world.adminA, body: { version: 1 } })).statusCode, 403);
      assert.equal((await t.request('POST', `/api/organizations/${t.world.deptB.id}/${action}`, { as: t.world.adminB, body: {} })).json.errors[0].field, 'version');
      assert.equal((await t.request('POST', `/api/organizations/${t.world.deptB.id}/${action}`, { body: { version: 1 } })).statusCode, 401);
    }
  });
});

describe('business systems (subsystems)', () => {
  test('created with a code unique within the organization; edited; deactivated', async () => {
    const created = await t.request('POST', `/api/organizations/${t.world.deptA.id}/subsystems`, { as: t.world.adminA, body: { code: 'hukou', nameZh: '户籍管理系统', nameEn: 'Household registration' } });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json.identifier, `${t.world.deptA.identifier}/hukou`);
    const dup = await t.request('POST', `/api/organizations/${t.world.deptA.id}/subsystems`, { as: t.world.adminA, body: { code: 'hukou', nameZh: '重复', nameEn: 'Dup' } });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json.errors[0].field, 'code');
    const sameCodeElsewhere = await t.request('POST', `/api/organizations/${t.world.deptB.id}/subsystems`, { as: t.world.adminB, body: { code: 'hukou', nameZh: '另一个', nameEn: 'Other' } });
    assert.equal(sameCodeElsewhere.statusCode, 201);
    const edited = await t.request('PATCH', `/api/subsystems/${created.json.id}`, { as: t.world.adminA, body: { version: 1, description: '人口户籍' } });
    assert.equal(edited.statusCode, 200);
    assert.equal(edited.json.description, '人口户籍');
    const off = await t.request('POST', `/api/subsystems/${created.json.id}/deactivate`, { as: t.world.adminA, body: { version: 2 } });
    assert.equal(off.statusCode, 200);
    assert.equal(off.json.status, 'inactive');
    const list = await t.request('GET', `/api/organizations/${t.world.deptA.id}/subsystems`, { as: t.world.officerA });
    assert.equal(list.statusCode, 200);
    assert.ok(list.json.items.some((s: { code: string; status: string }) => s.code === 'hukou' && s.status === 'inactive'));
  });

  test('400 for a code with a slash, 403 for another organization, 401 anonymous', async () => {
    const bad = await t.request('POST', `/api/organizations/${t.world.deptA.id}/subsystems`, { as: t.world.adminA, body: { code: 'a/b', nameZh: 'x', nameEn: 'x' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json.errors[0].field, 'code');
    const other = await t.request('POST', `/api/organizations/${t.world.deptB.id}/subsystems`, { as: t.world.adminA, body: { code: 'x1', nameZh: 'x', nameEn: 'x' } });
    assert.equal(other.statusCode, 403);
    const sub = (await t.request('POST', `/api/organizations/${t.world.deptB.id}/subsystems`, { as: t.world.adminB, body: { code: 'x2', nameZh: 'x', nameEn: 'x' } })).json;
    assert.equal((await t.request('PATCH', `/api/subsystems/${sub.id}`, { as: t.world.adminA, body: { version: 1, nameEn: 'y' } })).statusCode, 403);
    assert.equal((await t.request('PATCH', `/api/subsystems/${sub.id}`, { as: t.world.adminB, body: { nameEn: 'y' } })).statusCode, 400);
    assert.equal((await t.request('POST', `/api/subsystems/${sub.id}/deactivate`, { as: t.world.adminA, body: { version: 1 } })).statusCode, 403);
    assert.equal((await t.request('POST', `/api/subsystems/${sub.id}/deactivate`, { as: t.world.adminB, body: {} })).statusCode, 400);
    for (const [method, url] of [
      ['GET', `/api/organizations/${t.world.deptA.id}/subsystems`],
      ['POST', `/api/organizations/${t.world.deptA.id}/subsystems`],
      ['PATCH', `/api/subsystems/${sub.id}`],
      ['POST', `/api/subsystems/${sub.id}/deactivate`],
    ]) {
      assert.equal((await t.request(method, url, { body: {} })).statusCode, 401, `${method} ${url}`);
    }
    assert.equal((await t.request('GET', '/api/organizations/bad/subsystems', { as: t.world.officerA })).statusCode, 400);
  });
});

describe('GET /api/divisions', () => {
  test('looks up national codes by prefix or name; 400 without q; 401 anonymous', async () => {
    const res = await t.request('GET', `/api/divisions?q=${encodeURIComponent('杭州')}`, { as: t.world.officerA });
    assert.equal(res.statusCode, 200);
    assert.ok(res.json.items.some((d: { code: string }) => d.code === '330100'));
    assert.equal((await t.request('GET', '/api/divisions', { as: t.world.officerA })).json.errors[0].field, 'q');
    assert.equal((await t.request('GET', '/api/divisions?q=33')).statusCode, 401);
  });
});
