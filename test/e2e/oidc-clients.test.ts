// Sign-in clients in the workbench, in a real browser on the demo world (issue 7): the public
// security bureau's administrator registers one of its business systems as a client of the
// platform's unified sign-in. A redirect URI that is not https is refused beside the field;
// the secret is shown once and works at the token endpoint; rotating it makes a new one and
// the old one stops working; a private_key_jwt client takes a JWKS (bad JSON refused beside
// the field) and has no secret; deleting removes the client. An officer has no such page.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { zhCN as zh } from '../../web/src/i18n/zh-CN.ts';
import { assertControlsLabelled, ensureWebBuilt, fill, launchChromium, startServer, type RunningServer } from './harness.ts';
import { apiSession, signedInPage } from './session.ts';

let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];
const suffix = String(Date.now()).slice(-6);
const SECRET_SYSTEM = { code: `portal${suffix}`, nameZh: `户籍网上办事${suffix}`, nameEn: `Household services online ${suffix}` };
const JWT_SYSTEM = { code: `mobile${suffix}`, nameZh: `户籍掌上办${suffix}`, nameEn: `Household services mobile ${suffix}` };

async function signIn(username: string): Promise<void> {
  await context?.close();
  ({ context, page } = await signedInPage(browser!, server!.baseUrl, username, { pageErrors }));
}

