// The GovStack registry data API over HTTP, directly under /govstack/dr/ and through the
// exchange: every operation in the specification's shapes (checked against its own response
// schemas), who may call (a client system authenticated as to the exchange, with an access
// right on the registry's service), field-level rights (omitted, the key masked, never found
// through search, filter, ordering, matching or readValue), bad input named with nothing
// written, ETag/If-Match, the reads log with X-Road-Issue as purpose, and myPersonalDataUsage.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { localOperator } from '../../../platform/actor.ts';
import { assertSpec, buildDrWorld, dr, DR, idNumber, person, POP, viaExchange, type DrWorld } from './test-world.ts';

let w: DrWorld;
before(async () => {
  w = await buildDrWorld();
});
after(() => w.t.close());

const DATA = '/data/{registryName}/{versionNumber}';
const db = () => w.t.services.database.db;
const versions = async (key: string) => Number((await db().selectFrom('registries.record_versions').select((eb) => eb.fn.countAll().as('n')).where('key', '=', key).executeTakeFirstOrThrow()).n);
const reads = async (key: string) => (await db().selectFrom('registries.reads').selectAll().where('subject_key', '=', key).orderBy('read_at').execute()) as { consumer: string; purpose: string | null; fields: string[]; channel: string; x_road_id: string | null; reader_name: string }[];

async function created(data: Record<string, unknown> = person()) {
  const res = await dr(w.t, 'POST', `${POP}/create`, { as: w.welfare, body: { write: { content: data } }, headers: { 'x-road-issue': '户籍登记' } });
  assert.equal(res.statusCode, 200, res.body);
  return { key: String(data.idNumber), data, etag: String(res.headers.etag) };
}

test('an unauthenticated caller, a caller posing as another subsystem and a caller without a right are refused, and nothing is written', async () => {
  const p = await created();
  const fresh = person();
  const calls: [string, string, unknown?][] = [
    ['GET', POP],
    ['POST', `${POP}/create`, { write: { content: fresh } }],
    ['POST', `${POP}/exists`, { query: { content: { name: '张三' } } }],
    ['POST', `${POP}/read`, { query: { content: { idNumber: p.key } } }],
    ['PUT', `${POP}/update`, { query: { content: { idNumber: p.key } }, write: { content: { name: '李四' } } }],
    ['PUT', `${POP}/updateEntries`, { query: { content: { idNumber: p.key } }, write: { content: { name: '李四' } } }],
    ['POST', `${POP}/updateOrCreate`, { write: { content: fresh } }],
    ['DELETE', `${POP}/${p.key}/delete`],
    ['GET', `${POP}/${p.key}/readValue/name.json`],
    ['GET', `${DR}/data/myPersonalDataUsage?userId=${p.key}&databaseId=population`],
  ];
  for (const [method, url, body] of calls) {
    const anonymous = await dr(w.t, method, url, { body });
    assert.equal(anonymous.statusCode, 401, `${method} ${url} anonymous: ${anonymous.body}`);
    assert.equal(anonymous.headers['content-type'], 'application/problem+json; charset=utf-8');
    // Only the header, no credential: still nobody.
    const headerOnly = await dr(w.t, method, url, { body, headers: { 'information-mediator-client': w.welfare.identifier } });
    assert.equal(headerOnly.statusCode, 401, `${method} ${url} header only: ${headerOnly.body}`);
    const posing = await dr(w.t, method, url, { as: w.nosy, clientHeader: w.welfare.identifier, body });
    assert.equal(posing.statusCode, 403, `${method} ${url} posing: ${posing.body}`);
    assert.equal(posing.json.code, 'client_not_owner');
    const noRight = await dr(w.t, method, url, { as: w.nosy, body, headers: { 'x-road-userid': p.key } });
    assert.equal(noRight.statusCode, 403, `${method} ${url} without a right: ${noRight.body}`);
    assert.equal(noRight.json.code, 'access_denied');
    assert.match(noRight.json.detail, /nosy has no access right/);
  }
  const missing = await dr(w.t, 'GET', POP, { headers: { authorization: `Bearer ${w.welfare.token}` } });
  assert.equal(missing.statusCode, 400);
  assert.equal(missing.json.errors[0].field, 'Information-Mediator-Client');
  const malformed = await dr(w.t, 'GET', POP, { as: w.welfare, clientHeader: 'only/two' });
  assert.equal(malformed.statusCode, 400);
  assert.equal(malformed.json.errors[0].field, 'Information-Mediator-Client');
  assert.equal(await versions(fresh.idNumber as string), 0);
  assert.equal(await versions(p.key), 1);
  assert.equal((await dr(w.t, 'POST', `${POP}/read`, { as: w.welfare, body: { query: { content: { idNumber: p.key } } } })).json.content.name, '张三', 'nothing changed');
  // A registry not published as a service is reachable by nobody's client systems.
  const unpublished = await dr(w.t, 'GET', `${DR}/data/legal-entities/1.0`, { as: w.welfare });
  assert.equal(unpublished.statusCode, 403);
  assert.equal(unpublished.json.code, 'not_published');
});

