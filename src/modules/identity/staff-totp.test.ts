// Staff TOTP through the API: administrators must have it (POST /api/session refuses one who
// has not set it up), others may; setting it up, codes accepted once, turning it off, and the
// security admin's reset. The provider's pages are in oidc/staff-totp-flow.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { localOperator } from '../../platform/actor.ts';
import { TEST_PASSWORD, buildUser } from '../../test-support/factories.ts';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.ts';
import { totpCode } from './totp/codes.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

const STEP_MS = 30_000;
const signInRaw = (username: string, extra: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  t.request('POST', '/api/session', { body: { username, password: TEST_PASSWORD, ...extra }, headers });

async function auditEvents(action: string, subjectId: string) {
  return t.services.database.db.selectFrom('audit.events').select(['outcome', 'detail', 'actor_id']).where('action', '=', action).where('subject_id', '=', subjectId).orderBy('seq').execute();
}

async function newUser(roles: Parameters<typeof buildUser>[1]['roles']): Promise<TestUser> {
  const u = await buildUser(t.services, { orgId: t.world.deptA.id, roles });
  return { id: u.id, username: u.username, orgId: u.orgId };
}

/** Sets TOTP up for `user` through the API and returns the secret. */
async function enrol(user: TestUser): Promise<string> {
  const started = await t.request('POST', '/api/session/totp', { as: user });
  assert.equal(started.statusCode, 200, started.body);
  assert.equal(started.headers['cache-control'], 'no-store');
  assert.match(started.json.uri, /^otpauth:\/\/totp\//);
  const secret = started.json.secret as string;
  const confirmed = await t.request('POST', '/api/session/totp/confirm', { as: user, body: { code: totpCode(secret, t.clock.now()) } });
  assert.equal(confirmed.statusCode, 204, confirmed.body);
  // The confirming code's step is used: the next sign-in needs a later one.
  t.clock.advance(STEP_MS);
  return secret;
}

describe('POST /api/session with two-step sign-in', () => {
  test('an administrator who has not set TOTP up is refused (403 totp_enrolment_required), in both languages, and it is audited', async () => {
    const admin = await newUser(['org_admin']);
    const res = await signInRaw(admin.username, {}, { 'accept-language': 'zh-CN' });
    assert.equal(res.statusCode, 403, res.body);
    assert.equal(res.json.code, 'totp_enrolment_required');
    assert.match(res.json.detail, /两步验证/);
    assert.match(res.json.detail, /登录页面/);
    const en = await signInRaw(admin.username, {}, { 'accept-language': 'en' });
    assert.equal(en.json.code, 'totp_enrolment_required');
    assert.match(en.json.detail, /workbench’s sign-in page/);
    assert.equal(en.headers['set-cookie'], undefined);
    const events = await auditEvents('identity.sign_in', admin.id);
    assert.ok(events.length >= 2 && events.every((e) => e.outcome === 'failure' && (e.detail as { reason: string }).reason === 'totp_enrolment_required'), JSON.stringify(events));
  });

  test('an officer without TOTP still signs in with the password alone', async () => {
    const officer = await newUser(['officer']);
    assert.equal((await signInRaw(officer.username)).statusCode, 200);
  });

  test('with TOTP on: no code, a wrong code and a replayed code are refused (401); the current code signs in; every outcome audited', async () => {
    const officer = await newUser(['officer']);
    const secret = await enrol(officer);
    const status = await t.request('GET', '/api/session/totp', { as: officer });
    assert.deepEqual(status.json, { enabled: true, required: false, pending: false });

    const missing = await signInRaw(officer.username, {}, { 'accept-language': 'zh-CN' });
    assert.equal(missing.statusCode, 401);
    assert.equal(missing.json.code, 'totp_required');
    assert.match(missing.json.detail, /6 位验证码/);
    const code = totpCode(secret, t.clock.now());
    const wrong = await signInRaw(officer.username, { totp: code === '000000' ? '111111' : '000000' });
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json.code, 'totp_invalid');
    assert.equal((await signInRaw(officer.username, { totp: code })).statusCode, 200);
    const replayed = await signInRaw(officer.username, { totp: code }, { 'accept-language': 'en' });
    assert.equal(replayed.statusCode, 401, 'the same code is not accepted twice');
    assert.equal(replayed.json.code, 'totp_invalid');
    assert.match(replayed.json.detail, /already used/);
    // A code of an earlier step than one used is a replay too.
    t.clock.advance(STEP_MS);
    assert.equal((await signInRaw(officer.username, { totp: code })).statusCode, 401);
    assert.equal((await signInRaw(officer.username, { totp: totpCode(secret, t.clock.now()) })).statusCode, 200);

    const reasons = (await auditEvents('identity.sign_in', officer.id)).map((e) => `${e.outcome}:${(e.detail as { reason?: string; secondFactor?: string } | null)?.reason ?? (e.detail as { secondFactor?: string } | null)?.secondFactor ?? ''}`);
    assert.deepEqual(reasons.slice(-6), ['failure:totp_required', 'failure:wrong_totp', 'success:totp', 'failure:wrong_totp', 'failure:wrong_totp', 'success:totp']);
  });

  test('wrong codes count towards the lockout like wrong passwords', async () => {
    const officer = await newUser(['officer']);
    const secret = await enrol(officer);
    const wrong = totpCode(secret, t.clock.now()) === '000000' ? '111111' : '000000';
    let last = 0;
    for (let i = 0; i < t.config.lockoutThreshold; i++) last = (await signInRaw(officer.username, { totp: wrong })).statusCode;
    assert.equal(last, 423);
    assert.equal((await signInRaw(officer.username, { totp: totpCode(secret, t.clock.now()) })).statusCode, 423);
  });
});

describe('your own TOTP: /api/session/totp', () => {
  test('setting up: a wrong first code is refused and TOTP stays off; confirming twice is a conflict', async () => {
    const officer = await newUser(['officer']);
    const started = await t.request('POST', '/api/session/totp', { as: officer });
    const secret = started.json.secret as string;
    assert.deepEqual((await t.request('GET', '/api/session/totp', { as: officer })).json, { enabled: false, required: false, pending: true });
    const code = totpCode(secret, t.clock.now());
    const wrong = await t.request('POST', '/api/session/totp/confirm', { as: officer, body: { code: code === '000000' ? '111111' : '000000' } });
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.json.errors[0].field, 'code');
    assert.equal((await signInRaw(officer.username)).statusCode, 200, 'not on until confirmed');
    assert.equal((await t.request('POST', '/api/session/totp/confirm', { as: officer, body: { code } })).statusCode, 204);
    assert.equal((await t.request('POST', '/api/session/totp/confirm', { as: officer, body: { code } })).json.code, 'totp_enabled');
    assert.equal((await t.request('POST', '/api/session/totp', { as: officer })).statusCode, 409);
    assert.deepEqual((await auditEvents('identity.totp.confirm', officer.id)).map((e) => e.outcome), ['failure', 'success']);
  });

  test('an officer turns it off with a current code; an administrator cannot turn it off', async () => {
    const officer = await newUser(['officer']);
    const secret = await enrol(officer);
    const withoutCode = await t.request('POST', '/api/session/totp/remove', { as: officer, body: { code: '000000' } });
    assert.equal(withoutCode.statusCode, 400);
    const removed = await t.request('POST', '/api/session/totp/remove', { as: officer, body: { code: totpCode(secret, t.clock.now()) } });
    assert.equal(removed.statusCode, 204, removed.body);
    t.forgetSessions();
    assert.equal((await signInRaw(officer.username)).statusCode, 200);

    const admin = t.world.adminA;
    const refused = await t.request('POST', '/api/session/totp/remove', { as: admin, body: { code: '123456' } });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json.code, 'totp_required_for_role');
    assert.deepEqual((await t.request('GET', '/api/session/totp', { as: admin })).json, { enabled: true, required: true, pending: false });
  });
});

