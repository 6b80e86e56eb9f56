// Sends random and mutated bodies to every write endpoint. No answer may be a 5xx, and a
// rejected request must leave the business tables exactly as they were.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { localOperator } from '../../src/platform/actor.ts';
import { newCreditCode } from '../../src/test-support/factories.ts';
import { createTestApp, type TestApp, type TestUser } from '../../src/test-support/test-app.ts';

const REQUESTS = Number(process.env.EGOV_FUZZ_REQUESTS ?? 1200);
const SEED = Number(process.env.EGOV_FUZZ_SEED ?? 20261126);

let t: TestApp;
/** A certificate the officer holds and a request waiting for the CA operator, for the trust endpoints. */
const trust = { serial: '', pendingId: '' };
/** A subsystem of A with one service, and B's subsystem as a client, for the exchange endpoints. */
const exchange = { subsystemId: '', serviceId: '', client: '', groupId: '' };
before(async () => {
  t = await createTestApp();
  const { adminA, officerA, securityAdmin } = t.world;
  const issued = await t.request('POST', '/api/trust/certificate-requests', { as: adminA, body: { profile: 'signing', holderUserId: officerA.id } });
  trust.serial = (await t.request('POST', `/api/trust/certificate-requests/${issued.json.id}/approve`, { as: securityAdmin, body: { version: 1 } })).json.certificateSerial;
  trust.pendingId = (await t.request('POST', '/api/trust/certificate-requests', { as: adminA, body: { profile: 'tls', nodeName: 'fuzz.example' } })).json.id;
  const directory = t.services.directory.service;
  exchange.subsystemId = (await directory.createSubsystem(localOperator('fuzz'), t.world.deptA.id, { code: 'fuzzsys', nameZh: '模糊系统', nameEn: 'Fuzz system' })).id;
  exchange.client = (await directory.createSubsystem(localOperator('fuzz'), t.world.deptB.id, { code: 'fuzzclient', nameZh: '模糊客户', nameEn: 'Fuzz client' })).identifier;
  exchange.serviceId = (await t.request('POST', '/api/exchange/services', { as: adminA, body: { subsystemId: exchange.subsystemId, code: 'svc', backendUrl: 'http://127.0.0.1:9/x' } })).json.id;
  exchange.groupId = (await t.request('POST', '/api/exchange/groups', { as: t.world.platformAdmin, body: { code: 'fuzz-group' } })).json.id;
});
after(() => t.close());

// A small deterministic PRNG (mulberry32) so a failure can be replayed with EGOV_FUZZ_SEED.
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY: unknown[] = [
  null, true, false, 0, -1, 1e308, -0, 3.14, '', ' ', 'a'.repeat(5000), "'; drop table directory.organizations; --", '%_\\', '\u0000', '𠮷野家', '<script>alert(1)</script>',
  '../../etc/passwd', '00000000-0000-0000-0000-000000000000', '91110000600037341L', '330000', [], [1, 2], {}, { $ne: 1 }, { __proto__: { admin: true } },
  'true', '1', 'NaN', '2026-13-45T99:99:99Z',
];

type Endpoint = { method: string; url: () => string; as: () => TestUser; valid: () => Record<string, unknown>; sideEffectsOnReject?: boolean };

