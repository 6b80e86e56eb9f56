// A real relying party (openid-client) signing citizens in through the provider over HTTP:
// a registered, verified citizen with two-step sign-in (the code as a second page; wrong,
// replayed and too many codes refused), a legal representative acting for their enterprise
// (the ID token and userinfo carry its credit code), an agent whose authorization ends on
// the manual clock, and one citizen's sub never yielding another's claims.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { asCitizen, buildCitizen, buildCitizenWorld, buildEntity, CITIZEN_PASSWORD, signInCitizen, type TestCitizen } from '../citizens/test-world.ts';
import { maskIdNumber } from '../../../platform/mask.ts';
import { totpCode } from '../totp/codes.ts';
import type { TestApp } from '../../../test-support/test-app.ts';
import { createBrowser, formOf, freePort, registerClient, type Page } from './test-browser.ts';

const CALLBACK = 'http://127.0.0.1:9/callback';
let t: TestApp;
let issuer: string;
let rp: oidc.Configuration;
let idNumberRp: oidc.Configuration;

before(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  ({ t } = await buildCitizenWorld({ env: { EGOV_PUBLIC_URL: issuer } }));
  await t.http.listen({ port, host: '127.0.0.1' });
  const discover = async (scopes: string[]) => {
    const { client } = await registerClient(t, t.world.adminA, { scopes });
    return oidc.discovery(new URL(issuer), client.clientId, undefined, oidc.ClientSecretBasic(client.clientSecret!), { execute: [oidc.allowInsecureRequests] });
  };
  rp = await discover(['openid', 'profile', 'enterprise']);
  idNumberRp = await discover(['openid', 'profile', 'id_number']);
});
after(async () => t?.close());

type Flow = { browser: ReturnType<typeof createBrowser>; page: Page; verifier: string; state: string; config: oidc.Configuration };

/** Starts an authorization for citizens and answers the password page. */
async function signIn(citizen: TestCitizen, params: Record<string, string> = {}, config = rp, login = citizen.phone): Promise<Flow> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid profile enterprise', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, account_kind: 'citizen', ...params });
  const browser = createBrowser();
  const first = await browser.follow(url.href, CALLBACK);
  assert.equal(first.status, 200, first.body);
  assert.match(first.body, /<input type="radio" name="kind" value="citizen" checked>/, 'account_kind=citizen selects citizens');
  const form = formOf(first);
  const page = await browser.follow(form.action, CALLBACK, { form: { ...form.fields, kind: 'citizen', login, password: CITIZEN_PASSWORD } });
  return { browser, page, verifier, state, config };
}

async function post(flow: Flow, fields: Record<string, string>): Promise<Page> {
  const form = formOf(flow.page);
  flow.page = await flow.browser.follow(form.action, CALLBACK, { form: { ...form.fields, ...fields } });
  return flow.page;
}

async function tokens(flow: Flow) {
  assert.ok(flow.page.location?.startsWith(CALLBACK), `ended at ${flow.page.url} ${flow.page.status}: ${flow.page.body.slice(0, 400)}`);
  return oidc.authorizationCodeGrant(flow.config, new URL(flow.page.location!), { pkceCodeVerifier: flow.verifier, expectedState: flow.state });
}

async function withTotp(citizen: TestCitizen): Promise<string> {
  const session = await signInCitizen(t, citizen.phone);
  const enrol = await asCitizen(t, session, 'POST', '/api/citizen/account/totp');
  assert.equal(enrol.statusCode, 200, enrol.body);
  const confirmed = await asCitizen(t, session, 'POST', '/api/citizen/account/totp/confirm', { code: totpCode(enrol.json.secret, t.clock.now()) });
  assert.equal(confirmed.statusCode, 204, confirmed.body);
  return enrol.json.secret as string;
}

async function enterpriseOf(rep: TestCitizen): Promise<{ id: string; creditCode: string; name: string }> {
  const entity = await buildEntity(t, rep.idNumber);
  const res = await asCitizen(t, await signInCitizen(t, rep.phone), 'POST', '/api/citizen/enterprises', { creditCode: entity.creditCode });
  assert.equal(res.statusCode, 201, res.body);
  return { id: res.json.id, creditCode: entity.creditCode, name: entity.name };
}