test('every operation answers in the shapes the specification gives', async () => {
  const p = person({ name: '王小明', currentAddress: '北京市朝阳区望京街 9 号' });
  const create = await dr(w.t, 'POST', `${POP}/create`, { as: w.welfare, body: { write: { content: p } } });
  assert.equal(create.statusCode, 200, create.body);
  assertSpec('data', `${DATA}/create`, 'post', 200, create.json);
  assert.deepEqual(create.json.content, p);
  assert.equal(create.headers.etag, '"1"');

  const exists = await dr(w.t, 'POST', `${POP}/exists`, { as: w.welfare, body: { query: { content: { idNumber: p.idNumber } } } });
  assertSpec('data', `${DATA}/exists`, 'post', 200, exists.json);
  assert.deepEqual(exists.json, { answer: { status: true, message: 'Object found from database' } });
  const absent = await dr(w.t, 'POST', `${POP}/exists`, { as: w.welfare, body: { query: { content: { idNumber: idNumber('1970-01-01', '2') } } }, headers: { 'accept-language': 'zh-CN' } });
  assert.deepEqual(absent.json, { answer: { status: false, message: '没有匹配的记录' } });

  const read = await dr(w.t, 'POST', `${POP}/read`, { as: w.welfare, body: { query: { content: { name: '王小明', birthDate: '1980-05-17' } } } });
  assert.equal(read.statusCode, 200, read.body);
  assertSpec('data', `${DATA}/read`, 'post', 200, read.json);
  assert.deepEqual(read.json.content, p);
  const none = await dr(w.t, 'POST', `${POP}/read`, { as: w.welfare, body: { query: { content: { name: '查无此人' } } } });
  assert.equal(none.statusCode, 404);
  assertSpec('data', `${DATA}/read`, 'post', 404, none.json);
  assert.equal(none.json.detail, 'no record found');

  const list = await dr(w.t, 'GET', `${POP}?query.name=${encodeURIComponent('王小明')}`, { as: w.welfare });
  assert.equal(list.statusCode, 200, list.body);
  assertSpec('data', DATA, 'get', 200, list.json);
  assert.deepEqual(list.json, { count: 1, next: null, previous: null, results: [p] });

  const update = await dr(w.t, 'PUT', `${POP}/update`, { as: w.welfare, body: { query: { content: { idNumber: p.idNumber } }, write: { content: { currentAddress: '北京市海淀区中关村大街 1 号' } } } });
  assert.equal(update.statusCode, 200, update.body);
  assert.equal(update.json.content.currentAddress, '北京市海淀区中关村大街 1 号');
  assert.equal(update.json.content.name, '王小明', 'the other fields stay');
  assert.equal(update.headers.etag, '"2"');
  // Without a query, the key field in write names the record.
  const byKey = await dr(w.t, 'PUT', `${POP}/update`, { as: w.welfare, body: { write: { content: { idNumber: p.idNumber, formerName: '王明' } } } });
  assert.equal(byKey.statusCode, 200, byKey.body);
  assert.equal(byKey.json.content.formerName, '王明');

  const second = await created(person({ name: '王小红', sex: '2', birthDate: '1985-03-03' }));
  const entries = await dr(w.t, 'PUT', `${POP}/updateEntries`, { as: w.welfare, body: { query: { content: { hukouDivision: '110105', hukouAddress: '北京市朝阳区建国路 1 号' } }, write: { content: { currentDivision: '110105' } } } });
  assert.equal(entries.statusCode, 200, entries.body);
  assert.ok(entries.json.count >= 1);
  const after = await dr(w.t, 'POST', `${POP}/read`, { as: w.welfare, body: { query: { content: { idNumber: second.key } } } });
  assert.equal(after.json.content.currentDivision, '110105');

  const fresh = person({ name: '赵六' });
  const upsertNew = await dr(w.t, 'POST', `${POP}/updateOrCreate`, { as: w.welfare, body: { query: { content: { idNumber: fresh.idNumber } }, write: { content: fresh } } });
  assert.equal(upsertNew.statusCode, 200, upsertNew.body);
  assertSpec('data', `${DATA}/updateOrCreate`, 'post', 200, upsertNew.json);
  assert.deepEqual(upsertNew.json.content, fresh);
  assert.equal(upsertNew.headers.etag, '"1"');
  const upsertOld = await dr(w.t, 'POST', `${POP}/updateOrCreate`, { as: w.welfare, body: { query: { content: { idNumber: fresh.idNumber } }, write: { content: { maritalStatus: '90' } } } });
  assert.equal(upsertOld.statusCode, 200, upsertOld.body);
  assert.equal(upsertOld.json.content.maritalStatus, '90');
  assert.equal(upsertOld.headers.etag, '"2"');

  const value = await dr(w.t, 'GET', `${POP}/${p.idNumber}/readValue/name.json`, { as: w.welfare });
  assert.equal(value.statusCode, 200, value.body);
  assertSpec('data', `${DATA}/{uuid}/readValue/{field}.{ext}`, 'get', 200, value.json);
  assert.deepEqual(value.json, { value: '王小明' });
  const text = await dr(w.t, 'GET', `${POP}/${p.idNumber}/readValue/birthDate.txt`, { as: w.welfare });
  assert.equal(text.body, '1980-05-17');
  assert.match(String(text.headers['content-type']), /^text\/plain/);
  assert.equal((await dr(w.t, 'GET', `${POP}/${p.idNumber}/readValue/deathDate.json`, { as: w.welfare })).statusCode, 404, 'an empty field has no value');
  assert.equal((await dr(w.t, 'GET', `${POP}/${p.idNumber}/readValue/name.xml`, { as: w.welfare })).json.errors[0].field, 'ext');

  const removed = await dr(w.t, 'DELETE', `${POP}/${fresh.idNumber}/delete`, { as: w.welfare });
  assert.equal(removed.statusCode, 204, removed.body);
  assert.equal(removed.body, '');
  assert.equal((await dr(w.t, 'POST', `${POP}/read`, { as: w.welfare, body: { query: { content: { idNumber: fresh.idNumber } } } })).statusCode, 404);
  assert.equal((await dr(w.t, 'DELETE', `${POP}/${fresh.idNumber}/delete`, { as: w.welfare })).statusCode, 404);
  // The deletion is a version with its provenance: the client system and why.
  const last = await db().selectFrom('registries.record_versions').selectAll().where('key', '=', String(fresh.idNumber)).orderBy('version', 'desc').executeTakeFirstOrThrow();
  assert.equal(last.operation, 'delete');
  assert.equal(last.source, `govstack:${w.welfare.identifier}`);

  // An old or unknown version of the registry names the current one.
  const old = await dr(w.t, 'GET', `${DR}/data/population/0.9`, { as: w.welfare });
  assert.equal(old.statusCode, 404);
  assert.match(old.json.detail, /version 1\.0/);
  assert.equal((await dr(w.t, 'GET', `${DR}/data/no-such-registry/1.0`, { as: w.welfare })).statusCode, 404);
});

