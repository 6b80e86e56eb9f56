// The exchange's nodes and client credentials pages in a real browser, on the demo server (a
// central node). New nodes ask to join through the public registration API, signed with keys
// made here as a node would; the platform admin compares the check code, approves one node
// (it then shows in the node list), and rejects another, after first trying to decide on a
// registration that was replaced meanwhile (a 409: reload). A department's admin adds a source
// address and an API token (shown once) for its subsystem and revokes one.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_ORGS, demoCreditCode } from '../../src/demo/dataset.ts';
import { checkCode, REGISTRATION_FORMAT, signRegistration, type RegistrationBody } from '../../src/modules/exchange/registration.ts';
import { createSuites, type KeyPair, type SuiteName } from '../../src/modules/trust/index.ts';
import { zhCN as zh } from '../../web/src/i18n/zh-CN.ts';
import { assertControlsLabelled, ensureWebBuilt, launchChromium, startServer, type RunningServer } from './harness.ts';
import { signedInPage } from './session.ts';

let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];
const suites = createSuites();
// The demo instance signs with SM2 unless the environment (inherited by the server) says otherwise.
const memberSuite = (process.env.EGOV_TRUST_SUITE ?? 'sm2-sm3') as SuiteName;
const member = (key: string) => {
  const index = DEMO_ORGS.findIndex((o) => o.key === key);
  return { identifier: `EGOV-DEMO/GOV/${demoCreditCode(DEMO_ORGS[index], index)}`, nameZh: DEMO_ORGS[index].nameZh };
};
const amr = member('amr');
const hrss = member('hrss');

