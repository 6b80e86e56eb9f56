import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TEST_PASSWORD, buildUser } from '../../test-support/factories.ts';
import { createTestApp, type TestApp } from '../../test-support/test-app.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

async function signInRaw(username: string, password: string) {
  return t.request('POST', '/api/session', { body: { username, password } });
}

async function lastAudit(action: string) {
  return t.services.database.db.selectFrom('audit.events').selectAll().where('action', '=', action).orderBy('seq', 'desc').executeTakeFirst();
}

describe('POST /api/session (sign-in)', () => {
  test('sets a Secure, HttpOnly, SameSite=Strict cookie and returns the user, CSRF token and idle timeout', async () => {
    const res = await signInRaw('officer-a', TEST_PASSWORD);
    assert.equal(res.statusCode, 200, res.body);
    const cookie = String(res.headers['set-cookie']);
    assert.match(cookie, /^egov_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Secure/);
    assert.equal(res.json.user.username, 'officer-a');
    assert.equal(res.json.user.orgNameZh, '浙江省公安厅');
    assert.deepEqual(res.json.user.roles, ['officer']);
    assert.equal(res.json.idleTimeoutSeconds, 1800);
    assert.ok(res.json.csrfToken.length >= 20);
    const event = await lastAudit('identity.sign_in');
    assert.equal(event?.outcome, 'success');
    assert.equal(event?.actor_name, 'officer-a');
  });

  test('a wrong password is 401 and audited as a failure; the password never reaches the audit', async () => {
    const res = await signInRaw('officer-a', 'Wrong#pass1');
    assert.equal(res.statusCode, 401);
    assert.equal(res.json.code, 'invalid_credentials');
    const event = await lastAudit('identity.sign_in');
    assert.equal(event?.outcome, 'failure');
    assert.ok(!JSON.stringify(event).includes('Wrong#pass1'));
  });

  test('an unknown user gets the same answer as a wrong password', async () => {
    const res = await signInRaw('nobody-here', 'Wrong#pass1');
    assert.equal(res.statusCode, 401);
    assert.equal(res.json.code, 'invalid_credentials');
  });

  test('five failures lock the account (423) even for the right password; a reset unlocks it', async () => {
    const user = await buildUser(t.services, { orgId: t.world.deptA.id, roles: ['officer'], username: 'lockme' });
    for (let i = 0; i < 4; i++) assert.equal((await signInRaw('lockme', 'Wrong#pass1')).statusCode, 401);
    const fifth = await signInRaw('lockme', 'Wrong#pass1');
    assert.equal(fifth.statusCode, 423);
    assert.equal(fifth.json.code, 'account_locked');
    assert.equal((await signInRaw('lockme', TEST_PASSWORD)).statusCode, 423);
    const listed = await t.request('GET', `/api/users/${user.id}`, { as: t.world.securityAdmin });
    assert.equal(listed.json.locked, true);
    const reset = await t.request('POST', `/api/users/${user.id}/reset-password`, { as: t.world.securityAdmin, body: { password: 'Fresh#pass2026' } });
    assert.equal(reset.statusCode, 204, reset.body);
    const after = await signInRaw('lockme', 'Fresh#pass2026');
    assert.equal(after.statusCode, 200);
    assert.equal(after.json.mustChangePassword, true, 'a password set by an admin must be changed');
  });

  test('the lock expires after the lockout period', async () => {
    await buildUser(t.services, { orgId: t.world.deptA.id, roles: ['officer'], username: 'lockexpiry' });
    for (let i = 0; i < 5; i++) await signInRaw('lockexpiry', 'Wrong#pass1');
    assert.equal((await signInRaw('lockexpiry', TEST_PASSWORD)).statusCode, 423);
    t.clock.advance(16 * 60_000);
    t.forgetSessions();
    assert.equal((await signInRaw('lockexpiry', TEST_PASSWORD)).statusCode, 200);
  });

  test('a missing field is a 400 naming it', async () => {
    const res = await t.request('POST', '/api/session', { body: { username: 'x' } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json.errors[0].field, 'password');
  });

  test('a deactivated account cannot sign in', async () => {
    const user = await buildUser(t.services, { orgId: t.world.deptA.id, roles: ['officer'] });
    await t.request('PATCH', `/api/users/${user.id}`, { as: t.world.securityAdmin, body: { version: 1, active: false } });
    const res = await signInRaw(user.username, TEST_PASSWORD);
    assert.equal(res.statusCode, 401);
    assert.equal(res.json.code, 'account_disabled');
  });
});

describe('sign-in rate limit', () => {
  test('more attempts per minute than allowed from one address get 429', async () => {
    const limited = await createTestApp({ env: { EGOV_SIGNIN_RATE_LIMIT: '3' } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await limited.request('POST', '/api/session', { body: { username: 'x', password: 'y' } })).statusCode);
      assert.deepEqual(codes, [401, 401, 401, 429, 429]);
      const res = await limited.request('POST', '/api/session', { body: { username: 'x', password: 'y' } });
      assert.equal(res.json.code, 'rate_limited');
    } finally {
      await limited.close();
    }
  });
});