test('list: query.<field>, search over filter, ordering, and pages linked by next and previous', async () => {
  const family = '欧阳';
  for (const [name, birthDate] of [['欧阳一', '1990-01-01'], ['欧阳二', '1991-01-01'], ['欧阳三', '1992-01-01'], ['欧阳四', '1993-01-01'], ['欧阳五', '1994-01-01']] as const) await created(person({ name, birthDate }));
  const first = await dr(w.t, 'GET', `${POP}?search=${encodeURIComponent(`^${family}`)}&filter=name&ordering=-birthDate&pageSize=2`, { as: w.welfare });
  assert.equal(first.statusCode, 200, first.body);
  assertSpec('data', DATA, 'get', 200, first.json);
  assert.equal(first.json.count, 5);
  assert.deepEqual(first.json.results.map((r: { name: string }) => r.name), ['欧阳五', '欧阳四']);
  assert.equal(first.json.previous, null);
  const next = new URL(first.json.next);
  assert.equal(next.pathname, POP);
  assert.equal(next.searchParams.get('page'), '2');
  assert.equal(next.searchParams.get('ordering'), '-birthDate');
  const second = await dr(w.t, 'GET', next.pathname + next.search, { as: w.welfare });
  assert.deepEqual(second.json.results.map((r: { name: string }) => r.name), ['欧阳三', '欧阳二']);
  assert.ok(second.json.previous && second.json.next);
  const third = await dr(w.t, 'GET', new URL(second.json.next).pathname + new URL(second.json.next).search, { as: w.welfare });
  assert.deepEqual(third.json.results.map((r: { name: string }) => r.name), ['欧阳一']);
  assert.equal(third.json.next, null);
  const ascending = await dr(w.t, 'GET', `${POP}?search=${encodeURIComponent(family)}&filter=name&ordering=birthDate&pageSize=1`, { as: w.welfare });
  assert.equal(ascending.json.results[0].name, '欧阳一');
  const exact = await dr(w.t, 'GET', `${POP}?query.name=${encodeURIComponent('欧阳三')}&query.sex=1`, { as: w.welfare });
  assert.equal(exact.json.count, 1);
  for (const [query, field] of [
    ['page=0', 'page'],
    ['pageSize=201', 'pageSize'],
    ['pageSize=x', 'pageSize'],
    ['query.shoeSize=42', 'shoeSize'],
    ['ordering=shoeSize', 'shoeSize'],
    ['search=(', 'search'],
    ['filter=name', 'filter'],
    ['colour=red', 'colour'],
    ['page=1&page=2', 'page'],
  ] as const) {
    const res = await dr(w.t, 'GET', `${POP}?${query}`, { as: w.welfare });
    assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
    assert.ok(res.json.errors.some((e: { field: string }) => e.field === field), `${query} names ${field}: ${res.body}`);
  }
});

