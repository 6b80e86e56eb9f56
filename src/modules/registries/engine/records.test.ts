// The record engine through its staff routes: who may read and write, bad input named and
// nothing written, versions with provenance and 409 on stale versions, as-of reads, queries,
// the reads log the data subject is answered from, and the population's life events.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { localOperator } from '../../../platform/actor.ts';
import { manualClock } from '../../../platform/clock.ts';
import { buildCreditCode } from '../../../platform/codes/credit-code.ts';
import { idNumberCheckCharacter } from '../../../platform/codes/id-number.ts';
import { createTestApp, type TestApp, type TestUser } from '../../../test-support/test-app.ts';
import { LEGAL_ENTITIES, POPULATION } from '../index.ts';

const BASE = '/api/registries/population';
const clock = manualClock(new Date('2026-03-02T02:00:00Z'));
let t: TestApp;
let officer: TestUser;
let outsider: TestUser;

before(async () => {
  t = await createTestApp({ clock });
  await t.services.registries.catalog.install(localOperator('test'), POPULATION, t.world.deptA.id);
  await t.services.registries.catalog.install(localOperator('test'), LEGAL_ENTITIES, t.world.deptA.id);
  officer = t.world.officerA;
  outsider = t.world.adminB;
});
after(() => t.close());

let serial = 0;
/** A valid ID number of Beijing Chaoyang (110105) for a birth date and sex. */
function idNumber(birthDate: string, sex: '1' | '2'): string {
  serial++;
  const seq = String(serial % 100).padStart(2, '0') + (sex === '1' ? '1' : '2');
  const first17 = `110105${birthDate.replaceAll('-', '')}${seq}`;
  return first17 + idNumberCheckCharacter(first17);
}

function person(overrides: Record<string, unknown> = {}) {
  const birthDate = (overrides.birthDate as string) ?? '1980-05-17';
  const sex = (overrides.sex as '1' | '2') ?? '1';
  return { idNumber: idNumber(birthDate, sex), name: '张三', sex, birthDate, ethnicity: '01', hukouDivision: '110105', hukouAddress: '北京市朝阳区建国路 1 号', maritalStatus: '10', status: 'living', ...overrides };
}

async function create(data: Record<string, unknown>, as: TestUser = officer) {
  return t.request('POST', `${BASE}/records`, { as, body: { data, reason: '户籍登记' } });
}

async function created(data: Record<string, unknown>) {
  const res = await create(data);
  assert.equal(res.statusCode, 201, res.body);
  return res.json as { key: string; version: number; data: Record<string, unknown> };
}

async function versionCount(key: string): Promise<number> {
  const row = await t.services.database.db.selectFrom('registries.record_versions').select((eb) => eb.fn.countAll().as('n')).where('key', '=', key).executeTakeFirstOrThrow();
  return Number(row.n);
}

test('routes ask for a signed-in user; another organization is refused and writes nothing', async () => {
  const p = await created(person());
  const reads = ['/api/registries', BASE, `${BASE}/records`, `${BASE}/records/${p.key}`, `${BASE}/records/${p.key}/history`, `${BASE}/records/${p.key}/reads`];
  for (const url of reads) assert.equal((await t.request('GET', url)).statusCode, 401, url);
  for (const url of reads.slice(2)) {
    const res = await t.request('GET', url, { as: outsider });
    assert.equal(res.statusCode, 403, url);
    assert.equal(res.json.code, 'forbidden');
  }
  const fresh = person();
  assert.equal((await create(fresh, outsider)).statusCode, 403);
  assert.equal((await t.request('PATCH', `${BASE}/records/${p.key}`, { as: outsider, body: { version: 1, patch: { name: '李四' }, reason: 'x' } })).statusCode, 403);
  assert.equal((await t.request('DELETE', `${BASE}/records/${p.key}?version=1&reason=x`, { as: outsider })).statusCode, 403);
  assert.equal((await t.request('POST', `${BASE}/events`, { as: outsider, body: { type: 'death', date: '2026-01-01', idNumber: p.key, version: 1 } })).statusCode, 403);
  assert.equal(await versionCount(fresh.idNumber as string), 0);
  assert.equal(await versionCount(p.key), 1);
  // The platform admin hands registries over; an officer may not.
  assert.equal((await t.request('PUT', `${BASE}/owner`, { as: officer, body: { ownerOrgId: t.world.deptB.id } })).statusCode, 403);
});

