// A citizen's account after registration: sign-in with lockout, the TOTP second factor,
// password reset by code, deletion with a record kept, the interim session's 401 and CSRF,
// and that one citizen cannot reach another's account.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CodeMessage } from './code-sender.ts';
import { totpCode } from '../totp/codes.ts';
import { CITIZEN_PASSWORD, asCitizen, buildCitizen, buildCitizenWorld, signInCitizen, type CitizenWorld } from './test-world.ts';

let world: CitizenWorld;
const sent: CodeMessage[] = [];
before(async () => {
  world = await buildCitizenWorld();
  world.t.services.citizens.useCodeSender({ send: async (m) => void sent.push(m) });
});
after(async () => {
  await world.t.close();
});

const signIn = (body: Record<string, unknown>) => world.t.request('POST', '/api/citizen/session', { body });

test('every signed-in route answers 401 without a session, and writes need the CSRF token', async () => {
  const { t } = world;
  const routes: [string, string, unknown?][] = [
    ['GET', '/api/citizen/session'],
    ['DELETE', '/api/citizen/session'],
    ['GET', '/api/citizen/account'],
    ['GET', '/api/citizen/account/verification'],
    ['POST', '/api/citizen/account/totp'],
    ['POST', '/api/citizen/account/totp/confirm', { code: '123456' }],
    ['POST', '/api/citizen/account/delete', { password: 'x' }],
    ['GET', '/api/citizen/enterprises'],
    ['POST', '/api/citizen/enterprises', { creditCode: 'x' }],
    ['GET', '/api/citizen/enterprises/00000000-0000-4000-8000-000000000000/agents'],
    ['POST', '/api/citizen/enterprises/00000000-0000-4000-8000-000000000000/agents', {}],
    ['DELETE', '/api/citizen/enterprises/00000000-0000-4000-8000-000000000000/agents/00000000-0000-4000-8000-000000000000'],
  ];
  for (const [method, url, body] of routes) {
    const res = await asCitizen(t, null, method, url, body);
    assert.equal(res.statusCode, 401, `${method} ${url}: ${res.body}`);
    assert.equal(res.json.code, 'unauthenticated');
  }
  // A staff session is not a citizen session.
  const staff = await t.request('GET', '/api/citizen/account', { as: t.world.adminA });
  assert.equal(staff.statusCode, 401);
  const citizen = await buildCitizen(t);
  const session = await signInCitizen(t, citizen.phone);
  const noCsrf = await asCitizen(t, session, 'POST', '/api/citizen/account/totp', undefined, { csrf: false });
  assert.equal(noCsrf.statusCode, 403);
  assert.equal(noCsrf.json.code, 'csrf_failed');
  const forged = await asCitizen(t, { ...session, cookie: 'egov_citizen_session=forged' }, 'GET', '/api/citizen/account');
  assert.equal(forged.statusCode, 401);
  // Signing out ends the session.
  assert.equal((await asCitizen(t, session, 'DELETE', '/api/citizen/session')).statusCode, 204);
  assert.equal((await asCitizen(t, session, 'GET', '/api/citizen/account')).statusCode, 401);
});

