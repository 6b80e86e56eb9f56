// A real relying party: openid-client, which no one here wrote, signs a staff user in through
// the provider over HTTP (discovery, PKCE, the sign-in form, code exchange, userinfo,
// refresh, RP-initiated logout).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { TEST_PASSWORD } from '../../../test-support/factories.ts';
import { createTestApp, type TestApp } from '../../../test-support/test-app.ts';
import { createBrowser, formOf, freePort, registerClient } from './test-browser.ts';

const CALLBACK = 'http://127.0.0.1:9/callback';
let t: TestApp;
let issuer: string;

before(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  t = await createTestApp({ env: { EGOV_PUBLIC_URL: issuer } });
  await t.http.listen({ port, host: '127.0.0.1' });
});
after(async () => t?.close());

describe('OpenID Connect with openid-client', () => {
  it('signs a staff user in, reads userinfo, refreshes and signs out', async () => {
    const { client } = await registerClient(t, t.world.adminA);
    const config = await oidc.discovery(new URL(issuer), client.clientId, undefined, oidc.ClientSecretBasic(client.clientSecret!), { execute: [oidc.allowInsecureRequests] });
    assert.equal(config.serverMetadata().issuer, issuer);
    assert.deepEqual(config.serverMetadata().code_challenge_methods_supported, ['S256']);

    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const authUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid profile org offline_access',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      prompt: 'consent',
    });

    const browser = createBrowser();
    const loginPage = await browser.follow(authUrl.href, CALLBACK);
    assert.equal(loginPage.status, 200);
    assert.match(loginPage.body, /<html lang="zh-CN">/);
    assert.match(loginPage.body, /<label for="login">用户名或身份证号、手机号或电子邮箱<\/label>/);
    assert.match(loginPage.body, /hreflang="en"/);
    const login = formOf(loginPage);
    const consentPage = await browser.follow(login.action, CALLBACK, { form: { ...login.fields, login: t.world.officerA.username, password: TEST_PASSWORD } });
    assert.equal(consentPage.status, 200, consentPage.body);
    assert.match(consentPage.body, /授权确认/);
    const redirect = await browser.follow(formOf(consentPage).action, CALLBACK, { form: formOf(consentPage).fields });
    assert.ok(redirect.location?.startsWith(CALLBACK), `ended at ${redirect.url} ${redirect.status}: ${redirect.body.slice(0, 300)}`);

    const tokens = await oidc.authorizationCodeGrant(config, new URL(redirect.location!), { pkceCodeVerifier: verifier, expectedState: state });
    const claims = tokens.claims()!;
    assert.equal(claims.sub, `staff:${t.world.officerA.id}`);
    assert.equal(claims.iss, issuer);
    assert.ok(tokens.refresh_token, 'offline_access gives a refresh token');

    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(info.account_type, 'staff');
    assert.equal(info.name, `用户 ${t.world.officerA.username}`);
    assert.equal(info.org_id, t.world.deptA.id);
    assert.equal(info.org_name, '浙江省公安厅');
    assert.deepEqual(info.roles, ['officer']);

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    assert.notEqual(refreshed.access_token, tokens.access_token);
    assert.equal((await oidc.fetchUserInfo(config, refreshed.access_token, claims.sub)).sub, claims.sub);
    // Refresh tokens rotate: the used one no longer works.
    await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token!), (err: Error & { error?: string }) => err.error === 'invalid_grant');

    // RP-initiated logout: the question page, then back to the registered address.
    const logoutUrl = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'http://127.0.0.1:9/signed-out', state: 'bye' });
    const question = await browser.follow(logoutUrl.href, 'http://127.0.0.1:9/');
    assert.equal(question.status, 200, question.body);
    assert.match(question.body, /退出登录/);
    const form = formOf(question, 'op.logoutForm');
    const done = await browser.follow(form.action, 'http://127.0.0.1:9/', { form: { ...form.fields, logout: 'yes' } });
    assert.ok(done.location?.startsWith('http://127.0.0.1:9/signed-out'), `ended at ${done.url} ${done.status}: ${done.body.slice(0, 300)}`);

    // Signed out: a new sign-in asks for the password again.
    const again = await browser.follow(oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }).href, CALLBACK);
    assert.equal(again.status, 200);
    assert.match(again.body, /name="password"/);

    // The sign-in is audited as the workbench's are, naming the client.
    const signIns = await t.services.database.db.selectFrom('audit.events').select(['actor_id', 'outcome', 'detail']).where('action', '=', 'identity.sign_in').where('actor_id', '=', t.world.officerA.id).execute();
    assert.ok(signIns.some((e) => e.outcome === 'success' && (e.detail as { via?: string }).via === `oidc:${client.clientId}`), JSON.stringify(signIns));
  });

  it('serves the discovery document at the fixed address, in English when asked', async () => {
    const res = await fetch(`${issuer}/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    const doc = await res.json();
    assert.equal(doc.authorization_endpoint, `${issuer}/oidc/auth`);
    assert.equal(doc.jwks_uri, `${issuer}/oidc/jwks`);
    assert.equal(doc.end_session_endpoint, `${issuer}/oidc/session/end`);
    assert.deepEqual(doc.id_token_signing_alg_values_supported.sort(), ['ES256', 'RS256']);
    const jwks = await (await fetch(doc.jwks_uri)).json();
    assert.deepEqual(jwks.keys.map((k: { alg: string }) => k.alg).sort(), ['ES256', 'RS256']);
    assert.ok(jwks.keys.every((k: Record<string, unknown>) => !('d' in k)), 'no private part is published');
  });
});