test('bad input is refused naming the field, and nothing is written', async () => {
  const good = person();
  const wrongCheck = String(good.idNumber).slice(0, 17) + (String(good.idNumber)[17] === '0' ? '1' : '0');
  const cases: [Record<string, unknown>, string, string][] = [
    [{ ...good, idNumber: wrongCheck }, 'idNumber', 'id_number_check_character'],
    [{ ...good, birthDate: '1980-05-18' }, 'birthDate', 'disagrees_with_id_number'],
    [{ ...good, sex: '2' }, 'sex', 'disagrees_with_id_number'],
    [{ ...good, hukouDivision: '119999' }, 'hukouDivision', 'unknown_division'],
    [{ ...good, ethnicity: '77' }, 'ethnicity', 'not_in_code_list'],
    [{ ...good, status: 'deceased' }, 'deathDate', 'required_when_deceased'],
    [{ ...good, fatherId: idNumber('1950-01-01', '1') }, 'fatherId', 'no_such_person'],
    [{ ...good, nickname: 'x' }, 'nickname', 'unknown_field'],
    [{ ...good, name: undefined }, 'name', 'required'],
    [{ ...good, birthDate: '1980-02-30' }, 'birthDate', 'type'],
  ];
  for (const [data, field, code] of cases) {
    const res = await create(data);
    assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
    const error = (res.json.errors as { field: string; code: string }[]).find((e) => e.field === field);
    assert.ok(error, `${field} named in ${res.body}`);
    assert.equal(error.code, code);
  }
  assert.equal(await versionCount(String(good.idNumber)), 0);
  assert.equal(await versionCount(wrongCheck), 0);
  // The message follows the language asked for.
  const zh = await t.request('POST', `${BASE}/records`, { as: officer, body: { data: { ...good, hukouDivision: '119999' }, reason: 'x' }, headers: { 'accept-language': 'zh-CN' } });
  assert.match(zh.json.detail, /行政区划/);
  const credit = buildCreditCode('9', '1', '110105', 'MA0000X1');
  const entity = { creditCode: credit, name: '北京测试科技有限公司', entityType: '92', legalRepId: good.idNumber, legalRepName: '张三', divisionCode: '110106', registeredAddress: '北京市', establishedDate: '2020-01-01', status: 'active', registrationAuthority: '北京市朝阳区市场监督管理局' };
  const res = await t.request('POST', '/api/registries/legal-entities/records', { as: officer, body: { data: entity, reason: '设立登记' } });
  assert.equal(res.statusCode, 400);
  assert.deepEqual((res.json.errors as { field: string }[]).map((e) => e.field).sort(), ['divisionCode', 'entityType']);
  // References are looked up once the fields themselves are right.
  const fixed = { ...entity, entityType: '91', divisionCode: '110105', legalRepId: idNumber('1970-01-01', '1') };
  const noRep = await t.request('POST', '/api/registries/legal-entities/records', { as: officer, body: { data: fixed, reason: '设立登记' } });
  assert.equal(noRep.statusCode, 400, noRep.body);
  assert.equal(noRep.json.errors[0].field, 'legalRepId');
});

