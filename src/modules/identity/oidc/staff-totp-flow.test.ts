// Staff two-step sign-in at the provider, driven by a real relying party (openid-client): an
// administrator without TOTP sets it up as a step of the sign-in and cannot finish otherwise;
// one with TOTP gives the code; wrong and replayed codes are refused on the page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { localOperator } from '../../../platform/actor.ts';
import { TEST_PASSWORD, buildUser } from '../../../test-support/factories.ts';
import { createTestApp, type TestApp } from '../../../test-support/test-app.ts';
import { totpCode } from '../totp/codes.ts';
import { createBrowser, formOf, freePort, registerClient, type Page } from './test-browser.ts';

const CALLBACK = 'http://127.0.0.1:9/callback';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
let t: TestApp;
let issuer: string;
let config: oidc.Configuration;

before(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  // The provider runs on the wall clock; so does this app, so that codes match it.
  t = await createTestApp({ env: { EGOV_PUBLIC_URL: issuer }, clock: { now: () => new Date() } });
  await t.http.listen({ port, host: '127.0.0.1' });
  const { client } = await registerClient(t, t.world.adminA);
  config = await oidc.discovery(new URL(issuer), client.clientId, undefined, oidc.ClientSecretBasic(client.clientSecret!), { execute: [oidc.allowInsecureRequests] });
});
after(async () => t?.close());

const newAdmin = async () => buildUser(t.services, { orgId: t.world.deptA.id, roles: ['org_admin'] });
const wrongCode = (secret: string) => (totpCode(secret, new Date()) === '000000' ? '111111' : '000000');

/** Starts a sign-in and posts the password: the page after it (the code, or setting TOTP up). */
async function afterPassword(username: string) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const authUrl = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid org', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state });
  const browser = createBrowser();
  const login = formOf(await browser.follow(authUrl.href, CALLBACK));
  const page = await browser.follow(login.action, CALLBACK, { form: { ...login.fields, kind: 'staff', login: username, password: TEST_PASSWORD } });
  return { browser, page, verifier, state };
}

/** Posts a code on the page's form; then through consent, if asked, to the callback. */
async function postCode(browser: ReturnType<typeof createBrowser>, page: Page, code: string): Promise<Page> {
  const form = formOf(page);
  let next = await browser.follow(form.action, CALLBACK, { form: { ...form.fields, code } });
  if (!next.location && /授权确认/.test(next.body)) next = await browser.follow(formOf(next).action, CALLBACK, { form: formOf(next).fields });
  return next;
}

describe('staff two-step sign-in at the provider', () => {
  it('an administrator without TOTP sets it up during sign-in (text secret and otpauth URI), and cannot finish without it', async () => {
    const admin = await newAdmin();
    const { browser, page, verifier, state } = await afterPassword(admin.username);
    assert.equal(page.status, 200, page.body);
    assert.match(page.body, /<h1>设置两步验证<\/h1>/);
    const secret = /<code id="totp-secret"[^>]*>([A-Z2-7 ]+)<\/code>/.exec(page.body)?.[1].replace(/ /g, '');
    assert.ok(secret && secret.length >= 32, page.body);
    assert.match(page.body, new RegExp(`otpauth://totp/[^<]*secret=${secret}`));

    // Going back to the interaction shows the same secret: the sign-in is not done.
    const again = await browser.request(page.url.replace(/\/login$/, ''));
    assert.match(again.body, new RegExp(secret.replace(/(.{4})(?=.)/g, '$1 ')));
    assert.ok(!again.location, 'no way around the setup');

    const wrong = await postCode(browser, again, wrongCode(secret));
    assert.equal(wrong.status, 400);
    assert.match(wrong.body, /aria-invalid="true"/);
    assert.match(wrong.body, /验证码不是新密钥的当前验证码/);

    const done = await postCode(browser, wrong, totpCode(secret, new Date()));
    assert.ok(done.location?.startsWith(CALLBACK), `ended at ${done.url} ${done.status}: ${done.body.slice(0, 300)}`);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(done.location!), { pkceCodeVerifier: verifier, expectedState: state });
    assert.equal(tokens.claims()!.sub, `staff:${admin.id}`);

    // From now on POST /api/session asks this administrator for a code.
    const res = await t.request('POST', '/api/session', { body: { username: admin.username, password: TEST_PASSWORD } });
    assert.equal(res.json.code, 'totp_required');
    const signIns = await t.services.database.db.selectFrom('audit.events').select(['outcome', 'detail']).where('action', '=', 'identity.sign_in').where('subject_id', '=', admin.id).execute();
    assert.ok(signIns.some((e) => e.outcome === 'success' && (e.detail as { enrolled?: boolean }).enrolled === true), JSON.stringify(signIns));
  });

  it('an account with TOTP gives the code: wrong and replayed codes are refused on the page, the current one signs in', async () => {
    const admin = await newAdmin();
    await t.services.identity.staffTotp.installKnownSecret(localOperator('test'), admin.id, SECRET);
    const first = await afterPassword(admin.username);
    assert.match(first.page.body, /<h1>两步验证<\/h1>/);
    const wrong = await postCode(first.browser, first.page, wrongCode(SECRET));
    assert.equal(wrong.status, 401);
    assert.match(wrong.body, /验证码不是身份验证器应用当前显示的验证码/);
    const code = totpCode(SECRET, new Date());
    const done = await postCode(first.browser, wrong, code);
    assert.ok(done.location?.startsWith(CALLBACK), `ended at ${done.url} ${done.status}: ${done.body.slice(0, 300)}`);

    // The same code in a second sign-in is refused: each code is accepted once.
    const second = await afterPassword(admin.username);
    const replayed = await postCode(second.browser, second.page, code);
    assert.equal(replayed.status, 401, replayed.body.slice(0, 300));
    assert.ok(!replayed.location);
  });
});
