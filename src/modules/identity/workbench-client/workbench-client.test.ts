// The workbench signs in through the platform's own provider, over real HTTP: the start sets a
// sealed flow cookie and goes to /oidc/auth; the callback exchanges the code on the back
// channel and opens the usual workbench session, audited. Refused: a state that is not this
// browser's, a replayed callback, a non-staff account, a next= leaving the site.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createHttpServer } from '../../../http/server.ts';
import { createMetrics } from '../../../http/metrics.ts';
import { createLogger } from '../../../platform/logger.ts';
import { TEST_PASSWORD, buildUser } from '../../../test-support/factories.ts';
import { createTestApp, type TestApp } from '../../../test-support/test-app.ts';
import { createBrowser, formOf, freePort } from '../oidc/test-browser.ts';
import { WORKBENCH_CLIENT_ID, WORKBENCH_FLOW, workbenchNext as safeNext } from './client.ts';

const FLOW_COOKIE = WORKBENCH_FLOW.name;
import { registerWorkbenchClientRoutes } from './routes.ts';

let t: TestApp;
let issuer: string;
let callback: string;

before(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  callback = `${issuer}/api/session/oidc/callback`;
  t = await createTestApp({ env: { EGOV_PUBLIC_URL: issuer } });
  await t.http.listen({ port, host: '127.0.0.1' });
});
after(async () => t?.close());

type Browser = ReturnType<typeof createBrowser>;

/** Start → the provider's sign-in form → signed in: the page that redirects to the callback (not followed). */
async function toCallback(browser: Browser, username: string, next = '/catalog'): Promise<string> {
  const start = await browser.request(`${issuer}/api/session/oidc/start?next=${encodeURIComponent(next)}`);
  assert.equal(start.status, 303);
  const auth = new URL(start.location!);
  assert.equal(auth.origin + auth.pathname, `${issuer}/oidc/auth`);
  assert.equal(auth.searchParams.get('client_id'), WORKBENCH_CLIENT_ID);
  assert.equal(auth.searchParams.get('redirect_uri'), callback);
  assert.equal(auth.searchParams.get('code_challenge_method'), 'S256');
  assert.ok(auth.searchParams.get('state') && auth.searchParams.get('nonce'));
  assert.ok(browser.jar.has(FLOW_COOKIE), 'the flow cookie is set');
  const page = await browser.follow(start.location!, callback);
  if (page.location?.startsWith(callback)) return page.location; // already signed in at the provider
  assert.equal(page.status, 200, page.body.slice(0, 300));
  assert.match(page.body, /登录后继续使用“工作台”/);
  const form = formOf(page);
  const done = await browser.follow(form.action, callback, { form: { ...form.fields, login: username, password: TEST_PASSWORD } });
  assert.ok(done.location?.startsWith(callback), `ended at ${done.url} ${done.status}: ${done.body.slice(0, 300)}`);
  return done.location!;
}

async function signInEvents(userId: string) {
  return t.services.database.db.selectFrom('audit.events').select(['action', 'outcome', 'detail', 'actor_id']).where('action', '=', 'identity.sign_in').where('actor_id', '=', userId).orderBy('seq').execute();
}

