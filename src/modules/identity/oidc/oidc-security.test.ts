// Security of the provider over real HTTP: redirect URIs must match, PKCE cannot be
// downgraded, a code works once (and its replay revokes what it issued), tokens expire, and
// the workbench's lockout holds at the provider's sign-in page too.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { TEST_PASSWORD, buildUser } from '../../../test-support/factories.ts';
import { createTestApp, type TestApp } from '../../../test-support/test-app.ts';
import { createBrowser, formOf, freePort, registerClient } from './test-browser.ts';

const CALLBACK = 'http://127.0.0.1:9/callback';
const TOKEN_SECONDS = 5;
let t: TestApp;
let issuer: string;
let client: { clientId: string; clientSecret: string | null };

before(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  t = await createTestApp({ env: { EGOV_PUBLIC_URL: issuer, EGOV_OIDC_ACCESS_TOKEN_SECONDS: String(TOKEN_SECONDS) } });
  await t.http.listen({ port, host: '127.0.0.1' });
  client = (await registerClient(t, t.world.adminA)).client;
});
after(async () => t?.close());

const pkce = () => {
  const verifier = crypto.randomBytes(32).toString('base64url');
  return { verifier, challenge: crypto.createHash('sha256').update(verifier).digest('base64url') };
};

function authUrl(params: Record<string, string | undefined>): string {
  const url = new URL(`${issuer}/oidc/auth`);
  const all: Record<string, string | undefined> = { client_id: client.clientId, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid profile', state: 's1', ...params };
  for (const [k, v] of Object.entries(all)) if (v !== undefined) url.searchParams.set(k, v);
  return url.href;
}

/** Signs `username` in through the pages and returns the authorization code. */
async function codeFor(username: string, params: Record<string, string | undefined>): Promise<string> {
  const browser = createBrowser();
  const page = await browser.follow(authUrl(params), CALLBACK);
  const form = formOf(page);
  let next = await browser.follow(form.action, CALLBACK, { form: { ...form.fields, login: username, password: TEST_PASSWORD } });
  if (next.status === 200 && next.body.includes('/confirm')) next = await browser.follow(formOf(next).action, CALLBACK, { form: formOf(next).fields });
  assert.ok(next.location?.startsWith(CALLBACK), `ended at ${next.url} ${next.status}: ${next.body.slice(0, 300)}`);
  const code = new URL(next.location!).searchParams.get('code');
  assert.ok(code, next.location);
  return code;
}

async function token(form: Record<string, string>) {
  const res = await fetch(`${issuer}/oidc/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}` },
    body: new URLSearchParams(form),
  });
  return { status: res.status, json: (await res.json()) as Record<string, string> };
}

const userinfo = async (accessToken: string) => (await fetch(`${issuer}/oidc/me`, { headers: { authorization: `Bearer ${accessToken}` } })).status;

describe('OpenID Connect security', () => {
  it('refuses a redirect URI that is not registered, without redirecting to it', async () => {
    const { challenge } = pkce();
    const page = await createBrowser().request(authUrl({ redirect_uri: 'https://evil.example/callback', code_challenge: challenge, code_challenge_method: 'S256' }));
    assert.equal(page.status, 400);
    assert.equal(page.location, undefined);
    assert.match(page.body, /invalid_redirect_uri/);
    assert.match(page.body, /<html lang="zh-CN">/);
  });

  it('refuses an authorization request without PKCE, or with the plain method', async () => {
    for (const params of [{}, { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }]) {
      const page = await createBrowser().request(authUrl(params));
      assert.ok(page.location?.startsWith(CALLBACK), `${page.status} ${page.body.slice(0, 200)}`);
      const answer = new URL(page.location!).searchParams;
      assert.equal(answer.get('error'), 'invalid_request', JSON.stringify(params));
      assert.equal(answer.get('code'), null);
    }
  });

  it('refuses a code exchanged without the verifier, or with another one', async () => {
    const { challenge } = pkce();
    const code = await codeFor(t.world.officerA.username, { code_challenge: challenge, code_challenge_method: 'S256' });
    const without = await token({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK });
    assert.equal(without.status, 400);
    const wrong = await token({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: pkce().verifier });
    assert.equal(wrong.json.error, 'invalid_grant');
  });

  it('refuses a replayed code and revokes the tokens it gave', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(t.world.officerA.username, { scope: 'openid offline_access', prompt: 'consent', code_challenge: challenge, code_challenge_method: 'S256' });
    const first = await token({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier });
    assert.equal(first.status, 200, JSON.stringify(first.json));
    assert.ok(first.json.refresh_token);
    const replay = await token({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier });
    assert.equal(replay.status, 400);
    assert.equal(replay.json.error, 'invalid_grant');
    // The grant is revoked: the refresh token (days of life left) and the access token no longer work.
    const refresh = await token({ grant_type: 'refresh_token', refresh_token: first.json.refresh_token });
    assert.equal(refresh.json.error, 'invalid_grant');
    assert.equal(await userinfo(first.json.access_token), 401);
  });

  it('lets an access token expire', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(t.world.officerA.username, { code_challenge: challenge, code_challenge_method: 'S256' });
    const tokens = await token({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier });
    assert.equal(Number(tokens.json.expires_in) <= TOKEN_SECONDS, true);
    assert.equal(await userinfo(tokens.json.access_token), 200);
    await new Promise((resolve) => setTimeout(resolve, (TOKEN_SECONDS + 1) * 1000));
    assert.equal(await userinfo(tokens.json.access_token), 401);
  });

  it('locks an account after repeated wrong passwords and then refuses the right one', async () => {
    const user = await buildUser(t.services, { orgId: t.world.deptA.id, roles: ['officer'] });
    const { challenge } = pkce();
    const browser = createBrowser('en');
    let page = await browser.follow(authUrl({ code_challenge: challenge, code_challenge_method: 'S256' }), CALLBACK);
    assert.match(page.body, /<html lang="en">/);
    const action = formOf(page).action;
    for (let i = 1; i <= t.config.lockoutThreshold; i++) {
      page = await browser.request(action, { form: { ...formOf(page).fields, login: user.username, password: 'Wrong#2026pass' } });
      assert.equal(page.status, i < t.config.lockoutThreshold ? 401 : 423, page.body.slice(0, 200));
      assert.match(page.body, /role="alert"/);
      assert.match(page.body, /aria-invalid="true"/);
    }
    page = await browser.request(action, { form: { ...formOf(page).fields, login: user.username, password: TEST_PASSWORD } });
    assert.equal(page.status, 423);
    assert.match(page.body, /locked/);
    assert.equal(page.location, undefined);
  });

  it('refuses a sign-in form posted without the interaction cookie (another site)', async () => {
    const { challenge } = pkce();
    const browser = createBrowser();
    const page = await browser.follow(authUrl({ code_challenge: challenge, code_challenge_method: 'S256' }), CALLBACK);
    const form = formOf(page);
    const forged = await createBrowser().request(form.action, { form: { ...form.fields, login: t.world.officerA.username, password: TEST_PASSWORD } });
    assert.equal(forged.status, 400);
    assert.equal(forged.location, undefined);
  });
});