describe('GET and DELETE /api/session', () => {
  test('GET returns the current user; DELETE signs out and the cookie stops working', async () => {
    const user = await buildUser(t.services, { orgId: t.world.deptA.id, roles: ['officer'] });
    const testUser = { id: user.id, username: user.username, orgId: user.orgId };
    const me = await t.request('GET', '/api/session', { as: testUser });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json.user.id, user.id);
    const out = await t.request('DELETE', '/api/session', { as: testUser });
    assert.equal(out.statusCode, 204);
    assert.match(String(out.headers['set-cookie']), /Max-Age=0/);
    const again = await t.request('GET', '/api/session', { as: testUser });
    assert.equal(again.statusCode, 401);
    assert.equal(again.json.code, 'session_expired');
  });

  test('a session idle for more than 30 minutes ends', async () => {
    const user = await buildUser(t.services, { orgId: t.world.deptA.id, roles: ['officer'] });
    const testUser = { id: user.id, username: user.username, orgId: user.orgId };
    assert.equal((await t.request('GET', '/api/session', { as: testUser })).statusCode, 200);
    t.clock.advance(29 * 60_000);
    assert.equal((await t.request('GET', '/api/session', { as: testUser })).statusCode, 200, 'activity keeps it alive');
    t.clock.advance(31 * 60_000);
    assert.equal((await t.request('GET', '/api/session', { as: testUser })).statusCode, 401);
    t.forgetSessions();
  });

  test('anonymous GET and DELETE are 401; DELETE without the CSRF header is 403', async () => {
    assert.equal((await t.request('GET', '/api/session')).statusCode, 401);
    assert.equal((await t.request('DELETE', '/api/session')).statusCode, 401);
    assert.equal((await t.request('DELETE', '/api/session', { as: t.world.officerA, csrf: false })).statusCode, 403);
  });
});

describe('POST /api/session/password', () => {
  test('changes the password when the current one is right and the new one meets the policy', async () => {
    const user = await buildUser(t.services, { orgId: t.world.deptA.id, roles: ['officer'] });
    const testUser = { id: user.id, username: user.username, orgId: user.orgId };
    const weak = await t.request('POST', '/api/session/password', { as: testUser, body: { currentPassword: TEST_PASSWORD, newPassword: 'alllowercase' } });
    assert.equal(weak.statusCode, 400);
    assert.deepEqual([weak.json.errors[0].field, weak.json.errors[0].code], ['newPassword', 'weak_password']);
    const wrong = await t.request('POST', '/api/session/password', { as: testUser, body: { currentPassword: 'Nope#12345', newPassword: 'Better#pass2027' } });
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.json.errors[0].field, 'currentPassword');
    const ok = await t.request('POST', '/api/session/password', { as: testUser, body: { currentPassword: TEST_PASSWORD, newPassword: 'Better#pass2027' } });
    assert.equal(ok.statusCode, 204, ok.body);
    assert.equal((await signInRaw(user.username, 'Better#pass2027')).statusCode, 200);
    assert.equal((await t.request('POST', '/api/session/password', { body: { currentPassword: 'a', newPassword: 'b' } })).statusCode, 401);
  });

  test('a password older than 90 days must be changed', async () => {
    await buildUser(t.services, { orgId: t.world.deptA.id, roles: ['officer'], username: 'oldpass' });
    t.clock.advance(91 * 86_400_000);
    t.forgetSessions();
    const res = await signInRaw('oldpass', TEST_PASSWORD);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json.mustChangePassword, true);
  });
});