describe('citizens sign in through the provider (openid-client)', () => {
  it('signs a verified citizen in with the TOTP code as a second step; wrong and replayed codes are refused', async () => {
    const citizen = await buildCitizen(t);
    const secret = await withTotp(citizen);
    const flow = await signIn(citizen);
    assert.equal(flow.page.status, 200);
    assert.match(flow.page.body, /<h1>两步验证<\/h1>/);
    assert.match(flow.page.body, /autocomplete="one-time-code"/);
    assert.doesNotMatch(flow.page.body, /<script/i, 'no JavaScript needed');

    const now = totpCode(secret, t.clock.now());
    const wrong = await post(flow, { code: now === '000000' ? '111111' : '000000' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.body, /role="alert"/);
    assert.match(wrong.body, /aria-invalid="true"/);
    // The code that confirmed enrolment was used already.
    const replayed = await post(flow, { code: now });
    assert.equal(replayed.status, 401, 'a used code is refused');
    const notDigits = await post(flow, { code: 'abc' });
    assert.equal(notDigits.status, 400);
    assert.match(notDigits.body, /请输入 6 位数字验证码/);

    // The language link keeps the step.
    const english = await flow.browser.request(`${new URL(formOf(flow.page).action).href.replace(/\/totp$/, '')}?lang=en`);
    assert.match(english.body, /<html lang="en">/);
    assert.match(english.body, /Two-step sign-in/);

    t.clock.advance(30_000);
    await post(flow, { code: totpCode(secret, t.clock.now()) });
    const set = await tokens(flow);
    const claims = set.claims()!;
    assert.equal(claims.sub, citizen.sub);
    assert.equal(claims.account_type, 'citizen');
    const info = await oidc.fetchUserInfo(rp, set.access_token, citizen.sub);
    assert.equal(info.name, citizen.name);
    assert.equal(info.id_number_masked, maskIdNumber(citizen.idNumber));
    assert.ok(!String(info.id_number_masked).includes(citizen.idNumber.slice(4, 14)));
    assert.equal(info.id_number, undefined, 'the full ID number only for clients registered with id_number');
    assert.equal(info.credit_code, undefined);

    const audited = await t.services.database.db.selectFrom('audit.events').select(['outcome', 'detail']).where('action', '=', 'identity.citizen.sign_in').where('subject_id', '=', citizen.id).execute();
    assert.ok(audited.some((e) => e.outcome === 'success' && (e.detail as { secondFactor?: boolean }).secondFactor === true));
    assert.equal(audited.filter((e) => (e.detail as { reason?: string }).reason === 'wrong_totp').length, 2, 'the wrong and the replayed code count');
  });

  it('counts wrong codes towards the lockout and then starts over at the password', async () => {
    const citizen = await buildCitizen(t);
    const secret = await withTotp(citizen);
    const flow = await signIn(citizen, {}, rp, citizen.email);
    const bad = totpCode(secret, t.clock.now()) === '000000' ? '111111' : '000000';
    for (let i = 1; i < t.config.lockoutThreshold; i++) assert.equal((await post(flow, { code: bad })).status, 401);
    const locked = await post(flow, { code: bad });
    assert.equal(locked.status, 423, locked.body);
    assert.match(locked.body, /name="password"/, 'back at the password page');
    t.clock.advance(30_000);
    const refused = await signIn(citizen, {}, rp, citizen.email);
    assert.equal(refused.page.status, 423, 'still locked, even with the right password');
  });

  it('gives the full ID number only to a client registered with the id_number scope, with the ID number as login', async () => {
    const citizen = await buildCitizen(t);
    const flow = await signIn(citizen, { scope: 'openid profile id_number' }, idNumberRp, citizen.idNumber);
    const info = await oidc.fetchUserInfo(idNumberRp, (await tokens(flow)).access_token, citizen.sub);
    assert.equal(info.id_number, citizen.idNumber);
    // The other client is not registered for it: the request is refused.
    const verifier = oidc.randomPKCECodeVerifier();
    const res = await fetch(oidc.buildAuthorizationUrl(rp, { redirect_uri: CALLBACK, scope: 'openid id_number', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }), { redirect: 'manual' });
    assert.match(String(res.headers.get('location')), /error=invalid_scope/);
  });

  it('lets a legal representative act for their enterprise: the tokens carry its credit code', async () => {
    const rep = await buildCitizen(t);
    const enterprise = await enterpriseOf(rep);
    const flow = await signIn(rep);
    assert.equal(flow.page.status, 200, flow.page.body);
    assert.match(flow.page.body, /<h1>选择办事身份<\/h1>/);
    assert.match(flow.page.body, /<input type="radio" name="actor" value="self" id="actor" checked>/);
    assert.ok(flow.page.body.includes(`value="${enterprise.creditCode}"`));
    assert.ok(flow.page.body.includes('法定代表人'));

    await post(flow, { actor: enterprise.creditCode });
    const set = await tokens(flow);
    const claims = set.claims()!;
    assert.equal(claims.sub, rep.sub, 'still the citizen: an enterprise is not a login');
    // The ID token says the account type; the enterprise's claims come with userinfo (the
    // provider conforms ID token claims to the code flow).
    assert.equal(claims.account_type, 'enterprise');
    const info = await oidc.fetchUserInfo(rp, set.access_token, rep.sub);
    assert.equal(info.account_type, 'enterprise');
    assert.equal(info.credit_code, enterprise.creditCode);
    assert.equal(info.enterprise_name, enterprise.name);
    assert.equal(info.enterprise_role, 'legal_representative');
    assert.equal(info.name, rep.name);

    // Acting as oneself: a citizen's tokens, and the earlier enterprise tokens keep theirs.
    const self = await signIn(rep);
    await post(self, { actor: 'self' });
    const own = await tokens(self);
    assert.equal(own.claims()!.account_type, 'citizen');
    assert.equal((await oidc.fetchUserInfo(rp, own.access_token, rep.sub)).credit_code, undefined);
    assert.equal((await oidc.fetchUserInfo(rp, set.access_token, rep.sub)).credit_code, enterprise.creditCode);

    // Without the enterprise scope the question is not asked.
    const plain = await signIn(rep, { scope: 'openid profile' });
    assert.equal((await tokens(plain)).claims()!.account_type, 'citizen');
  });

  it('lets an agent act only while authorized: after the expiry (manual clock) userinfo and new sign-ins refuse the enterprise', async () => {
    const rep = await buildCitizen(t);
    const agent = await buildCitizen(t);
    const enterprise = await enterpriseOf(rep);
    const other = await enterpriseOf(rep);
    const expiresAt = new Date(t.clock.now().getTime() + 2 * 86_400_000).toISOString();
    const granted = await asCitizen(t, await signInCitizen(t, rep.phone), 'POST', `/api/citizen/enterprises/${enterprise.id}/agents`, { agentIdNumber: agent.idNumber, agentName: agent.name, serviceCode: 'tax.filing', expiresAt });
    assert.equal(granted.statusCode, 201, granted.body);

    // A service the agent is not authorized for: nothing to choose.
    const elsewhere = await signIn(agent, { service: 'social-insurance' });
    assert.equal((await tokens(elsewhere)).claims()!.account_type, 'citizen');

    const flow = await signIn(agent, { service: 'tax.filing' });
    assert.match(flow.page.body, /经办人/);
    assert.ok(!flow.page.body.includes(other.creditCode), 'only the enterprise the agent is authorized for');
    // An enterprise not offered cannot be chosen by editing the form.
    const forged = await post(flow, { actor: other.creditCode });
    assert.equal(forged.status, 400);
    assert.match(forged.body, /role="alert"/);
    await post(flow, { actor: enterprise.creditCode });
    const set = await tokens(flow);
    assert.equal(set.claims()!.account_type, 'enterprise');
    const info = await oidc.fetchUserInfo(rp, set.access_token, agent.sub);
    assert.deepEqual([info.credit_code, info.enterprise_role], [enterprise.creditCode, 'agent']);

    t.clock.advance(2 * 86_400_000 + 1000);
    await assert.rejects(oidc.fetchUserInfo(rp, set.access_token, agent.sub), 'the authorization ended: no more claims for the enterprise');
    const later = await signIn(agent, { service: 'tax.filing' });
    assert.equal((await tokens(later)).claims()!.account_type, 'citizen', 'no longer offered');
  });

  it('never resolves one citizen’s sub to another citizen’s claims', async () => {
    const a = await buildCitizen(t);
    const b = await buildCitizen(t);
    const tokenA = (await tokens(await signIn(a, { scope: 'openid profile' }))).access_token;
    const tokenB = (await tokens(await signIn(b, { scope: 'openid profile' }))).access_token;
    const infoA = await oidc.fetchUserInfo(rp, tokenA, a.sub);
    const infoB = await oidc.fetchUserInfo(rp, tokenB, b.sub);
    assert.deepEqual([infoA.sub, infoA.name], [a.sub, a.name]);
    assert.deepEqual([infoB.sub, infoB.name], [b.sub, b.name]);
    // openid-client itself refuses userinfo whose sub is not the one expected.
    await assert.rejects(oidc.fetchUserInfo(rp, tokenA, b.sub));
    // Each release of a citizen's claims is audited against that citizen, naming the client.
    const reads = await t.services.database.db.selectFrom('audit.events').select(['subject_id', 'actor_name']).where('action', '=', 'identity.citizen.claims.read').where('subject_id', 'in', [a.id, b.id]).execute();
    assert.ok(reads.length >= 4 && reads.every((r) => String(r.actor_name).startsWith('oidc-client:')), JSON.stringify(reads));
  });
});