test('changes are versions with provenance; a stale version gets 409 and loses nothing', async () => {
  const p = await created(person({ name: '王五' }));
  const before = clock.now().toISOString();
  clock.advance(24 * 3600_000);
  t.forgetSessions();
  const changed = await t.request('PATCH', `${BASE}/records/${p.key}`, { as: officer, body: { version: 1, patch: { formerName: '王五', name: '王武' }, reason: '姓名变更' } });
  assert.equal(changed.statusCode, 200, changed.body);
  assert.equal(changed.json.version, 2);
  assert.equal(changed.json.data.name, '王武');
  const stale = await t.request('PATCH', `${BASE}/records/${p.key}`, { as: officer, body: { version: 1, patch: { name: '王舞' }, reason: '再次变更' } });
  assert.equal(stale.statusCode, 409);
  assert.equal(stale.json.code, 'stale_version');
  assert.equal((await t.request('GET', `${BASE}/records/${p.key}`, { as: officer })).json.data.name, '王武');
  const history = await t.request('GET', `${BASE}/records/${p.key}/history`, { as: officer });
  assert.deepEqual(history.json.map((v: { version: number; reason: string; actorName: string; source: string }) => [v.version, v.reason, v.actorName, v.source]), [[2, '姓名变更', 'officer-a', 'workbench'], [1, '户籍登记', 'officer-a', 'workbench']]);
  const then = await t.request('GET', `${BASE}/records/${p.key}?asOf=${encodeURIComponent(before)}`, { as: officer });
  assert.equal(then.json.data.name, '王五');
  assert.equal(then.json.version, 1);
  const key = await t.request('PATCH', `${BASE}/records/${p.key}`, { as: officer, body: { version: 2, patch: { idNumber: person().idNumber }, reason: 'x' } });
  assert.equal(key.statusCode, 400);
  assert.equal(key.json.errors[0].code, 'key_immutable');
  // Deleted: gone now, still there as of before.
  assert.equal((await t.request('DELETE', `${BASE}/records/${p.key}?version=2&reason=${encodeURIComponent('重复登记')}`, { as: officer })).statusCode, 204);
  assert.equal((await t.request('GET', `${BASE}/records/${p.key}`, { as: officer })).statusCode, 404);
  assert.equal((await t.request('GET', `${BASE}/records/${p.key}?asOf=${encodeURIComponent(before)}`, { as: officer })).json.data.name, '王五');
  const audit = await t.services.database.db.selectFrom('audit.events').select(['action', 'subject_id']).where('subject_id', '=', `population/${p.key}`).orderBy('seq').execute();
  assert.deepEqual(audit.map((a) => a.action), ['registries.record.create', 'registries.record.update', 'registries.record.delete']);
});

test('queries filter by indexed fields and regular expressions; each record shown is logged as read, with its purpose', async () => {
  const a = await created(person({ name: '欧阳娜娜', sex: '2' }));
  await created(person({ name: '欧阳明' }));
  const byName = await t.request('GET', `${BASE}/records?where.name=${encodeURIComponent('欧阳娜娜')}&purpose=${encodeURIComponent('核对身份')}`, { as: officer });
  assert.equal(byName.statusCode, 200, byName.body);
  assert.deepEqual(byName.json.results.map((r: { key: string }) => r.key), [a.key]);
  const search = await t.request('GET', `${BASE}/records?search=${encodeURIComponent('^欧阳')}&filter=name&orderBy=name&ordering=descending`, { as: officer });
  assert.deepEqual(search.json.results.map((r: { data: { name: string } }) => r.data.name), ['欧阳明', '欧阳娜娜']);
  assert.equal(search.json.count, 2);
  const bad = await t.request('GET', `${BASE}/records?search=${encodeURIComponent('(')}`, { as: officer });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json.errors[0].field, 'search');
  assert.equal((await t.request('GET', `${BASE}/records?where.nickname=x`, { as: officer })).statusCode, 400);
  clock.advance(1000);
  await t.request('GET', `${BASE}/records/${a.key}?purpose=${encodeURIComponent('低保审核')}`, { as: officer });
  const reads = await t.request('GET', `${BASE}/records/${a.key}/reads`, { as: officer });
  assert.equal(reads.statusCode, 200);
  // Newest first: this read, then the two searches that showed the record.
  assert.deepEqual(reads.json.map((r: { purpose: string; consumer: string; channel: string }) => [r.purpose, r.consumer, r.channel]).slice(0, 1), [['低保审核', 'staff:officer-a', 'workbench']]);
  assert.deepEqual(reads.json.map((r: { purpose: string | null }) => r.purpose).slice(1).sort(), [null, '核对身份'].sort());
  assert.ok(reads.json[0].fields.includes('idNumber'));
  // The log is append-only in the database itself.
  await assert.rejects(t.services.database.db.deleteFrom('registries.reads').execute(), /append-only/);
});

