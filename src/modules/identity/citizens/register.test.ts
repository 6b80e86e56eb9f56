// Citizen registration: real-name verification through the exchange, bilingual refusals
// naming the field, and no account half-created.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { CITIZEN_PASSWORD, asCitizen, buildCitizen, buildCitizenWorld, buildPerson, counts, newIdNumber, signInCitizen, type CitizenWorld } from './test-world.ts';

let world: CitizenWorld;
before(async () => {
  world = await buildCitizenWorld();
});
after(async () => {
  await world.t.close();
});

const register = (body: Record<string, unknown>, lang?: string) => world.t.request('POST', '/api/citizen/register', { body, ...(lang ? { headers: { 'accept-language': lang } } : {}) });

test('a citizen registers: verified against the population registry through the exchange, the read logged', async () => {
  const { t } = world;
  const person = await buildPerson(t, { name: '李四' });
  const res = await register({ idNumber: person.idNumber.toLowerCase(), name: ' 李四 ', phone: '138 0013 8000', password: CITIZEN_PASSWORD });
  assert.equal(res.statusCode, 201, res.body);
  assert.match(res.json.sub, /^citizen:[0-9a-f-]{36}$/);
  assert.equal(res.json.verified, true);
  assert.equal(res.json.name, '李四');
  assert.equal(res.json.phone, '13800138000');
  assert.equal(res.json.idNumberMasked, `${person.idNumber.slice(0, 6)}********${person.idNumber.slice(-4)}`);
  assert.ok(!res.body.includes(person.idNumber), 'the full ID number is not echoed');
  // The read went through the exchange: its message log holds the call, as the identity subsystem.
  const id = res.json.sub.slice('citizen:'.length);
  const row = await t.services.database.db.selectFrom('identity.citizens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.ok(row.verification_exchange_id, 'the exchange message id is kept as evidence');
  const logged = await sql<{ n: number }>`select count(*)::int as n from exchange.message_log where x_road_id = ${row.verification_exchange_id} and client = ${world.identitySubsystem}`.execute(t.services.database.db);
  assert.ok(logged.rows[0].n >= 1, 'the exchange logged the call');
  // And the registry logged the read for the person ("who read my data"), with the fields shown only.
  const reads = await t.request('GET', `/api/registries/population/records/${person.idNumber}/reads`, { as: t.world.adminA });
  assert.equal(reads.statusCode, 200, reads.body);
  assert.ok(JSON.stringify(reads.json).includes(world.identitySubsystem.split('/').pop()!), reads.body);
  // The password is hashed, never stored as given.
  assert.match(String(row.password_hash), /^scrypt\$/);
  // Verification status for the signed-in citizen.
  const session = await signInCitizen(t, '13800138000');
  const status = await asCitizen(t, session, 'GET', '/api/citizen/account/verification');
  assert.equal(status.statusCode, 200, status.body);
  assert.equal(status.json.verified, true);
  assert.equal(status.json.source, 'population-registry');
  assert.equal(status.json.exchangeId, row.verification_exchange_id);
});

test('an ID number with a bad checksum is refused naming the field, in both languages, and nothing is written', async () => {
  const good = newIdNumber();
  const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
  const before = await counts(world.t);
  const en = await register({ idNumber: bad, name: '王五', phone: '13800138001', password: CITIZEN_PASSWORD });
  assert.equal(en.statusCode, 400, en.body);
  assert.equal(en.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.deepEqual(en.json.errors.map((e: { field: string; code: string }) => [e.field, e.code]), [['idNumber', 'id_number_check_character']]);
  assert.match(en.json.errors[0].message, /check character/);
  const zh = await register({ idNumber: bad, name: '王五', phone: '13800138001', password: CITIZEN_PASSWORD }, 'zh-CN');
  assert.match(zh.json.errors[0].message, /校验码/);
  assert.match(zh.json.detail, /idNumber/);
  assert.deepEqual(await counts(world.t), before);
});

test('a name that does not match, a person not in the registry, or not living: refused naming the field, no account', async () => {
  const { t } = world;
  const person = await buildPerson(t, { name: '赵六' });
  const dead = await buildPerson(t, { name: '钱七', status: 'deceased' });
  const before = await counts(t);
  const cases: [Record<string, unknown>, string, string, RegExp][] = [
    [{ idNumber: person.idNumber, name: '赵陆' }, 'name', 'name_mismatch', /姓名不符/],
    [{ idNumber: newIdNumber('1990-01-01'), name: '孙八' }, 'idNumber', 'person_not_found', /未找到/],
    [{ idNumber: dead.idNumber, name: '钱七' }, 'idNumber', 'person_not_living', /不在世/],
  ];
  for (const [body, field, code, zhText] of cases) {
    const res = await register({ ...body, email: 'x@example.cn', password: CITIZEN_PASSWORD });
    assert.equal(res.statusCode, 400, res.body);
    assert.deepEqual(res.json.errors.map((e: { field: string; code: string }) => [e.field, e.code]), [[field, code]]);
    const zh = await register({ ...body, email: 'x@example.cn', password: CITIZEN_PASSWORD }, 'zh');
    assert.match(zh.json.errors[0].message, zhText);
  }
  assert.deepEqual(await counts(t), before, 'no account, no success audit');
  // The refusals are audited without personal data.
  const refusals = await t.services.database.db.selectFrom('audit.events').select(['detail', 'actor_name']).where('action', '=', 'identity.citizen.register').where('outcome', '=', 'failure').execute();
  assert.ok(refusals.length >= 6);
  for (const r of refusals) assert.ok(!JSON.stringify(r).includes(person.idNumber) && !JSON.stringify(r).includes('赵'), JSON.stringify(r));
});

test('weak passwords and bad channels are refused with bilingual messages naming the field', async () => {
  const person = await buildPerson(world.t);
  const before = await counts(world.t);
  for (const [password, fragment] of [['short1A', /8/], ['alllowercaseletters', /3/], [`Ab#${person.idNumber}`, /ID number/]] as const) {
    const res = await register({ idNumber: person.idNumber, name: person.name, phone: '13800138002', password });
    assert.equal(res.statusCode, 400, res.body);
    const error = res.json.errors.find((e: { field: string }) => e.field === 'password');
    assert.ok(error, res.body);
    assert.equal(error.code, 'weak_password');
    assert.match(error.message, fragment);
    const zh = await register({ idNumber: person.idNumber, name: person.name, phone: '13800138002', password }, 'zh-CN');
    assert.match(zh.json.errors.find((e: { field: string }) => e.field === 'password').message, /[\u4e00-\u9fff]/);
  }
  const noContact = await register({ idNumber: person.idNumber, name: person.name, password: CITIZEN_PASSWORD });
  assert.equal(noContact.json.errors[0].field, 'phone');
  assert.equal(noContact.json.errors[0].code, 'contact_required');
  const badPhone = await register({ idNumber: person.idNumber, name: person.name, phone: '12345', email: 'not-an-email', password: CITIZEN_PASSWORD });
  assert.deepEqual(badPhone.json.errors.map((e: { field: string }) => e.field).sort(), ['email', 'phone']);
  const unknown = await register({ idNumber: person.idNumber, name: person.name, phone: '13800138002', password: CITIZEN_PASSWORD, admin: true });
  assert.equal(unknown.statusCode, 400);
  assert.deepEqual(await counts(world.t), before);
});

test('a phone or email used by another account, or a second account for one person, is refused naming the field', async () => {
  const { t } = world;
  const first = await buildCitizen(t);
  const person = await buildPerson(t);
  const before = await counts(t);
  const reusedPhone = await register({ idNumber: person.idNumber, name: person.name, phone: first.phone, password: CITIZEN_PASSWORD });
  assert.equal(reusedPhone.statusCode, 409, reusedPhone.body);
  assert.deepEqual(reusedPhone.json.errors.map((e: { field: string; code: string }) => [e.field, e.code]), [['phone', 'phone_in_use']]);
  const zh = await register({ idNumber: person.idNumber, name: person.name, phone: first.phone, password: CITIZEN_PASSWORD }, 'zh-CN');
  assert.match(zh.json.errors[0].message, /已被其他账户使用/);
  const reusedEmail = await register({ idNumber: person.idNumber, name: person.name, email: first.email.toUpperCase(), password: CITIZEN_PASSWORD });
  assert.equal(reusedEmail.statusCode, 409);
  assert.equal(reusedEmail.json.errors[0].field, 'email');
  const again = await register({ idNumber: first.idNumber, name: first.name, phone: '13700000001', password: CITIZEN_PASSWORD });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json.errors[0].field, 'idNumber');
  assert.deepEqual(await counts(t), before);
});

test('when the identity subsystem has no right on the registry, nothing is decided and nothing written', async () => {
  const bare = await buildCitizenWorld({ grant: false });
  try {
    const person = await buildPerson(bare.t);
    const res = await bare.t.request('POST', '/api/citizen/register', { body: { idNumber: person.idNumber, name: person.name, phone: '13800138003', password: CITIZEN_PASSWORD } });
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json.code, 'verification_unavailable');
    assert.equal((await counts(bare.t)).citizens, 0);
  } finally {
    await bare.t.close();
  }
});