test('a right to some fields: the others are left out, the key masked, and never found by search, filter, ordering, matching or readValue', async () => {
  const p = await created(person({ name: '钱七', ethnicity: '03', hukouAddress: '北京市朝阳区秘密路 7 号' }));
  const masked = `${p.key.slice(0, 6)}********${p.key.slice(14)}`;
  const read = await dr(w.t, 'POST', `${POP}/read`, { as: w.portal, body: { query: { content: { name: '钱七' } } } });
  assert.equal(read.statusCode, 200, read.body);
  assert.deepEqual(read.json.content, { idNumber: masked, name: '钱七', sex: '1', birthDate: '1980-05-17' });
  assert.doesNotMatch(read.body, new RegExp(`${p.key}|秘密路|"ethnicity"`));
  const list = await dr(w.t, 'GET', `${POP}?query.name=${encodeURIComponent('钱七')}`, { as: w.portal });
  assert.deepEqual(list.json.results, [{ idNumber: masked, name: '钱七', sex: '1', birthDate: '1980-05-17' }]);
  const exchanged = await viaExchange(w, 'POST', '/data/population/1.0/read', { as: w.portal, body: { query: { content: { name: '钱七' } } } });
  assert.equal(exchanged.statusCode, 200, exchanged.body);
  assert.deepEqual(exchanged.json.content, read.json.content, 'the exchange passes the same grant in');

  // The key addresses a record, as {ID} in a path does: the caller gives it, and gets it back masked.
  const byKey = await dr(w.t, 'POST', `${POP}/read`, { as: w.portal, body: { query: { content: { idNumber: p.key } } } });
  assert.deepEqual(byKey.json.content, read.json.content);
  assert.equal((await dr(w.t, 'POST', `${POP}/exists`, { as: w.portal, body: { query: { content: { idNumber: p.key } } } })).json.answer.status, true);

  // Nothing about an ungranted field can be learnt by asking about it.
  const probes: [string, string, unknown?][] = [
    ['GET', `${POP}?query.ethnicity=03`],
    ['GET', `${POP}?search=${encodeURIComponent('秘密')}&filter=hukouAddress`],
    ['GET', `${POP}?search=${encodeURIComponent('秘密')}`],
    ['GET', `${POP}?ordering=ethnicity`],
    ['GET', `${POP}?ordering=-hukouAddress`],
    ['POST', `${POP}/exists`, { query: { content: { ethnicity: '03' } } }],
    ['POST', `${POP}/read`, { query: { content: { name: '钱七', hukouAddress: '北京市朝阳区秘密路 7 号' } } }],
    ['PUT', `${POP}/update`, { query: { content: { ethnicity: '03' } }, write: { content: { name: '钱八' } } }],
    ['PUT', `${POP}/updateEntries`, { query: { content: { name: '钱七' } }, write: { content: { ethnicity: '01' } } }],
  ];
  for (const [method, url, body] of probes) {
    const res = await dr(w.t, method, url, { as: w.portal, body });
    assert.equal(res.statusCode, 400, `${method} ${url} ${JSON.stringify(body)}: ${res.body}`);
    assert.ok(res.json.errors.some((e: { code: string }) => e.code === 'field_not_granted' || e.code === 'field_required'), res.body);
    assert.doesNotMatch(res.body, /秘密|"03"/);
  }
  const value = await dr(w.t, 'GET', `${POP}/${p.key}/readValue/hukouAddress.json`, { as: w.portal });
  assert.equal(value.statusCode, 403);
  assert.equal(value.json.code, 'field_not_granted');
  assert.doesNotMatch(value.body, /秘密/);
  const key = await dr(w.t, 'GET', `${POP}/${p.key}/readValue/idNumber.json`, { as: w.portal });
  assert.deepEqual(key.json, { value: masked }, 'the key comes masked, as in every answer');
  // A deletion would take the ungranted fields too.
  const removal = await dr(w.t, 'DELETE', `${POP}/${p.key}/delete`, { as: w.portal });
  assert.equal(removal.statusCode, 403);
  assert.equal(await versions(p.key), 1);
  // The reads log says what the portal was shown: never more than its fields and the masked key.
  for (const entry of (await reads(p.key)).filter((r) => r.consumer === w.portal.identifier)) {
    assert.ok(entry.fields.every((f) => [...w.portalFields, 'idNumber'].includes(f)), JSON.stringify(entry.fields));
  }
});