describe('accounts (/api/users)', () => {
  const newUser = (orgId: string, overrides: Record<string, unknown> = {}) => ({ username: `u${Math.random().toString(36).slice(2, 8)}`, displayName: '张三', orgId, roles: ['officer'], password: 'Init#pass2026', ...overrides });

  test('the security admin creates, lists, reads and edits any account', async () => {
    const created = await t.request('POST', '/api/users', { as: t.world.securityAdmin, body: newUser(t.world.deptB.id) });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json.active, true);
    assert.ok(!('passwordHash' in created.json) && !created.body.includes('scrypt'), 'no hash leaves the server');
    const list = await t.request('GET', `/api/users?orgId=${t.world.deptB.id}`, { as: t.world.securityAdmin });
    assert.ok(list.json.items.some((u: { id: string }) => u.id === created.json.id));
    const readOne = await t.request('GET', `/api/users/${created.json.id}`, { as: t.world.securityAdmin });
    assert.equal(readOne.json.username, created.json.username);
    const reads = await t.services.database.db.selectFrom('audit.events').selectAll().where('action', '=', 'identity.user.read').where('actor_name', '=', 'security').execute();
    assert.ok(reads.some((e) => e.subject_id === created.json.id), 'reading an account is audited with its id');
    assert.ok(reads.some((e) => e.subject_id === null && e.detail.filter.orgId === t.world.deptB.id), 'a list read is audited with its filter');
    const edited = await t.request('PATCH', `/api/users/${created.json.id}`, { as: t.world.securityAdmin, body: { version: 1, roles: ['org_admin'] } });
    assert.equal(edited.statusCode, 200);
    assert.deepEqual(edited.json.roles, ['org_admin']);
  });

  test('an org admin manages accounts of their own organization only, and cannot grant administrator roles', async () => {
    const own = await t.request('POST', '/api/users', { as: t.world.adminA, body: newUser(t.world.deptA.id) });
    assert.equal(own.statusCode, 201);
    const other = await t.request('POST', '/api/users', { as: t.world.adminA, body: newUser(t.world.deptB.id) });
    assert.equal(other.statusCode, 403);
    const grant = await t.request('POST', '/api/users', { as: t.world.adminA, body: newUser(t.world.deptA.id, { roles: ['security_admin'] }) });
    assert.equal(grant.statusCode, 403);
    const list = await t.request('GET', '/api/users', { as: t.world.adminA });
    assert.ok(list.json.items.every((u: { orgId: string }) => u.orgId === t.world.deptA.id));
    const readOther = await t.request('GET', `/api/users/${t.world.adminB.id}`, { as: t.world.adminA });
    assert.equal(readOther.statusCode, 403);
  });

  test('the auditor, the platform admin and an officer cannot manage accounts', async () => {
    for (const who of [t.world.auditor, t.world.platformAdmin, t.world.officerA]) {
      assert.equal((await t.request('POST', '/api/users', { as: who, body: newUser(t.world.deptA.id) })).statusCode, 403, who.username);
      assert.equal((await t.request('GET', '/api/users', { as: who })).statusCode, 403, who.username);
      assert.equal((await t.request('PATCH', `/api/users/${t.world.officerA.id}`, { as: who, body: { version: 1, active: false } })).statusCode, 403, who.username);
      assert.equal((await t.request('POST', `/api/users/${t.world.officerA.id}/reset-password`, { as: who, body: { password: 'Hijack#2026x' } })).statusCode, 403, who.username);
    }
  });

  test('one person cannot hold two of the platform, security and audit administrator roles', async () => {
    const res = await t.request('POST', '/api/users', { as: t.world.securityAdmin, body: newUser(t.world.deptA.id, { roles: ['security_admin', 'audit_admin'] }) });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json.errors[0].code, 'role_separation');
  });

  test('bad input: weak password, taken user name, unknown role, stale version, own roles', async () => {
    const weak = await t.request('POST', '/api/users', { as: t.world.securityAdmin, body: newUser(t.world.deptA.id, { password: 'short' }) });
    assert.deepEqual([weak.statusCode, weak.json.errors[0].field], [400, 'password']);
    const taken = await t.request('POST', '/api/users', { as: t.world.securityAdmin, body: newUser(t.world.deptA.id, { username: 'OFFICER-A' }) });
    assert.deepEqual([taken.statusCode, taken.json.code], [409, 'username_taken']);
    const role = await t.request('POST', '/api/users', { as: t.world.securityAdmin, body: newUser(t.world.deptA.id, { roles: ['king'] }) });
    assert.equal(role.statusCode, 400);
    assert.match(role.json.errors[0].field, /^roles/);
    const stale = await t.request('PATCH', `/api/users/${t.world.officerA.id}`, { as: t.world.securityAdmin, body: { version: 99, displayName: 'x' } });
    assert.deepEqual([stale.statusCode, stale.json.code], [409, 'version_conflict']);
    const self = await t.request('PATCH', `/api/users/${t.world.securityAdmin.id}`, { as: t.world.securityAdmin, body: { version: 1, roles: ['officer'] } });
    assert.deepEqual([self.statusCode, self.json.code], [409, 'self_change']);
    const badReset = await t.request('POST', `/api/users/${t.world.officerA.id}/reset-password`, { as: t.world.securityAdmin, body: {} });
    assert.equal(badReset.json.errors[0].field, 'password');
  });

  test('deactivating an account ends its sessions', async () => {
    const user = await buildUser(t.services, { orgId: t.world.deptA.id, roles: ['officer'] });
    const testUser = { id: user.id, username: user.username, orgId: user.orgId };
    assert.equal((await t.request('GET', '/api/session', { as: testUser })).statusCode, 200);
    await t.request('PATCH', `/api/users/${user.id}`, { as: t.world.securityAdmin, body: { version: 1, active: false } });
    assert.equal((await t.request('GET', '/api/session', { as: testUser })).statusCode, 401);
  });

  test('every account route is 401 for an anonymous caller', async () => {
    for (const [method, url] of [
      ['GET', '/api/users'],
      ['GET', `/api/users/${t.world.officerA.id}`],
      ['POST', '/api/users'],
      ['PATCH', `/api/users/${t.world.officerA.id}`],
      ['POST', `/api/users/${t.world.officerA.id}/reset-password`],
    ]) {
      assert.equal((await t.request(method, url, { body: {} })).statusCode, 401, `${method} ${url}`);
    }
  });
});