describe('DELETE /api/users/{id}/totp (reset)', () => {
  test('the security admin resets another person’s TOTP: audited, their sessions end, and an administrator must set it up again', async () => {
    const admin = await newUser(['org_admin']);
    await t.services.identity.staffTotp.installKnownSecret(localOperator('test'), admin.id, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    const session = await signInRaw(admin.username, { totp: totpCode('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', t.clock.now()) });
    assert.equal(session.statusCode, 200, session.body);
    const cookie = String(session.headers['set-cookie']).split(';')[0];

    const res = await t.request('DELETE', `/api/users/${admin.id}/totp`, { as: t.world.securityAdmin });
    assert.equal(res.statusCode, 204, res.body);
    const events = await auditEvents('identity.totp.reset', admin.id);
    assert.equal(events.length, 1);
    assert.equal(events[0].actor_id, t.world.securityAdmin.id);
    assert.equal((await t.http.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).statusCode, 401, 'their sessions end');
    assert.equal((await signInRaw(admin.username)).json.code, 'totp_enrolment_required');
  });

  test('nobody else may reset: an organization admin, an officer, the platform admin; nor the security admin their own', async () => {
    const target = t.world.officerA;
    for (const who of [t.world.adminA, t.world.officerA, t.world.platformAdmin, t.world.auditor]) {
      const res = await t.request('DELETE', `/api/users/${target.id}/totp`, { as: who });
      assert.equal(res.statusCode, 403, `${who.username}: ${res.body}`);
    }
    assert.equal((await t.request('DELETE', `/api/users/${t.world.securityAdmin.id}/totp`, { as: t.world.securityAdmin })).statusCode, 403);
    assert.equal((await t.request('DELETE', `/api/users/00000000-0000-4000-8000-000000000000/totp`, { as: t.world.securityAdmin })).statusCode, 404);
  });
});

describe('every TOTP route needs a signed-in user', () => {
  test('anonymous requests are 401', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/session/totp'],
      ['POST', '/api/session/totp'],
      ['POST', '/api/session/totp/confirm', { code: '123456' }],
      ['POST', '/api/session/totp/remove', { code: '123456' }],
      ['DELETE', `/api/users/${t.world.officerA.id}/totp`],
    ];
    for (const [method, url, body] of routes) {
      const res = await t.request(method, url, body === undefined ? {} : { body });
      assert.equal(res.statusCode, 401, `${method} ${url}: ${res.body}`);
    }
  });
});