/** What the token endpoint says to a client secret: invalid_client when it is wrong, invalid_grant for a made-up code when it is right. */
async function tokenEndpointSays(clientId: string, secret: string): Promise<string> {
  const res = await fetch(`${server!.baseUrl}/oidc/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: 'made-up', redirect_uri: 'https://app.example.gov.cn/callback', code_verifier: 'v'.repeat(43) }),
  });
  return ((await res.json()) as { error: string }).error;
}

const form = () => page.getByRole('region', { name: zh['oidcClients.add'] });
const list = () => page.getByRole('region', { name: zh['oidcClients.listTitle'] });

describe('sign-in clients in the workbench', { timeout: 240_000 }, () => {
  before(async () => {
    ensureWebBuilt();
    server = await startServer();
    browser = await launchChromium();
    const psb = await apiSession(server.baseUrl, 'psb.admin');
    for (const system of [SECRET_SYSTEM, JWT_SYSTEM]) await psb.call('POST', `/api/organizations/${psb.orgId}/subsystems`, system);
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('opens from the navigation for an organization administrator, every control labelled', async () => {
    await signIn('psb.admin');
    await page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh['nav.oidcClients'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: zh['oidcClients.title'] }).waitFor();
    await list().getByText(zh['oidcClients.empty']).waitFor();
    await assertControlsLabelled(page);
  });

  it('refuses a redirect URI without https beside the field', async () => {
    await form().getByLabel(zh['oidcClients.subsystem'], { exact: true }).selectOption({ label: `${SECRET_SYSTEM.nameZh} (${SECRET_SYSTEM.code})` });
    await form().getByLabel(zh['oidcClients.redirectUris'], { exact: true }).fill('http://app.example.gov.cn/callback');
    await form().getByRole('button', { name: zh['oidcClients.add'], exact: true }).click();
    const summary = form().getByRole('alert');
    await summary.waitFor();
    const link = summary.getByRole('link', { name: new RegExp(`^${zh['oidcClients.redirectUris']}`) });
    await link.waitFor();
    const field = form().getByLabel(zh['oidcClients.redirectUris'], { exact: true });
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.match(await field.getAttribute('aria-describedby') ?? '', /error/);
    await link.click();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'redirectUris', 'the summary link leads to the field');
  });

  let clientId = '';
  let firstSecret = '';

  it('registers the client and shows its secret once, which works at the token endpoint', async () => {
    await form().getByLabel(zh['oidcClients.redirectUris'], { exact: true }).fill('https://app.example.gov.cn/callback\nhttp://127.0.0.1:3000/callback');
    await form().getByLabel(zh['oidcClients.scope.org'], { exact: true }).check();
    await form().getByRole('button', { name: zh['oidcClients.add'], exact: true }).click();
    const once = page.getByRole('region', { name: fill(zh['oidcClients.secretTitle'], { name: SECRET_SYSTEM.nameZh }) });
    await once.waitFor();
    await page.getByRole('status').filter({ hasText: fill(zh['oidcClients.created'], { name: SECRET_SYSTEM.nameZh }) }).waitFor();
    firstSecret = (await page.getByTestId('new-client-secret').innerText()).trim();
    assert.ok(firstSecret.length >= 32, firstSecret);
    const row = list().getByRole('row', { name: new RegExp(SECRET_SYSTEM.nameZh) });
    await row.waitFor();
    clientId = (await row.locator('td.mono').first().innerText()).trim();
    assert.match(await row.innerText(), /openid profile org/);
    assert.equal(await tokenEndpointSays(clientId, firstSecret), 'invalid_grant', 'the secret is accepted');
    assert.equal(await tokenEndpointSays(clientId, 'wrong'), 'invalid_client');
    // Shown once: closed, it is gone, and the list never shows it.
    await once.getByRole('button', { name: zh['common.close'], exact: true }).click();
    await once.waitFor({ state: 'detached' });
    await page.reload();
    await list().getByRole('row', { name: new RegExp(SECRET_SYSTEM.nameZh) }).waitFor();
    assert.ok(!(await page.content()).includes(firstSecret), 'the secret is not on the page any more');
  });

  it('rotates the secret: a new one shown once, the old one refused', async () => {
    await list().getByRole('button', { name: `${zh['oidcClients.rotate']} ${SECRET_SYSTEM.nameZh}`, exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(fill(zh['oidcClients.confirmRotate'], { name: SECRET_SYSTEM.nameZh })).waitFor();
    await dialog.getByRole('button', { name: zh['oidcClients.rotate'], exact: true }).click();
    await page.getByRole('status').filter({ hasText: fill(zh['oidcClients.rotated'], { name: SECRET_SYSTEM.nameZh }) }).waitFor();
    const second = (await page.getByTestId('new-client-secret').innerText()).trim();
    assert.notEqual(second, firstSecret);
    assert.equal(await tokenEndpointSays(clientId, firstSecret), 'invalid_client', 'the old secret stops working');
    assert.equal(await tokenEndpointSays(clientId, second), 'invalid_grant', 'the new one works');
  });

  it('registers a private_key_jwt client with its JWKS, refusing JSON that is not', async () => {
    await page.reload();
    await form().getByLabel(zh['oidcClients.subsystem'], { exact: true }).selectOption({ label: `${JWT_SYSTEM.nameZh} (${JWT_SYSTEM.code})` });
    await form().getByLabel(zh['oidcClients.redirectUris'], { exact: true }).fill('https://m.example.gov.cn/callback');
    await form().getByLabel(zh['oidcClients.auth.private_key_jwt'], { exact: true }).check();
    const jwks = form().getByLabel(zh['oidcClients.jwks'], { exact: true });
    await jwks.fill('{"keys": [');
    await form().getByRole('button', { name: zh['oidcClients.add'], exact: true }).click();
    await form().getByRole('alert').getByRole('link', { name: new RegExp(zh['oidcClients.jwks'].slice(0, 3)) }).waitFor();
    assert.equal(await jwks.getAttribute('aria-invalid'), 'true');
    const { publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await jwks.fill(JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'm1', use: 'sig', alg: 'ES256' }] }));
    await form().getByRole('button', { name: zh['oidcClients.add'], exact: true }).click();
    await page.getByRole('status').filter({ hasText: fill(zh['oidcClients.created'], { name: JWT_SYSTEM.nameZh }) }).waitFor();
    assert.equal(await page.getByTestId('new-client-secret').count(), 0, 'no secret for private_key_jwt');
    const row = list().getByRole('row', { name: new RegExp(JWT_SYSTEM.nameZh) });
    assert.match(await row.innerText(), new RegExp(zh['oidcClients.auth.private_key_jwt'].replace(/[()]/g, '.')));
    assert.equal(await row.getByRole('button', { name: `${zh['oidcClients.rotate']} ${JWT_SYSTEM.nameZh}`, exact: true }).count(), 0, 'nothing to rotate');
  });

  it('deletes a client', async () => {
    await list().getByRole('button', { name: `${zh['oidcClients.delete']} ${SECRET_SYSTEM.nameZh}`, exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: zh['oidcClients.delete'], exact: true }).click();
    await page.getByRole('status').filter({ hasText: fill(zh['oidcClients.deleted'], { name: SECRET_SYSTEM.nameZh }) }).waitFor();
    await list().getByRole('row', { name: new RegExp(SECRET_SYSTEM.nameZh) }).waitFor({ state: 'detached' });
    assert.equal(await tokenEndpointSays(clientId, firstSecret), 'invalid_client');
  });

  it('is not offered to an officer', async () => {
    await signIn('psb.officer');
    assert.equal(await page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh['nav.oidcClients'], exact: true }).count(), 0);
    await page.goto(`${server!.baseUrl}/identity/oidc-clients`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    assert.equal(await page.getByRole('heading', { level: 1, name: zh['oidcClients.title'] }).count(), 0);
  });

  it('raised no uncaught errors in the page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
