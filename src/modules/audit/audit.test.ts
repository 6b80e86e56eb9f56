import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../test-support/test-app.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp();
  // Something to find: a sign-in failure and a directory write.
  await t.request('POST', '/api/session', { body: { username: 'officer-a', password: 'Wrong#pass1' } });
  await t.request('POST', `/api/organizations/${t.world.deptA.id}/subsystems`, { as: t.world.adminA, body: { code: 'audited', nameZh: '被审计', nameEn: 'Audited' } });
});
after(() => t.close());

describe('GET /api/audit', () => {
  test('the auditor filters by action, actor, organization and outcome', async () => {
    const byAction = await t.request('GET', '/api/audit?action=directory.subsystem', { as: t.world.auditor });
    assert.equal(byAction.statusCode, 200);
    assert.ok(byAction.json.items.length >= 1);
    assert.ok(byAction.json.items.every((e: { action: string }) => e.action.startsWith('directory.subsystem')));
    const failures = await t.request('GET', '/api/audit?action=identity.sign_in&outcome=failure&actor=officer-a', { as: t.world.auditor });
    assert.ok(failures.json.items.length >= 1);
    assert.equal(failures.json.items[0].detail.reason, 'wrong_password');
    const byOrg = await t.request('GET', `/api/audit?orgId=${t.world.deptA.id}&action=directory`, { as: t.world.auditor });
    assert.ok(byOrg.json.items.every((e: { orgId: string }) => e.orgId === t.world.deptA.id));
    const future = await t.request('GET', `/api/audit?from=${encodeURIComponent(new Date(Date.now() + 86_400_000 * 365).toISOString())}`, { as: t.world.auditor });
    assert.equal(future.json.total, 0);
  });

  test('bad filters are 400 naming the field; other roles 403; anonymous 401', async () => {
    const bad = await t.request('GET', '/api/audit?from=yesterday', { as: t.world.auditor });
    assert.deepEqual([bad.statusCode, bad.json.errors[0].field], [400, 'from']);
    for (const who of [t.world.platformAdmin, t.world.securityAdmin, t.world.adminA, t.world.officerA]) {
      assert.equal((await t.request('GET', '/api/audit', { as: who })).statusCode, 403, who.username);
    }
    assert.equal((await t.request('GET', '/api/audit')).statusCode, 401);
  });
});

describe('GET /api/audit/export.csv', () => {
  test('exports matching rows as CSV with a header, and the export itself is audited', async () => {
    const res = await t.request('GET', '/api/audit/export.csv?action=directory', { as: t.world.auditor });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="egov-audit-/);
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\n');
    assert.equal(lines[0], 'seq,at,actor,org_id,action,subject_type,subject_id,outcome,ip,request_id,detail,hash');
    assert.ok(lines.slice(1).some((l) => l.includes('directory.subsystem.create')));
    const exported = await t.request('GET', '/api/audit?action=audit.export', { as: t.world.auditor });
    assert.equal(exported.json.items[0].actorName, 'auditor');
  });

  test('403 for other roles, 400 for bad filters, 401 anonymous', async () => {
    assert.equal((await t.request('GET', '/api/audit/export.csv', { as: t.world.securityAdmin })).statusCode, 403);
    assert.equal((await t.request('GET', '/api/audit/export.csv?outcome=maybe', { as: t.world.auditor })).statusCode, 400);
    assert.equal((await t.request('GET', '/api/audit/export.csv')).statusCode, 401);
  });
});

describe('the hash chain', () => {
  test('verify passes on an untouched log', async () => {
    const res = await t.request('GET', '/api/audit/verify', { as: t.world.auditor });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json.ok, true);
    assert.ok(res.json.rows > 5);
    assert.equal((await t.request('GET', '/api/audit/verify', { as: t.world.platformAdmin })).statusCode, 403);
    assert.equal((await t.request('GET', '/api/audit/verify')).statusCode, 401);
  });

  test('the database refuses UPDATE, DELETE and TRUNCATE of audit rows', async () => {
    const db = t.services.database.db;
    await assert.rejects(sql`update audit.events set actor_name = 'mallory' where seq = 1`.execute(db), /append-only/);
    await assert.rejects(sql`delete from audit.events where seq = 1`.execute(db), /append-only/);
    await assert.rejects(sql`truncate audit.events`.execute(db), /append-only/);
  });

  test('a row changed behind the trigger is named by verify', async () => {
    const db = t.services.database.db;
    // Only the table owner can switch the trigger off: this is the attack verify exists for.
    await sql`alter table audit.events disable trigger events_no_update`.execute(db);
    await sql`update audit.events set actor_name = 'mallory' where seq = 3`.execute(db);
    await sql`alter table audit.events enable trigger events_no_update`.execute(db);
    const result = await t.services.audit.verify();
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.firstBadSeq === 3, JSON.stringify(result));
    const viaApi = await t.request('GET', '/api/audit/verify', { as: t.world.auditor });
    assert.equal(viaApi.json.firstBadSeq, 3);
  });
});