test('sign-in by phone, email or ID number; the account read is audited; lockout after repeated failures', async () => {
  const { t } = world;
  const citizen = await buildCitizen(t);
  for (const login of [citizen.phone, citizen.email.toUpperCase(), citizen.idNumber]) {
    const session = await signInCitizen(t, login);
    const me = await asCitizen(t, session, 'GET', '/api/citizen/account');
    assert.equal(me.statusCode, 200, me.body);
    assert.equal(me.json.sub, citizen.sub);
  }
  const reads = await t.services.database.db.selectFrom('audit.events').select(['actor_name', 'subject_id']).where('action', '=', 'identity.citizen.read').where('subject_id', '=', citizen.id).execute();
  assert.equal(reads.length, 3);
  assert.equal(reads[0].actor_name, citizen.sub);
  const wrong = await signIn({ login: citizen.phone, password: 'Wrong#2026pw' });
  assert.equal(wrong.statusCode, 401);
  assert.equal(wrong.json.code, 'invalid_credentials');
  const unknown = await signIn({ login: '13911112222', password: CITIZEN_PASSWORD });
  assert.equal(unknown.statusCode, 401);
  assert.equal(unknown.json.code, 'invalid_credentials', 'an unknown account answers as a wrong password');
  for (let i = 2; i <= t.config.lockoutThreshold; i++) await signIn({ login: citizen.phone, password: 'Wrong#2026pw' });
  const locked = await signIn({ login: citizen.phone, password: CITIZEN_PASSWORD });
  assert.equal(locked.statusCode, 423, locked.body);
  assert.equal(locked.json.code, 'account_locked');
  const zh = await t.request('POST', '/api/citizen/session', { body: { login: citizen.phone, password: CITIZEN_PASSWORD }, headers: { 'accept-language': 'zh-CN' } });
  assert.match(zh.json.detail, /锁定/);
  t.clock.advance(t.config.lockoutMinutes * 60_000 + 1000);
  assert.equal((await signIn({ login: citizen.phone, password: CITIZEN_PASSWORD })).statusCode, 200);
  // The OIDC provider's check gives the same answers as a result.
  const ok = await t.services.citizens.authenticate(citizen.idNumber, CITIZEN_PASSWORD);
  assert.deepEqual(ok, { ok: true, sub: citizen.sub, citizenId: citizen.id });
  const bad = await t.services.citizens.authenticate(citizen.idNumber, 'nope');
  assert.equal(bad.ok, false);
});

test('TOTP: a secret shown once as otpauth://, confirmed with a code, then required at sign-in; a code is not accepted twice', async () => {
  const { t } = world;
  const citizen = await buildCitizen(t);
  const session = await signInCitizen(t, citizen.phone);
  const enrol = await asCitizen(t, session, 'POST', '/api/citizen/account/totp');
  assert.equal(enrol.statusCode, 200, enrol.body);
  assert.match(enrol.json.uri, /^otpauth:\/\/totp\/.+secret=[A-Z2-7]+/);
  assert.ok(!enrol.json.uri.includes(citizen.phone), 'the label is masked');
  assert.equal(enrol.headers['cache-control'], 'no-store');
  const secret: string = enrol.json.secret;
  const row = await t.services.database.db.selectFrom('identity.citizens').select(['totp_pending']).where('id', '=', citizen.id).executeTakeFirstOrThrow();
  assert.ok(!JSON.stringify(row.totp_pending).includes(secret), 'the secret is stored sealed');
  // Until confirmed, sign-in needs no code.
  await signInCitizen(t, citizen.phone);
  const wrong = await asCitizen(t, session, 'POST', '/api/citizen/account/totp/confirm', { code: '000000' === totpCode(secret, t.clock.now()) ? '111111' : '000000' });
  assert.equal(wrong.statusCode, 400);
  assert.equal(wrong.json.errors[0].field, 'code');
  const confirmed = await asCitizen(t, session, 'POST', '/api/citizen/account/totp/confirm', { code: totpCode(secret, t.clock.now()) });
  assert.equal(confirmed.statusCode, 204, confirmed.body);
  assert.equal((await asCitizen(t, session, 'POST', '/api/citizen/account/totp')).statusCode, 409);
  // The code used to confirm cannot sign in (replay); the next step's can.
  const missing = await signIn({ login: citizen.phone, password: CITIZEN_PASSWORD });
  assert.equal(missing.statusCode, 401);
  assert.equal(missing.json.code, 'totp_required');
  const replay = await signIn({ login: citizen.phone, password: CITIZEN_PASSWORD, totp: totpCode(secret, t.clock.now()) });
  assert.equal(replay.statusCode, 401);
  assert.equal(replay.json.code, 'totp_invalid');
  t.clock.advance(30_000);
  const next = await signIn({ login: citizen.phone, password: CITIZEN_PASSWORD, totp: totpCode(secret, t.clock.now()) });
  assert.equal(next.statusCode, 200, next.body);
  const me = await asCitizen(t, session, 'GET', '/api/citizen/account');
  assert.equal(me.json.totpEnabled, true);
  // The OIDC provider's check asks for the code too.
  assert.equal((await t.services.citizens.authenticate(citizen.phone, CITIZEN_PASSWORD)).ok, false);
  t.clock.advance(30_000);
  assert.equal((await t.services.citizens.authenticate(citizen.phone, CITIZEN_PASSWORD, totpCode(secret, t.clock.now()))).ok, true);
});