/** What a new node sends: its keys, each proving itself by signing the request. */
async function register(name: string, memberId: string): Promise<{ id: string; checkCode: string }> {
  const auth = suites['ecdsa-p256-sha256'].generateKeyPair();
  const memberKey: KeyPair = suites[memberSuite].generateKeyPair();
  const body: RegistrationBody = {
    format: REGISTRATION_FORMAT,
    instance: 'EGOV-DEMO',
    name,
    url: `https://${name}.example.gov.cn:5500`,
    zone: 'external',
    members: [memberId],
    authKey: auth.publicKeySpki.toString('base64'),
    memberKeys: [{ member: memberId, publicKey: memberKey.publicKeySpki.toString('base64') }],
    submittedAt: new Date().toISOString(),
  };
  const res = await fetch(`${server!.baseUrl}/exchange/v1/nodes/registrations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(signRegistration(body, { auth, members: new Map([[memberId, memberKey]]) }, suites)),
  });
  const text = await res.text();
  assert.equal(res.status, 201, text);
  const status = JSON.parse(text) as { id: string; checkCode: string };
  assert.equal(status.checkCode, checkCode(body));
  return status;
}

async function signIn(username: string): Promise<void> {
  await context?.close();
  ({ context, page } = await signedInPage(browser!, server!.baseUrl, username, { pageErrors, acceptDownloads: true }));
}

const nav = (label: keyof typeof zh) => page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh[label], exact: true });
const card = (name: string) => page.getByRole('article', { name, exact: true });
const dialog = () => page.getByRole('dialog');

describe('exchange nodes and client credentials in the workbench', { timeout: 240_000 }, () => {
  before(async () => {
    ensureWebBuilt();
    server = await startServer();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('lets the platform admin approve a node after comparing its check code', async () => {
    const registration = await register('yz-amr', amr.identifier);
    await signIn('dataadmin');
    await nav('nav.exchangeNodes').click();
    await page.getByRole('heading', { level: 1, name: zh['exchange.nodes.title'] }).waitFor();
    await page.getByText(zh['exchange.registrations.compare']).waitFor();
    await assertControlsLabelled(page);

    const pending = card('yz-amr');
    assert.equal(await pending.getByTestId('check-code').textContent(), registration.checkCode);
    await pending.getByText(amr.nameZh).waitFor();
    await pending.getByText(amr.identifier).waitFor();
    await pending.getByText(zh['exchange.zone.external']).waitFor();

    await pending.getByRole('button', { name: `${zh['exchange.registration.approve']} yz-amr` }).click();
    await dialog().getByRole('heading', { name: '批准节点 yz-amr' }).waitFor();
    assert.equal(await dialog().getByTestId('dialog-check-code').textContent(), registration.checkCode);
    await assertControlsLabelled(page);
    await dialog().getByLabel(zh['exchange.registration.approveNote']).fill('已电话核对校验码');
    await dialog().getByRole('button', { name: zh['exchange.registration.approve'], exact: true }).click();
    await page.getByText('已批准节点 yz-amr', { exact: false }).waitFor();
    await page.getByText(zh['exchange.registrations.empty']).waitFor();

    // The node list now has the new node, hosting its member (by name), with its certificate.
    const row = page.getByRole('row').filter({ hasText: 'yz-amr' });
    await row.getByText('https://yz-amr.example.gov.cn:5500').waitFor();
    await row.getByText(amr.nameZh).waitFor();
    await row.getByText(zh['exchange.zone.external']).waitFor();
    assert.match((await row.locator('td').nth(4).textContent()) ?? '', /^[0-9A-Fa-f]{8,}$/);

    // The decision stays visible under "approved".
    await page.getByLabel(zh['exchange.registrations.filter'], { exact: true }).selectOption('approved');
    await card('yz-amr').getByText('已电话核对校验码').waitFor();
  });

  it('asks to reload when a registration changed meanwhile, then rejects with a reason', async () => {
    const first = await register('lj-hrss', hrss.identifier);
    await page.getByLabel(zh['exchange.registrations.filter'], { exact: true }).selectOption('pending');
    assert.equal(await card('lj-hrss').getByTestId('check-code').textContent(), first.checkCode);

    // The node registers again (new keys) while the page shows the old request.
    const second = await register('lj-hrss', hrss.identifier);
    assert.notEqual(second.checkCode, first.checkCode);
    await card('lj-hrss').getByRole('button', { name: `${zh['exchange.registration.reject']} lj-hrss` }).click();
    assert.equal(await dialog().getByTestId('dialog-check-code').textContent(), first.checkCode);
    // A reason is required.
    await dialog().getByRole('button', { name: zh['exchange.registration.reject'], exact: true }).click();
    await dialog().getByText(zh['fieldError.required']).waitFor();
    await dialog().getByLabel(zh['exchange.registration.rejectNote']).fill('节点地址不在政务外网地址段内');
    await dialog().getByRole('button', { name: zh['exchange.registration.reject'], exact: true }).click();
    await page.getByRole('alert').filter({ hasText: zh['error.already_decided'] }).waitFor();

    await page.getByRole('button', { name: zh['exchange.registration.reload'], exact: true }).click();
    await page.waitForFunction((code) => document.querySelector('[data-testid="check-code"]')?.textContent === code, second.checkCode);
    await card('lj-hrss').getByRole('button', { name: `${zh['exchange.registration.reject']} lj-hrss` }).click();
    assert.equal(await dialog().getByTestId('dialog-check-code').textContent(), second.checkCode);
    await dialog().getByLabel(zh['exchange.registration.rejectNote']).fill('节点地址不在政务外网地址段内');
    await dialog().getByRole('button', { name: zh['exchange.registration.reject'], exact: true }).click();
    await page.getByText('已驳回节点 lj-hrss 的注册申请。').waitFor();

    await page.getByLabel(zh['exchange.registrations.filter'], { exact: true }).selectOption('rejected');
    await page.getByText('节点地址不在政务外网地址段内').waitFor();
    assert.equal(await page.getByRole('row').filter({ hasText: 'lj-hrss' }).count(), 0, 'a rejected node is not in the node list');
  });

  it('gives the platform admin the anchor file for new nodes', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: zh['exchange.anchor.download'] }).click()]);
    const anchor = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as { format: string; instance: string; centralUrl: string };
    assert.equal(anchor.format, 'egov-anchor/1');
    assert.equal(anchor.instance, 'EGOV-DEMO');
    // The address the operator reached the central node at, which a new node on that network uses too.
    assert.equal(anchor.centralUrl, server!.baseUrl);
  });

  it('shows the registrations read-only to the security admin and hides the page from officers', async () => {
    const waiting = await register('lj-hrss', hrss.identifier);
    await signIn('security');
    await nav('nav.exchangeNodes').click();
    await page.getByText(zh['exchange.registrations.readOnly']).waitFor();
    assert.equal(await card('lj-hrss').getByTestId('check-code').textContent(), waiting.checkCode);
    await page.getByRole('row').filter({ hasText: 'yz-amr' }).waitFor();
    assert.equal(await page.getByRole('button', { name: zh['exchange.registration.approve'] }).count(), 0);
    assert.equal(await page.getByRole('button', { name: zh['exchange.registration.reject'] }).count(), 0);
    assert.equal(await page.getByRole('link', { name: zh['exchange.anchor.download'] }).count(), 0);

    await signIn('psb.officer');
    assert.equal(await nav('nav.exchangeNodes').count(), 0);
    assert.equal(await nav('nav.exchangeClients').count(), 0);
    await page.goto(`${server!.baseUrl}/exchange/nodes`);
    await page.getByRole('heading', { level: 1, name: zh['page.forbidden'] }).waitFor();
  });

  it("lets a department's admin add an address and a token for its subsystem, and revoke one", async () => {
    await signIn('psb.admin');
    await nav('nav.exchangeClients').click();
    await page.getByRole('heading', { level: 1, name: zh['exchange.clients.title'] }).waitFor();
    await page.getByText(zh['exchange.clients.empty']).waitFor();
    await page.getByLabel(zh['exchange.client.subsystem'], { exact: true }).selectOption({ label: 'hukou (人口户籍系统)' });

    // A wrong address is named beside its field.
    await page.getByLabel(zh['exchange.client.kind.address'], { exact: true }).check();
    await assertControlsLabelled(page);
    await page.getByLabel(zh['exchange.client.address'], { exact: true }).fill('10.1.2.0/33');
    await page.getByRole('button', { name: zh['exchange.client.add'], exact: true }).click();
    await page.locator('#client-credential-value-error').waitFor();
    assert.equal(await page.getByLabel(zh['exchange.client.address'], { exact: true }).getAttribute('aria-invalid'), 'true');

    await page.getByLabel(zh['exchange.client.address'], { exact: true }).fill('10.1.2.0/24');
    await page.getByLabel(zh['exchange.client.label'], { exact: true }).fill('户籍前置机');
    await page.getByRole('button', { name: zh['exchange.client.add'], exact: true }).click();
    await page.getByRole('cell', { name: '10.1.2.0/24', exact: true }).waitFor();

    await page.getByLabel(zh['exchange.client.kind.token'], { exact: true }).check();
    await page.getByLabel(zh['exchange.client.label'], { exact: true }).fill('户籍查询客户端');
    await page.getByRole('button', { name: zh['exchange.client.add'], exact: true }).click();
    const token = (await page.getByTestId('new-client-token').textContent()) ?? '';
    assert.match(token, /^egx_/);
    await page.getByText(zh['exchange.client.tokenOnce']).waitFor();
    await page.getByRole('cell', { name: '户籍查询客户端', exact: true }).waitFor();
    assert.equal(await page.getByText(token).count(), 1, 'the token itself is shown once, in its box only');
    await page.getByRole('region', { name: /的新 API 令牌$/ }).getByRole('button', { name: zh['common.close'] }).click();
    assert.equal(await page.getByTestId('new-client-token').count(), 0);

    await page.getByRole('button', { name: `${zh['exchange.client.revoke']} 户籍前置机` }).click();
    await page.getByRole('dialog').getByRole('button', { name: zh['exchange.client.revoke'], exact: true }).click();
    await page.getByText(zh['exchange.client.revoked']).waitFor();
    // The notice can show before the list is read again: wait for the row to go, rather than count at once.
    await page.getByRole('cell', { name: '10.1.2.0/24', exact: true }).waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: '户籍查询客户端', exact: true }).waitFor();
    assert.deepEqual(pageErrors, []);
    await context?.close();
  });
});
