// The client registration API: who may register which business system, what is refused (with
// the field named in both languages), the secret shown once and kept sealed, and the audit.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { localOperator } from '../../../platform/actor.ts';
import { createTestApp, type TestApp } from '../../../test-support/test-app.ts';

const BASE = '/api/identity/oidc-clients';
let t: TestApp;
let subsystemA: string;
let n = 0;

before(async () => {
  t = await createTestApp();
  subsystemA = await newSubsystem(t.world.deptA.id);
});
after(async () => t?.close());

async function newSubsystem(orgId: string): Promise<string> {
  return (await t.services.directory.service.createSubsystem(localOperator('test'), orgId, { code: `app${++n}`, nameZh: `业务系统${n}`, nameEn: `System ${n}` })).id;
}

const valid = (subsystemId: string, extra: Record<string, unknown> = {}) => ({
  subsystemId,
  redirectUris: ['https://app.example.gov.cn/callback', 'http://localhost:3000/cb'],
  scopes: ['openid', 'profile'],
  authMethod: 'client_secret_basic',
  ...extra,
});

const EC_PUBLIC = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };

describe('OpenID Connect client registration', () => {
  it('refuses an unauthenticated caller and the wrong roles', async () => {
    assert.equal((await t.request('GET', BASE)).statusCode, 401);
    assert.equal((await t.request('POST', BASE, { body: valid(subsystemA) })).statusCode, 401);
    assert.equal((await t.request('GET', BASE, { as: t.world.officerA })).statusCode, 403);
    assert.equal((await t.request('POST', BASE, { as: t.world.officerA, body: valid(subsystemA) })).statusCode, 403);
    assert.equal((await t.request('POST', BASE, { as: t.world.securityAdmin, body: valid(subsystemA) })).statusCode, 403);
  });

  it("refuses another organization's administrator", async () => {
    const res = await t.request('POST', BASE, { as: t.world.adminB, body: valid(subsystemA) });
    assert.equal(res.statusCode, 403);
    assert.match(res.json.detail, /own organization/);
  });

  it('registers a client for its organization, shows the secret once and keeps it sealed', async () => {
    const res = await t.request('POST', BASE, { as: t.world.adminA, body: valid(subsystemA) });
    assert.equal(res.statusCode, 201, res.body);
    const { clientId, clientSecret } = res.json;
    assert.ok(clientSecret && clientSecret.length >= 40);
    assert.equal(res.json.nameZh, '业务系统1');
    assert.equal(res.json.orgId, t.world.deptA.id);

    const read = await t.request('GET', `${BASE}/${clientId}`, { as: t.world.adminA });
    assert.equal(read.statusCode, 200);
    assert.equal(read.json.clientSecret, undefined);
    assert.ok(!read.body.includes(clientSecret));
    const row = await t.services.database.db.selectFrom('identity.oidc_clients').selectAll().where('client_id', '=', clientId).executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(row).includes(clientSecret), 'the secret is stored sealed');
    assert.equal((await t.services.identity.oidc.clients.providerMetadata(clientId))?.client_secret, clientSecret);

    const audit = await t.services.database.db.selectFrom('audit.events').select(['action', 'detail']).where('subject_id', '=', clientId).execute();
    assert.deepEqual(audit.map((e) => e.action), ['identity.oidc_client.create']);
    assert.ok(!JSON.stringify(audit).includes(clientSecret));

    // One client per business system.
    const again = await t.request('POST', BASE, { as: t.world.adminA, body: valid(subsystemA) });
    assert.equal(again.statusCode, 409);

    // Other organizations neither see nor change it; the platform admin does.
    assert.equal((await t.request('GET', BASE, { as: t.world.adminB })).json.items.length, 0);
    assert.equal((await t.request('GET', `${BASE}/${clientId}`, { as: t.world.adminB })).statusCode, 403);
    assert.equal((await t.request('PATCH', `${BASE}/${clientId}`, { as: t.world.adminB, body: { version: 1, scopes: ['openid'] } })).statusCode, 403);
    assert.equal((await t.request('POST', `${BASE}/${clientId}/secret`, { as: t.world.adminB })).statusCode, 403);
    assert.equal((await t.request('DELETE', `${BASE}/${clientId}`, { as: t.world.adminB })).statusCode, 403);
    assert.ok((await t.request('GET', BASE, { as: t.world.platformAdmin })).json.items.some((c: { clientId: string }) => c.clientId === clientId));

    // Update, then a stale version is refused.
    const updated = await t.request('PATCH', `${BASE}/${clientId}`, { as: t.world.adminA, body: { version: 1, redirectUris: ['https://app.example.gov.cn/cb2'], scopes: ['openid', 'org', 'offline_access'] } });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.deepEqual(updated.json.redirectUris, ['https://app.example.gov.cn/cb2']);
    assert.deepEqual((await t.services.identity.oidc.clients.providerMetadata(clientId))?.grant_types, ['authorization_code', 'refresh_token']);
    assert.equal((await t.request('PATCH', `${BASE}/${clientId}`, { as: t.world.adminA, body: { version: 1, scopes: ['openid'] } })).statusCode, 409);

    // Rotation: a new secret, shown once; the old one is gone.
    const rotated = await t.request('POST', `${BASE}/${clientId}/secret`, { as: t.world.adminA });
    assert.equal(rotated.statusCode, 200, rotated.body);
    assert.notEqual(rotated.json.clientSecret, clientSecret);
    assert.equal((await t.services.identity.oidc.clients.providerMetadata(clientId))?.client_secret, rotated.json.clientSecret);

    assert.equal((await t.request('DELETE', `${BASE}/${clientId}`, { as: t.world.adminA })).statusCode, 204);
    assert.equal((await t.request('GET', `${BASE}/${clientId}`, { as: t.world.adminA })).statusCode, 404);
    assert.equal(await t.services.identity.oidc.clients.providerMetadata(clientId), undefined);
    const actions = (await t.services.database.db.selectFrom('audit.events').select('action').where('subject_id', '=', clientId).orderBy('seq').execute()).map((e) => e.action);
    assert.deepEqual(actions, ['identity.oidc_client.create', 'identity.oidc_client.update', 'identity.oidc_client.rotate_secret', 'identity.oidc_client.delete']);
  });

  it('lets the platform admin register any business system, with private_key_jwt', async () => {
    const subsystem = await newSubsystem(t.world.deptB.id);
    const res = await t.request('POST', BASE, { as: t.world.platformAdmin, body: valid(subsystem, { authMethod: 'private_key_jwt', jwks: { keys: [EC_PUBLIC] }, idTokenSigningAlg: 'RS256' }) });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json.clientSecret, null);
    assert.equal(res.json.idTokenSigningAlg, 'RS256');
    const rotate = await t.request('POST', `${BASE}/${res.json.clientId}/secret`, { as: t.world.platformAdmin });
    assert.equal(rotate.statusCode, 409);
  });

  it('names the field of bad input, in both languages', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ redirectUris: ['http://app.example.gov.cn/cb'] }, 'redirectUris[0]'],
      [{ redirectUris: ['/callback'] }, 'redirectUris[0]'],
      [{ redirectUris: ['https://app.example.gov.cn/cb#x'] }, 'redirectUris[0]'],
      [{ postLogoutRedirectUris: ['ftp://x.example/'] }, 'postLogoutRedirectUris[0]'],
      [{ scopes: ['profile'] }, 'scopes'],
      [{ authMethod: 'private_key_jwt' }, 'jwks'],
      [{ authMethod: 'private_key_jwt', jwks: { keys: [{ ...EC_PUBLIC, d: 'secret' }] } }, 'jwks.keys[0]'],
      [{ jwks: { keys: [EC_PUBLIC] } }, 'jwks'],
      [{ subsystemId: '00000000-0000-4000-8000-000000000000' }, 'subsystemId'],
    ];
    const subsystem = await newSubsystem(t.world.deptA.id);
    for (const [override, field] of cases) {
      const res = await t.request('POST', BASE, { as: t.world.adminA, body: valid(subsystem, override) });
      assert.equal(res.statusCode, 400, `${JSON.stringify(override)}: ${res.body}`);
      assert.ok(res.json.errors.some((e: { field: string }) => e.field === field), `${field} in ${res.body}`);
      const zh = await t.request('POST', BASE, { as: t.world.adminA, body: valid(subsystem, override), headers: { 'accept-language': 'zh-CN' } });
      assert.ok(zh.json.errors.some((e: { field: string; message: string }) => e.field === field && /[\u4e00-\u9fff]/.test(e.message)), zh.body);
    }
    for (const body of [valid(subsystem, { scopes: ['openid', 'everything'] }), valid(subsystem, { authMethod: 'none' }), { ...valid(subsystem), extra: 1 }]) {
      const res = await t.request('POST', BASE, { as: t.world.adminA, body });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json.code, 'validation_failed');
    }
  });
});