test('bad input is refused naming the field, and nothing is written', async () => {
  const good = person();
  const wrongCheck = String(good.idNumber).slice(0, 17) + (String(good.idNumber)[17] === '0' ? '1' : '0');
  const cases: [Record<string, unknown>, string, string][] = [
    [{ ...good, idNumber: wrongCheck }, 'idNumber', 'id_number_check_character'],
    [{ ...good, hukouDivision: '999999' }, 'hukouDivision', 'unknown_division'],
    [{ ...good, birthDate: '1980-05-18' }, 'birthDate', 'disagrees_with_id_number'],
    [{ ...good, ethnicity: '77' }, 'ethnicity', 'not_in_code_list'],
    [{ ...good, shoeSize: 42 }, 'shoeSize', 'unknown_field'],
  ];
  for (const [content, field, code] of cases) {
    for (const [method, op, body] of [
      ['POST', 'create', { write: { content } }],
      ['POST', 'updateOrCreate', { write: { content } }],
    ] as const) {
      const res = await dr(w.t, method, `${POP}/${op}`, { as: w.welfare, body });
      assert.equal(res.statusCode, 400, `${op} ${field}: ${res.body}`);
      assert.ok(res.json.errors.some((e: { field: string; code: string }) => e.field === field && e.code === code), `${op} names ${field} (${code}): ${res.body}`);
    }
  }
  assert.equal(await versions(String(good.idNumber)), 0);
  assert.equal(await versions(wrongCheck), 0);
  // An update that would break the record changes nothing.
  const p = await created();
  const broken = await dr(w.t, 'PUT', `${POP}/update`, { as: w.welfare, body: { write: { content: { idNumber: p.key, birthDate: '1999-09-09', hukouDivision: '000000' } } } });
  assert.equal(broken.statusCode, 400);
  assert.deepEqual(broken.json.errors.map((e: { field: string }) => e.field).sort(), ['birthDate', 'hukouDivision']);
  assert.equal(await versions(p.key), 1);
  // The spec's envelopes.
  for (const [op, body, field] of [
    ['create', {}, 'write'],
    ['create', { write: {} }, 'write.content'],
    ['create', { write: { content: [] } }, 'write.content'],
    ['create', { write: { content: good }, extra: 1 }, 'extra'],
    ['read', { query: { content: {} } }, 'query.content'],
    ['read', { query: { content: { name: { $ne: 1 } } } }, 'name'],
    ['exists', { write: { content: good } }, 'query'],
  ] as const) {
    const res = await dr(w.t, op === 'create' ? 'POST' : 'POST', `${POP}/${op}`, { as: w.welfare, body });
    assert.equal(res.statusCode, 400, `${op} ${JSON.stringify(body)}: ${res.body}`);
    assert.ok(res.json.errors.some((e: { field: string }) => e.field === field), `${op} names ${field}: ${res.body}`);
  }
  const notJson = await w.t.http.inject({ method: 'POST', url: `${POP}/create`, headers: { 'information-mediator-client': w.welfare.identifier, authorization: `Bearer ${w.welfare.token}`, 'content-type': 'application/json' }, payload: '{"write":' });
  assert.equal(notJson.statusCode, 400);
  // Creating a record that exists is a conflict, not a second record.
  const again = await dr(w.t, 'POST', `${POP}/create`, { as: w.welfare, body: { write: { content: p.data } } });
  assert.equal(again.statusCode, 409);
  assert.equal(await versions(p.key), 1);
  // A query that matches several records names none of them.
  await created(person({ name: '同名' }));
  await created(person({ name: '同名' }));
  const ambiguous = await dr(w.t, 'POST', `${POP}/read`, { as: w.welfare, body: { query: { content: { name: '同名' } } } });
  assert.equal(ambiguous.statusCode, 409);
  assert.equal(ambiguous.json.code, 'ambiguous_query');
  const issue = await dr(w.t, 'GET', POP, { as: w.welfare, headers: { 'x-road-issue': 'x'.repeat(501) } });
  assert.equal(issue.json.errors[0].field, 'X-Road-Issue');
});