test('life events: marriage changes both records, death widows the spouse, divorce parts them, birth links parents', async () => {
  const husband = await created(person({ name: '赵一' }));
  const wife = await created(person({ name: '钱二', sex: '2', birthDate: '1982-07-01' }));
  const event = (body: Record<string, unknown>) => t.request('POST', `${BASE}/events`, { as: officer, body });
  const married = await event({ type: 'marriage', date: '2026-02-14', idNumber: husband.key, version: 1, spouseId: wife.key });
  assert.equal(married.statusCode, 200, married.body);
  assert.deepEqual(married.json.map((r: { data: { spouseId: string; maritalStatus: string } }) => [r.data.spouseId, r.data.maritalStatus]), [[wife.key, '20'], [husband.key, '20']]);
  assert.equal((await event({ type: 'marriage', date: '2026-02-15', idNumber: husband.key, version: 2, spouseId: wife.key })).statusCode, 400);
  const child = person({ name: '赵小', birthDate: '2026-02-20', fatherId: husband.key, motherId: wife.key, maritalStatus: '10' });
  delete (child as Record<string, unknown>).status;
  const born = await event({ type: 'birth', date: '2026-02-20', person: child });
  assert.equal(born.statusCode, 200, born.body);
  assert.equal(born.json[0].data.fatherId, husband.key);
  const divorced = await event({ type: 'divorce', date: '2026-02-25', idNumber: wife.key, version: 2 });
  assert.equal(divorced.statusCode, 200, divorced.body);
  assert.deepEqual(divorced.json.map((r: { data: { maritalStatus: string; spouseId?: string } }) => [r.data.maritalStatus, r.data.spouseId]), [['40', undefined], ['40', undefined]]);
  const remarried = await event({ type: 'marriage', date: '2026-02-26', idNumber: husband.key, version: 3, spouseId: wife.key });
  assert.equal(remarried.statusCode, 200);
  const died = await event({ type: 'death', date: '2026-03-01', idNumber: husband.key, version: 4 });
  assert.equal(died.statusCode, 200, died.body);
  assert.equal(died.json[0].data.status, 'deceased');
  assert.equal(died.json[0].data.deathDate, '2026-03-01');
  assert.deepEqual([died.json[1].data.maritalStatus, died.json[1].data.spouseId], ['30', undefined]);
  const history = await t.request('GET', `${BASE}/records/${wife.key}/history`, { as: officer });
  assert.deepEqual(history.json.map((v: { operation: string; event: { type: string } | null }) => v.event?.type ?? v.operation), ['death', 'marriage', 'divorce', 'marriage', 'create']);
  assert.equal((await event({ type: 'move', date: '2026-03-02', idNumber: husband.key, version: 5, currentDivision: '110105', currentAddress: '别处' })).statusCode, 409);
});

test('a NUL character in a key, a condition or a search is refused naming it, never a 500', async () => {
  for (const [url, field] of [
    [`${BASE}/records/%00`, 'idNumber'],
    [`${BASE}/records/a%00/history`, 'idNumber'],
    [`${BASE}/records?where.name=%00`, 'name'],
    [`${BASE}/records?search=a%00`, 'search'],
  ] as const) {
    const res = await t.request('GET', url, { as: officer });
    assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
    assert.equal(res.json.errors[0].field, field);
  }
  assert.deepEqual((await t.request('GET', `${BASE}/records/%00/reads`, { as: officer })).json, []);
});

test('registry rows are kept in memory, and a change of owner is seen at once: the old owner is refused, the new one reads', async () => {
  const p = await created(person());
  const read = (as: TestUser) => t.request('GET', `${BASE}/records/${p.key}`, { as });
  assert.equal((await read(officer)).statusCode, 200, 'the owner reads (and the row is now cached)');
  assert.equal((await read(outsider)).statusCode, 403);
  const catalog = t.services.registries.catalog;
  await catalog.assignOwner(localOperator('test'), 'population', t.world.deptB.id);
  try {
    assert.equal((await read(officer)).statusCode, 403, 'the former owner is refused straight after the change');
    assert.equal((await read(outsider)).statusCode, 200, "the new owner's admin reads");
  } finally {
    await catalog.assignOwner(localOperator('test'), 'population', t.world.deptA.id);
  }
  assert.equal((await read(officer)).statusCode, 200);
});