describe('the workbench signs in through the platform sign-in', () => {
  it('opens the usual workbench session, audited, and goes to the page asked for', async () => {
    const browser = createBrowser();
    const location = await toCallback(browser, t.world.officerA.username, '/catalog?q=人口');
    const back = await browser.request(location);
    assert.equal(back.status, 303, back.body);
    assert.equal(back.location, `${issuer}/catalog?q=%E4%BA%BA%E5%8F%A3`);
    assert.ok(!browser.jar.has(FLOW_COOKIE), 'the flow cookie is cleared');
    assert.ok(browser.jar.has('egov_session'), 'the workbench session cookie is set');
    const session = await browser.request(`${issuer}/api/session`);
    assert.equal(session.status, 200, session.body);
    const info = JSON.parse(session.body);
    assert.equal(info.user.id, t.world.officerA.id);
    assert.ok(info.csrfToken.length > 20, 'a CSRF token as with POST /api/session');
    assert.equal(info.mustChangePassword, false);
    const events = await signInEvents(t.world.officerA.id);
    const vias = events.filter((e) => e.outcome === 'success').map((e) => (e.detail as { via?: string }).via);
    // The password checked at the provider's page, then the workbench session opened.
    assert.deepEqual(vias.slice(-2), [`oidc:${WORKBENCH_CLIENT_ID}`, `oidc:${WORKBENCH_CLIENT_ID}`]);

    // Signed in once: the workbench's next sign-in in this browser needs no password.
    await browser.request(`${issuer}/api/session`, { method: 'GET' });
    const again = await toCallback(browser, t.world.officerA.username);
    assert.equal((await browser.request(again)).status, 303);
  });

  it('refuses a callback whose state is not this browser’s, and opens no session', async () => {
    const browser = createBrowser();
    const location = new URL(await toCallback(browser, t.world.officerA.username));
    browser.jar.delete('egov_session');
    location.searchParams.set('state', crypto.randomBytes(32).toString('base64url'));
    const res = await browser.request(location.href);
    assert.equal(res.status, 303);
    assert.equal(new URL(res.location!).pathname, '/login');
    assert.equal(new URL(res.location!).searchParams.get('reason'), 'failed');
    assert.ok(!browser.jar.has('egov_session'));
    // Nor in another browser, which has no flow cookie at all.
    const other = createBrowser();
    const stolen = await other.request(location.href.replace(/state=[^&]*/, 'state=x'));
    assert.equal(new URL(stolen.location!).searchParams.get('reason'), 'failed');
    assert.ok(!other.jar.has('egov_session'));
  });

  it('refuses a replayed callback, with or without the flow cookie', async () => {
    const browser = createBrowser();
    const location = await toCallback(browser, t.world.officerA.username);
    const flow = browser.jar.get(FLOW_COOKIE)!;
    assert.equal((await browser.request(location)).status, 303);
    browser.jar.delete('egov_session');
    const replay = await browser.request(location);
    assert.equal(new URL(replay.location!).searchParams.get('reason'), 'failed', 'the flow cookie was cleared');
    browser.jar.set(FLOW_COOKIE, flow);
    const withCookie = await browser.request(location);
    assert.equal(new URL(withCookie.location!).searchParams.get('reason'), 'failed', 'the code was used');
    assert.ok(!browser.jar.has('egov_session'));
  });

  it('follows only paths of this site after sign-in', async () => {
    for (const evil of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', '/%0d%0aLocation:x', 'javascript:alert(1)', '/login?next=//evil.example']) {
      const browser = createBrowser();
      const location = await toCallback(browser, t.world.officerA.username, evil);
      const back = await browser.request(location);
      assert.equal(back.status, 303);
      const target = new URL(back.location!);
      assert.equal(target.origin, issuer, evil);
      if (!evil.startsWith('/%0d')) assert.equal(target.pathname, '/workbench', evil);
    }
    assert.equal(safeNext('/organizations/1?x=2'), '/organizations/1?x=2');
    assert.equal(safeNext('//evil.example'), '/workbench');
    assert.equal(safeNext('/\\evil.example'), '/workbench');
    assert.equal(safeNext('/api/session'), '/workbench');
  });

  it('sends someone whose password must change to the change page', async () => {
    const user = await buildUser(t.services, { orgId: t.world.deptA.id, roles: ['officer'], temporaryPassword: true });
    const browser = createBrowser();
    const back = await browser.request(await toCallback(browser, user.username));
    assert.equal(back.location, `${issuer}/account/password`);
    const info = JSON.parse((await browser.request(`${issuer}/api/session`)).body);
    assert.equal(info.mustChangePassword, true);
    // No single sign-on on the strength of it: the provider asks for the password again.
    const start = await browser.request(`${issuer}/api/session/oidc/start`);
    const page = await browser.follow(start.location!, callback);
    assert.equal(page.status, 200);
    assert.match(page.body, /type="password"/);
  });

  it('is a built-in client: not listed, not editable, and cannot be deleted through the API', async () => {
    const list = await t.request('GET', '/api/identity/oidc-clients', { as: t.world.platformAdmin });
    assert.ok(!list.json.items.some((c: { clientId: string }) => c.clientId === WORKBENCH_CLIENT_ID));
    assert.equal((await t.request('GET', `/api/identity/oidc-clients/${WORKBENCH_CLIENT_ID}`, { as: t.world.platformAdmin })).statusCode, 404);
    assert.equal((await t.request('DELETE', `/api/identity/oidc-clients/${WORKBENCH_CLIENT_ID}`, { as: t.world.platformAdmin })).statusCode, 404);
    // Its secret is no one's to know: a guessed one is refused at the token endpoint.
    const res = await fetch(`${issuer}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${WORKBENCH_CLIENT_ID}:guess`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'x', redirect_uri: callback, code_verifier: 'x'.repeat(43) }),
    });
    assert.equal(res.status, 401);
  });

  it('signs out of the provider too (RP-initiated logout), back to the sign-in page', async () => {
    const browser = createBrowser();
    await browser.request(await toCallback(browser, t.world.officerA.username));
    const session = JSON.parse((await browser.request(`${issuer}/api/session`)).body);
    const cookie = [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const del = await fetch(`${issuer}/api/session`, { method: 'DELETE', headers: { cookie, 'x-csrf-token': session.csrfToken } });
    assert.equal(del.status, 204);
    const logout = await browser.request(`${issuer}/api/session/oidc/logout?lang=en`);
    assert.equal(logout.status, 303);
    const question = await browser.follow(logout.location!, `${issuer}/login`);
    assert.equal(question.status, 200, question.body.slice(0, 300));
    assert.match(question.body, /asks to sign you out of unified sign-in/);
    const form = formOf(question, 'op.logoutForm');
    const done = await browser.follow(form.action, `${issuer}/login`, { form: { ...form.fields, logout: 'yes' } });
    assert.equal(done.location, `${issuer}/login?reason=signed-out`);
    // The provider's session is gone: the next sign-in asks for the password again.
    const start = await browser.request(`${issuer}/api/session/oidc/start`);
    const page = await browser.follow(start.location!, callback);
    assert.equal(page.status, 200);
    assert.match(page.body, /type="password"/);
  });
});