test('optimistic concurrency: ETag is the version; If-Match on a moved record gets 412 and writes nothing', async () => {
  const p = await created();
  assert.equal(p.etag, '"1"');
  const read = await dr(w.t, 'POST', `${POP}/read`, { as: w.welfare, body: { query: { content: { idNumber: p.key } } } });
  assert.equal(read.headers.etag, '"1"');
  const first = await dr(w.t, 'PUT', `${POP}/update`, { as: w.welfare, body: { write: { content: { idNumber: p.key, name: '甲' } } }, headers: { 'if-match': '"1"' } });
  assert.equal(first.statusCode, 200, first.body);
  assert.equal(first.headers.etag, '"2"');
  // A second writer who also read version 1 does not overwrite the first.
  const second = await dr(w.t, 'PUT', `${POP}/update`, { as: w.welfare, body: { write: { content: { idNumber: p.key, name: '乙' } } }, headers: { 'if-match': '"1"' } });
  assert.equal(second.statusCode, 412, second.body);
  assert.equal(second.json.code, 'stale_version');
  assert.match(second.json.detail, /now at version 2/);
  const upsert = await dr(w.t, 'POST', `${POP}/updateOrCreate`, { as: w.welfare, body: { write: { content: { idNumber: p.key, name: '丙' } } }, headers: { 'if-match': 'W/"1"' } });
  assert.equal(upsert.statusCode, 412);
  const removal = await dr(w.t, 'DELETE', `${POP}/${p.key}/delete`, { as: w.welfare, headers: { 'if-match': '"1"' } });
  assert.equal(removal.statusCode, 412);
  assert.equal(await versions(p.key), 2);
  assert.equal((await dr(w.t, 'GET', `${POP}/${p.key}/readValue/name.json`, { as: w.welfare })).json.value, '甲');
  assert.equal((await dr(w.t, 'PUT', `${POP}/update`, { as: w.welfare, body: { write: { content: { idNumber: p.key, name: '丁' } } }, headers: { 'if-match': 'soon' } })).json.errors[0].field, 'If-Match');
  assert.equal((await dr(w.t, 'DELETE', `${POP}/${p.key}/delete`, { as: w.welfare, headers: { 'if-match': '"2"' } })).statusCode, 204);
});