describe('API tokens', () => {
  test('a token is shown once, authenticates without CSRF, and stops working when revoked', async () => {
    const created = await t.request('POST', '/api/tokens', { as: t.world.adminA, body: { name: 'ci robot', expiresInDays: 30 } });
    assert.equal(created.statusCode, 201, created.body);
    const token = created.json.token as string;
    assert.match(token, /^egov_/);
    const listed = await t.request('GET', '/api/tokens', { as: t.world.adminA });
    assert.ok(listed.json.items.some((i: { id: string; prefix: string }) => i.id === created.json.id && token.startsWith(i.prefix)));
    assert.ok(!listed.body.includes(token), 'the secret is not listed again');
    const viaToken = await t.request('POST', `/api/organizations/${t.world.deptA.id}/subsystems`, {
      headers: { authorization: `Bearer ${token}` },
      body: { code: 'robot-made', nameZh: '机器创建', nameEn: 'Robot made' },
    });
    assert.equal(viaToken.statusCode, 201, viaToken.body);
    const revoked = await t.request('DELETE', `/api/tokens/${created.json.id}`, { as: t.world.adminA });
    assert.equal(revoked.statusCode, 204);
    const after = await t.request('GET', '/api/organizations', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(after.statusCode, 401);
    assert.equal(after.json.code, 'invalid_token');
  });

  test('an expired token is refused', async () => {
    const created = await t.request('POST', '/api/tokens', { as: t.world.adminA, body: { name: 'short', expiresInDays: 1 } });
    t.clock.advance(2 * 86_400_000);
    t.forgetSessions();
    assert.equal((await t.request('GET', '/api/organizations', { headers: { authorization: `Bearer ${created.json.token}` } })).statusCode, 401);
  });

  test("bad input is 400; someone else's token cannot be revoked; anonymous is 401", async () => {
    const bad = await t.request('POST', '/api/tokens', { as: t.world.adminA, body: { name: 'x', expiresInDays: 9999 } });
    assert.deepEqual([bad.statusCode, bad.json.errors[0].field], [400, 'expiresInDays']);
    const mine = await t.request('POST', '/api/tokens', { as: t.world.adminA, body: { name: 'mine', expiresInDays: 5 } });
    assert.equal((await t.request('DELETE', `/api/tokens/${mine.json.id}`, { as: t.world.adminB })).statusCode, 403);
    assert.equal((await t.request('DELETE', '/api/tokens/not-a-uuid', { as: t.world.adminA })).statusCode, 400);
    for (const [method, url] of [['GET', '/api/tokens'], ['POST', '/api/tokens'], ['DELETE', `/api/tokens/${mine.json.id}`]]) {
      assert.equal((await t.request(method, url, { body: {} })).statusCode, 401);
    }
  });
});