function endpoints(): Endpoint[] {
  const w = t.world;
  return [
    { method: 'POST', url: () => '/api/organizations', as: () => w.platformAdmin, valid: () => ({ parentId: w.province.id, nameZh: '模糊测试厅', nameEn: 'Fuzz Dept', creditCode: newCreditCode('330000'), divisionCode: '330000', type: 'organ' }) },
    { method: 'PATCH', url: () => `/api/organizations/${w.deptB.id}`, as: () => w.platformAdmin, valid: () => ({ version: 1, nameEn: 'Renamed' }) },
    { method: 'POST', url: () => `/api/organizations/${w.deptB.id}/deactivate`, as: () => w.platformAdmin, valid: () => ({ version: 1 }) },
    { method: 'POST', url: () => `/api/organizations/${w.deptB.id}/reactivate`, as: () => w.platformAdmin, valid: () => ({ version: 1 }) },
    { method: 'POST', url: () => `/api/organizations/${w.deptA.id}/subsystems`, as: () => w.adminA, valid: () => ({ code: 'fz', nameZh: '系统', nameEn: 'System', description: 'd' }) },
    { method: 'POST', url: () => '/api/users', as: () => w.securityAdmin, valid: () => ({ username: 'fuzzuser', displayName: '模糊', orgId: w.deptA.id, roles: ['officer'], password: 'Fuzz#pass2026' }) },
    { method: 'PATCH', url: () => `/api/users/${w.officerA.id}`, as: () => w.securityAdmin, valid: () => ({ version: 1, displayName: '改名' }) },
    { method: 'POST', url: () => `/api/users/${w.adminB.id}/reset-password`, as: () => w.securityAdmin, valid: () => ({ password: 'Reset#pass2026' }) },
    { method: 'POST', url: () => '/api/tokens', as: () => w.officerA, valid: () => ({ name: 'fuzz', expiresInDays: 3 }) },
    // Failed sign-ins and password checks are audited and counted on purpose, so only "no 5xx" applies.
    { method: 'POST', url: () => '/api/trust/certificate-requests', as: () => w.adminA, valid: () => ({ profile: 'signing', holderUserId: w.officerA.id, suite: 'sm2-sm3' }) },
    { method: 'POST', url: () => `/api/trust/certificate-requests/${trust.pendingId}/reject`, as: () => w.securityAdmin, valid: () => ({ version: 1, note: 'fuzz' }) },
    { method: 'POST', url: () => `/api/trust/certificates/${trust.serial}/renew`, as: () => w.adminA, valid: () => ({}) },
    { method: 'POST', url: () => `/api/trust/certificates/${trust.serial}/revoke`, as: () => w.adminA, valid: () => ({ reason: 'superseded' }) },
    { method: 'POST', url: () => '/api/trust/signatures', as: () => w.officerA, valid: () => ({ certificateSerial: trust.serial, documentBase64: 'aGVsbG8=', mode: 'enveloping', format: 'cms' }) },
    { method: 'POST', url: () => '/api/trust/verify', as: () => w.officerA, valid: () => ({ signatureBase64: 'MIIBAA==', documentBase64: 'aGVsbG8=' }) },
    { method: 'POST', url: () => '/api/trust/timestamps', as: () => w.officerA, valid: () => ({ hash: 'sm3', digestHex: 'ab'.repeat(32) }) },
    { method: 'POST', url: () => '/api/trust/timestamps/batch', as: () => w.officerA, valid: () => ({ hash: 'sha256', digestsHex: ['ab'.repeat(32), 'cd'.repeat(32)] }) },
    { method: 'POST', url: () => '/api/exchange/services', as: () => w.adminA, valid: () => ({ subsystemId: exchange.subsystemId, code: 'svc2', backendUrl: 'https://127.0.0.1:8443/api', timeoutMs: 1000, maxBodyBytes: 1000 }) },
    { method: 'PATCH', url: () => `/api/exchange/services/${exchange.serviceId}`, as: () => w.adminA, valid: () => ({ version: 1, timeoutMs: 2000 }) },
    { method: 'POST', url: () => `/api/exchange/services/${exchange.serviceId}/rights`, as: () => w.adminA, valid: () => ({ clientKind: 'subsystem', client: exchange.client, method: 'GET', pathPattern: '/v1/**' }) },
    { method: 'POST', url: () => '/api/exchange/groups', as: () => w.platformAdmin, valid: () => ({ code: 'fuzz-group-2', description: 'x' }) },
    { method: 'POST', url: () => `/api/exchange/groups/${exchange.groupId}/members`, as: () => w.platformAdmin, valid: () => ({ client: exchange.client }) },
    { method: 'POST', url: () => '/api/session', as: () => w.officerA, valid: () => ({ username: 'nobody', password: 'x' }), sideEffectsOnReject: true },
    { method: 'POST', url: () => '/api/session/password', as: () => w.officerA, valid: () => ({ currentPassword: 'Wrong#pass1', newPassword: 'x' }), sideEffectsOnReject: true },
  ];
}