test('each record shown is logged for its subject with X-Road-Issue as the purpose; myPersonalDataUsage answers the person, and only them', async () => {
  const p = await created(person({ name: '孙八' }));
  const other = await created(person({ name: '周九' }));
  await dr(w.t, 'POST', `${POP}/read`, { as: w.portal, body: { query: { content: { name: '孙八' } } }, headers: { 'x-road-issue': '低保资格核验', 'x-road-userid': 'clerk-17' } });
  w.t.clock.advance(1000);
  await viaExchange(w, 'GET', `/data/population/1.0?query.name=${encodeURIComponent('孙八')}`, { as: w.welfare, headers: { 'x-road-issue': '救助审核' } });
  const log = await reads(p.key);
  assert.deepEqual(log.map((r) => [r.consumer, r.purpose, r.channel]), [
    [w.portal.identifier, '低保资格核验', 'govstack'],
    [w.welfare.identifier, '救助审核', 'exchange'],
  ]);
  assert.equal(log[0].reader_name, 'clerk-17');
  assert.ok(log[1].x_road_id, 'a read through the exchange names its exchange');

  // The person's own system (the portal acting for them) sees who read their record.
  const usageUrl = (userId: string) => `${DR}/data/myPersonalDataUsage?userId=${userId}&databaseId=population`;
  const mine = await dr(w.t, 'GET', usageUrl(p.key.toLowerCase()), { as: w.portal, headers: { 'x-road-userid': p.key } });
  assert.equal(mine.statusCode, 200, mine.body);
  assertSpec('data', '/data/myPersonalDataUsage', 'get', 200, mine.json);
  const usage = mine.json as { readerId: string; readerInstitutionName: string; readerApplicationName: string; refrences: { ReferenceID: string }[]; purpose: string; fields: string[] }[];
  assert.deepEqual(usage.map((u) => u.purpose), ['救助审核', '低保资格核验'], 'newest first');
  assert.equal(usage[1].readerId, 'clerk-17');
  assert.equal(usage[1].readerInstitutionName, 'Zhejiang Civil Affairs Department');
  assert.equal(usage[1].readerApplicationName, 'portal system');
  assert.deepEqual(usage[1].refrences, [{ ReferenceID: p.key }]);
  assert.deepEqual(usage[1].fields.sort(), ['birthDate', 'idNumber', 'name', 'sex']);
  // The portal may not look at another person, nor leave out whom it acts for.
  for (const [actingFor, asked] of [[p.key, other.key], [undefined, p.key], [other.key, p.key]] as const) {
    const res = await dr(w.t, 'GET', usageUrl(asked), { as: w.portal, headers: actingFor ? { 'x-road-userid': actingFor } : {} });
    assert.equal(res.statusCode, 403, res.body);
    assert.equal(res.json.code, 'not_the_subject');
    assert.doesNotMatch(res.body, /救助审核|低保/);
  }
  const noRight = await dr(w.t, 'GET', usageUrl(p.key), { as: w.nosy, headers: { 'x-road-userid': p.key } });
  assert.equal(noRight.statusCode, 403);
  const viaExchangeToo = await viaExchange(w, 'GET', `/data/myPersonalDataUsage?userId=${p.key}&databaseId=population`, { as: w.portal, headers: { 'x-road-userid': p.key } });
  assert.equal(viaExchangeToo.statusCode, 200, viaExchangeToo.body);
  // The owner's staff answer a person's request; they need no X-Road-UserId.
  const staff = await w.t.request('GET', usageUrl(p.key), { as: w.t.world.officerA, headers: { 'information-mediator-client': w.own.identifier } });
  assert.equal(staff.statusCode, 200, staff.body);
  const outsider = await w.t.request('GET', usageUrl(p.key), { as: w.t.world.adminB, headers: { 'information-mediator-client': w.welfare.identifier } });
  assert.equal(outsider.statusCode, 403, "another organization's staff is not the owner");
  // Bad identifiers and nobody's reads, as the specification lists them.
  const invalid = await dr(w.t, 'GET', usageUrl('11010519800517011X'), { as: w.portal, headers: { 'x-road-userid': '11010519800517011X' } });
  assert.equal(invalid.statusCode, 400);
  assert.equal(invalid.json.errors[0].field, 'userId');
  const unread = idNumber('1960-06-06', '2');
  const nobody = await dr(w.t, 'GET', usageUrl(unread), { as: w.portal, headers: { 'x-road-userid': unread } });
  assert.equal(nobody.statusCode, 404);
  assert.equal((await dr(w.t, 'GET', `${DR}/data/myPersonalDataUsage?userId=${p.key}`, { as: w.portal, headers: { 'x-road-userid': p.key } })).json.errors[0].field, 'databaseId');
  // Every answer is audited.
  const audited = await db().selectFrom('audit.events').select('subject_id').where('action', '=', 'registries.usage.read').execute();
  assert.ok(audited.length >= 3);
});