describe('the callback accepts staff only', () => {
  it('refuses a correctly signed ID token for a citizen, and audits it', async () => {
    // A stand-in provider: the workbench's routes on a Fastify of their own, whose /oidc/token
    // answers for a citizen with a token signed by the key /oidc/jwks publishes.
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256', use: 'sig' };
    let nonce = '';
    const sign = (claims: Record<string, unknown>) => {
      const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const input = `${enc({ alg: 'ES256', kid: 'k1', typ: 'JWT' })}.${enc(claims)}`;
      return `${input}.${crypto.sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    };
    const app = await createHttpServer({ config: t.config, logger: createLogger('silent'), metrics: createMetrics(), authenticate: async () => undefined });
    app.get('/oidc/jwks', { config: { auth: 'public' } }, async () => ({ keys: [jwk] }));
    app.post('/oidc/token', { config: { auth: 'public' } }, async () => {
      const now = Math.floor(Date.now() / 1000);
      return { access_token: 'a', token_type: 'Bearer', id_token: sign({ iss: t.config.publicUrl, sub: 'citizen:42', aud: WORKBENCH_CLIENT_ID, iat: now, exp: now + 60, nonce, account_type: 'citizen' }) };
    });
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, body, done) => done(null, body));
    registerWorkbenchClientRoutes(app, { db: t.services.database.db, config: t.config, box: testBox(), clock: t.clock, audit: t.services.audit, authentication: t.services.identity.authentication, clientSecret: async () => 's', endProviderSession: async () => {} });
    await app.ready();
    try {
      const start = await app.inject({ method: 'GET', url: '/api/session/oidc/start' });
      nonce = new URL(String(start.headers.location)).searchParams.get('nonce')!;
      const state = new URL(String(start.headers.location)).searchParams.get('state')!;
      const flow = String(start.headers['set-cookie']).split(';')[0];
      const res = await app.inject({ method: 'GET', url: `/api/session/oidc/callback?code=c&state=${state}`, headers: { cookie: flow } });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/login?reason=not-staff');
      assert.ok(!String(res.headers['set-cookie']).includes('egov_session='), 'no workbench session');
      const refused = await t.services.database.db.selectFrom('audit.events').select(['outcome', 'detail', 'actor_name']).where('action', '=', 'identity.sign_in').where('actor_name', '=', 'citizen:42').execute();
      assert.equal(refused.length, 1);
      assert.equal(refused[0].outcome, 'failure');
      assert.equal((refused[0].detail as { reason: string }).reason, 'not_staff');

      // The same token with another nonce (another sign-in's) is refused as well.
      const again = await app.inject({ method: 'GET', url: '/api/session/oidc/start' });
      const state2 = new URL(String(again.headers.location)).searchParams.get('state')!;
      const res2 = await app.inject({ method: 'GET', url: `/api/session/oidc/callback?code=c&state=${state2}`, headers: { cookie: String(again.headers['set-cookie']).split(';')[0] } });
      assert.equal(res2.headers.location, '/login?reason=failed');
    } finally {
      await app.close();
    }
  });
});

import { testSecretBox as testBox } from '../../../test-support/factories.ts';