test('password reset: a code to the account channel, with expiry and an attempt limit; the same answer for no account', async () => {
  const { t } = world;
  const citizen = await buildCitizen(t);
  const old = await signInCitizen(t, citizen.phone);
  const none = await t.request('POST', '/api/citizen/password-reset', { body: { login: '13900000000' } });
  const some = await t.request('POST', '/api/citizen/password-reset', { body: { login: citizen.email } });
  assert.equal(none.statusCode, 202);
  assert.equal(some.statusCode, 202);
  assert.deepEqual(none.json, some.json, 'no way to tell whether an account exists');
  const message = sent.at(-1)!;
  assert.equal(message.channel, 'email');
  assert.equal(message.to, citizen.email);
  assert.match(message.code, /^\d{6}$/);
  const stored = await t.services.database.db.selectFrom('identity.citizen_codes').select('code_hash').where('citizen_id', '=', citizen.id).executeTakeFirstOrThrow();
  assert.notEqual(stored.code_hash, message.code, 'only a hash is kept');
  const confirm = (code: string, newPassword = 'Renewed#2026pw') => t.request('POST', '/api/citizen/password-reset/confirm', { body: { login: citizen.email, code, newPassword } });
  const weak = await confirm(message.code, 'weak');
  assert.equal(weak.statusCode, 400);
  assert.equal(weak.json.errors[0].field, 'newPassword');
  const wrong = message.code === '000000' ? '000001' : '000000';
  for (let i = 1; i < 5; i++) {
    const res = await confirm(wrong);
    assert.equal(res.statusCode, 400);
    assert.equal(res.json.errors[0].code, 'invalid_code');
  }
  const exhausted = await confirm(wrong);
  assert.equal(exhausted.json.errors[0].code, 'code_attempts_exceeded');
  assert.equal((await confirm(message.code)).json.errors[0].code, 'invalid_code', 'the right code no longer works either');
  // A new code, by phone this time; it expires.
  await t.request('POST', '/api/citizen/password-reset', { body: { login: citizen.phone } });
  const byPhone = sent.at(-1)!;
  assert.equal(byPhone.channel, 'phone');
  t.clock.advance(11 * 60_000);
  assert.equal((await t.request('POST', '/api/citizen/password-reset/confirm', { body: { login: citizen.phone, code: byPhone.code, newPassword: 'Renewed#2026pw' } })).json.errors[0].code, 'invalid_code');
  await t.request('POST', '/api/citizen/password-reset', { body: { login: citizen.phone } });
  const fresh = sent.at(-1)!;
  const done = await t.request('POST', '/api/citizen/password-reset/confirm', { body: { login: citizen.phone, code: fresh.code, newPassword: 'Renewed#2026pw' } });
  assert.equal(done.statusCode, 204, done.body);
  assert.equal((await asCitizen(t, old, 'GET', '/api/citizen/account')).statusCode, 401, 'old sessions end');
  assert.equal((await signIn({ login: citizen.phone, password: CITIZEN_PASSWORD })).statusCode, 401);
  assert.equal((await signIn({ login: citizen.phone, password: 'Renewed#2026pw' })).statusCode, 200);
  // The code was used: it cannot be used again.
  assert.equal((await t.request('POST', '/api/citizen/password-reset/confirm', { body: { login: citizen.phone, code: fresh.code, newPassword: 'Another#2026pw' } })).statusCode, 400);
});