test('through the exchange: the same operations, signed and logged, and a service serves only its own member’s registry', async () => {
  const p = person({ name: '吴十' });
  const create = await viaExchange(w, 'POST', '/data/population/1.0/create', { as: w.welfare, body: { write: { content: p } } });
  assert.equal(create.statusCode, 200, create.body);
  assert.ok(create.headers['x-road-id']);
  assert.equal(create.headers.etag, '"1"');
  const rows = await w.t.services.exchange.log.findByXRoadId(String(create.headers['x-road-id']));
  assert.deepEqual(rows.map((r) => r.side).sort(), ['consumer', 'provider']);
  const version = await db().selectFrom('registries.record_versions').selectAll().where('key', '=', String(p.idNumber)).executeTakeFirstOrThrow();
  assert.equal(version.source, `exchange:${w.welfare.identifier}`);
  const bad = await viaExchange(w, 'POST', '/data/population/1.0/create', { as: w.welfare, body: { write: { content: { ...p, idNumber: idNumber('1990-02-02', '1'), hukouDivision: '999999' } } } });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json.errors[0].field, 'hukouDivision');
  const none = await viaExchange(w, 'POST', '/data/population/1.0/read', { as: w.welfare, body: { query: { content: { name: '不存在' } } } });
  assert.equal(none.statusCode, 404);
  assert.equal(none.json.detail, 'no record found');
  const list = await viaExchange(w, 'GET', `/data/population/1.0?query.name=${encodeURIComponent('吴十')}&pageSize=1`, { as: w.welfare });
  assert.equal(list.json.count, 1);
  // The service registries/population serves population only.
  assert.equal((await viaExchange(w, 'GET', '/data/legal-entities/1.0', { as: w.welfare })).statusCode, 404);
  const databases = await viaExchange(w, 'GET', '/databases', { as: w.welfare });
  assert.deepEqual(databases.json.databases.map((d: { name: string }) => d.name), ['population']);
  // No right, no call: the exchange refuses before the registry is reached.
  assert.equal((await viaExchange(w, 'GET', '/data/population/1.0', { as: w.nosy })).statusCode, 403);
  // Another member may point a service of its own at egov:registries: it gets nothing of A's.
  const squatter = await w.t.services.directory.service.createSubsystem(localOperator('test'), w.t.world.deptB.id, { code: 'copycat', nameZh: '仿冒', nameEn: 'Copycat' });
  const service = await w.t.request('POST', '/api/exchange/services', { as: w.t.world.adminB, body: { subsystemId: squatter.id, code: 'population', backendUrl: 'egov:registries' } });
  assert.equal(service.statusCode, 201, service.body);
  await w.t.request('POST', `/api/exchange/services/${service.json.id}/rights`, { as: w.t.world.adminB, body: { clientKind: 'subsystem', client: w.nosy.identifier } });
  const stolen = await dr(w.t, 'GET', `/r1/${squatter.identifier}/population/data/population/1.0`, { as: w.nosy });
  assert.equal(stolen.statusCode, 404, stolen.body);
  assert.doesNotMatch(stolen.body, /吴十/);
});