function mutate(random: () => number, body: Record<string, unknown>): unknown {
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const keys = Object.keys(body);
  switch (Math.floor(random() * 7)) {
    case 0: // drop a field
      return Object.fromEntries(Object.entries(body).filter(([k]) => k !== pick(keys)));
    case 1: // a field gets a nasty value
      return { ...body, [pick(keys)]: pick(NASTY) };
    case 2: // an unknown field
      return { ...body, [pick(['admin', 'id', 'status', 'path', 'level', '__proto__', 'constructor'])]: pick(NASTY) };
    case 3: // several fields at once
      return Object.fromEntries(keys.map((k) => [k, random() < 0.5 ? pick(NASTY) : body[k]]));
    case 4: // not an object at all
      return pick(NASTY);
    case 5: // random JSON structure
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 5) }, () => [pick(keys.concat(['x', 'y'])), pick(NASTY)]));
    default: // the valid body, possibly with mutated strings
      return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' && random() < 0.3 ? v.slice(0, Math.floor(random() * v.length)) + pick(['', 'Z', '\u202e', '0']) : v]));
  }
}

/** A digest of the business tables; sessions and the audit log change on purpose (sign-ins). */
async function fingerprint(): Promise<string> {
  const row = await sql<{ d: string }>`
    select md5(
      coalesce((select string_agg(o::text, '|' order by id) from directory.organizations o), '') ||
      coalesce((select string_agg(s::text, '|' order by id) from directory.subsystems s), '') ||
      coalesce((select string_agg(concat_ws(',', id, username, display_name, org_id, roles::text, password_hash, active, version), '|' order by id) from identity.users), '') ||
      coalesce((select string_agg(k::text, '|' order by id) from identity.api_tokens k), '') ||
      coalesce((select string_agg(r::text, '|' order by id) from trust.certificate_requests r), '') ||
      coalesce((select string_agg(c::text, '|' order by serial) from trust.certificates c), '') ||
      coalesce((select string_agg(id::text, '|' order by id) from trust.keys), '') ||
      coalesce((select number::text from trust.crl_state), '') ||
      coalesce((select string_agg(x::text, '|' order by id) from exchange.services x), '') ||
      coalesce((select string_agg(r::text, '|' order by id) from exchange.access_rights r), '') ||
      coalesce((select string_agg(g::text, '|' order by id) from exchange.groups g), '') ||
      coalesce((select string_agg(m::text, '|' order by group_id, client) from exchange.group_members m), '')
    ) as d`.execute(t.services.database.db);
  return row.rows[0].d;
}

test(`${REQUESTS} random and mutated bodies to the write endpoints: no 5xx, nothing written by a rejection`, { timeout: 600_000 }, async () => {
  const random = rng(SEED);
  const list = endpoints();
  const statuses = new Map<number, number>();
  let before = await fingerprint();
  for (let i = 0; i < REQUESTS; i++) {
    const endpoint = list[i % list.length];
    const raw = random() < 0.05;
    const body = raw ? '{"unterminated": ' : mutate(random, endpoint.valid());
    const res = raw
      ? await t.http.inject({ method: endpoint.method as 'POST', url: endpoint.url(), headers: { 'content-type': 'application/json' }, payload: body as string })
      : await t.request(endpoint.method, endpoint.url(), { as: endpoint.as(), body });
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    assert.ok(res.statusCode < 500, `request ${i} (seed ${SEED}) ${endpoint.method} ${endpoint.url()} ${JSON.stringify(body).slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 300)}`);
    const after = await fingerprint();
    if (res.statusCode >= 400 && !endpoint.sideEffectsOnReject) {
      assert.equal(after, before, `request ${i} was rejected with ${res.statusCode} but changed data: ${JSON.stringify(body).slice(0, 300)}`);
    }
    before = after;
    // A password reset or sign-in may have ended a session the helper cached.
    if (res.statusCode === 401 || i % 50 === 0) t.forgetSessions();
  }
  const rejected = [...statuses].filter(([s]) => s >= 400).reduce((n, [, c]) => n + c, 0);
  assert.ok(rejected > REQUESTS / 2, `most fuzzed bodies should be rejected; statuses: ${JSON.stringify([...statuses])}`);
});