test('deletion erases personal data, keeps a minimal row and an audit record, and frees the ID number', async () => {
  const { t } = world;
  const citizen = await buildCitizen(t);
  const session = await signInCitizen(t, citizen.phone);
  const wrong = await asCitizen(t, session, 'POST', '/api/citizen/account/delete', { password: 'Wrong#2026pw' });
  assert.equal(wrong.statusCode, 400);
  assert.equal(wrong.json.errors[0].field, 'password');
  const res = await asCitizen(t, session, 'POST', '/api/citizen/account/delete', { password: CITIZEN_PASSWORD });
  assert.equal(res.statusCode, 204, res.body);
  const row = await t.services.database.db.selectFrom('identity.citizens').selectAll().where('id', '=', citizen.id).executeTakeFirstOrThrow();
  assert.equal(row.status, 'deleted');
  assert.ok(row.deleted_at && row.created_at && row.verified_at);
  for (const field of ['id_number', 'name', 'phone', 'email', 'password_hash', 'totp_secret']) assert.equal(row[field], null, field);
  assert.ok(!JSON.stringify(row).includes(citizen.idNumber) && !JSON.stringify(row).includes(citizen.name));
  const audit = await t.services.database.db.selectFrom('audit.events').selectAll().where('action', '=', 'identity.citizen.delete').where('outcome', '=', 'success').where('subject_id', '=', citizen.id).execute();
  assert.equal(audit.length, 1);
  assert.ok(!JSON.stringify(audit[0]).includes(citizen.idNumber));
  assert.equal((await asCitizen(t, session, 'GET', '/api/citizen/account')).statusCode, 401);
  assert.equal((await signIn({ login: citizen.phone, password: CITIZEN_PASSWORD })).statusCode, 401);
  assert.equal(await t.services.citizens.findBySub(citizen.sub), undefined);
  assert.equal(await t.services.citizens.claims(citizen.sub, ['openid', 'profile']), undefined);
  // The person may register again.
  const again = await t.request('POST', '/api/citizen/register', { body: { idNumber: citizen.idNumber, name: citizen.name, phone: citizen.phone, password: CITIZEN_PASSWORD } });
  assert.equal(again.statusCode, 201, again.body);
  assert.notEqual(again.json.sub, citizen.sub);
});

test('the account-kind interface for the OIDC provider: findBySub and claims by scope, masked ID unless asked', async () => {
  const { t } = world;
  const citizen = await buildCitizen(t);
  const found = await t.services.citizens.findBySub(citizen.sub);
  assert.deepEqual(found, { sub: citizen.sub, citizenId: citizen.id, verified: true, totpEnabled: false });
  for (const sub of ['staff:' + citizen.id, 'citizen:nope', 'citizen:00000000-0000-4000-8000-000000000000', '']) assert.equal(await t.services.citizens.findBySub(sub), undefined, sub);
  const basic = await t.services.citizens.claims(citizen.sub, ['openid']);
  assert.deepEqual(basic, { sub: citizen.sub, account_type: 'citizen' });
  const profile = await t.services.citizens.claims(citizen.sub, 'openid profile phone email', { reader: 'portal' });
  assert.equal(profile!.name, citizen.name);
  assert.equal(profile!.id_number_masked, `${citizen.idNumber.slice(0, 6)}********${citizen.idNumber.slice(-4)}`);
  assert.equal(profile!.id_number, undefined);
  assert.equal(profile!.phone_number, citizen.phone);
  assert.equal(profile!.email, citizen.email);
  const full = await t.services.citizens.claims(citizen.sub, ['openid', 'profile'], { fullIdNumber: true });
  assert.equal(full!.id_number, citizen.idNumber);
  const audited = await t.services.database.db.selectFrom('audit.events').select(['actor_name', 'detail']).where('action', '=', 'identity.citizen.claims.read').where('subject_id', '=', citizen.id).orderBy('seq').execute();
  assert.equal(audited.length, 3);
  assert.equal(audited[1].actor_name, 'oidc-client:portal');
  assert.ok(!JSON.stringify(audited).includes(citizen.idNumber));
});
