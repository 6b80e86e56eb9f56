// Trust services in a real browser against the real server: an organization admin requests a
// signing certificate, the CA operator approves it, the holder signs a file, and anyone,
// signed out, verifies it on the public page; then the admin revokes the certificate.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { en } from '../../web/src/i18n/en.ts';
import { zhCN as zh } from '../../web/src/i18n/zh-CN.ts';
import { assertControlsLabelled, ensureWebBuilt, launchChromium, startServer, type RunningServer } from './harness.ts';
import { newPage as openPage, signInPage } from './session.ts';

let server: RunningServer | undefined;
let browser: Browser | undefined;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
const documentText = Buffer.from('青云省公安厅关于户籍业务网上办理的通告\n', 'utf8');
let signature: Buffer;
let serial = '';

async function newPage(locale = 'zh-CN'): Promise<Page> {
  const { context, page } = await openPage(browser!, { pageErrors, locale, acceptDownloads: true });
  contexts.push(context);
  return page;
}

async function signedIn(username: string): Promise<Page> {
  const page = await newPage();
  await signInPage(page, server!.baseUrl, username);
  return page;
}

describe('trust services in the workbench', { timeout: 240_000 }, () => {
  before(async () => {
    ensureWebBuilt();
    server = await startServer();
    browser = await launchChromium();
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('an organization admin requests a signing certificate for a colleague', async () => {
    const page = await signedIn('psb.admin');
    await page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh['nav.certificates'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: zh['trust.certificates.title'] }).waitFor();
    await page.getByLabel(zh['trust.field.holder']).selectOption({ label: '青云省公安厅工作人员 (psb.officer)' });
    await assertControlsLabelled(page);
    await page.getByRole('button', { name: zh['trust.requests.submit'], exact: true }).click();
    await page.getByText(zh['trust.requests.submitted']).waitFor();
    await page.getByRole('cell', { name: zh['trust.request.pending'] }).first().waitFor();
  });

  it('the CA operator approves it from the queue, and the certificate is issued', async () => {
    const page = await signedIn('security');
    await page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh['nav.caQueue'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: zh['trust.queue.title'] }).waitFor();
    await page.getByRole('button', { name: new RegExp(`^${zh['trust.queue.approve']}`) }).first().click();
    const notice = page.getByRole('status').filter({ hasText: /已签发证书/ });
    await notice.waitFor();
    serial = /已签发证书 ([0-9a-f]+)/.exec((await notice.textContent()) ?? '')![1];
    await page.getByText(zh['trust.queue.empty']).waitFor();
  });

  it('the holder signs a file and downloads the signature', async () => {
    const page = await signedIn('psb.officer');
    await page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh['nav.sign'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: zh['trust.sign.title'] }).waitFor();
    await page.getByLabel(zh['trust.sign.file']).first().setInputFiles({ name: 'notice.txt', mimeType: 'text/plain', buffer: documentText });
    await assertControlsLabelled(page);
    await page.getByRole('button', { name: zh['trust.sign.submit'], exact: true }).click();
    const link = page.getByRole('link', { name: zh['trust.sign.download'] });
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), 'notice.txt.p7s');
    signature = fs.readFileSync((await download.path())!);
    assert.equal(signature[0], 0x30, 'a DER CMS structure');
  });

  it('anyone, signed out, verifies it on the public page, and a changed file is caught', async () => {
    const page = await newPage();
    await page.goto(`${server!.baseUrl}/verify`);
    await page.getByRole('heading', { level: 1, name: zh['trust.verify.title'] }).waitFor();
    await assertControlsLabelled(page);
    await page.getByLabel(zh['trust.verify.signed']).setInputFiles({ name: 'notice.txt.p7s', mimeType: 'application/pkcs7-signature', buffer: signature });
    await page.getByLabel(zh['trust.verify.document']).setInputFiles({ name: 'notice.txt', mimeType: 'text/plain', buffer: documentText });
    await page.getByRole('button', { name: zh['trust.verify.submit'], exact: true }).click();
    await page.getByTestId('verdict').filter({ hasText: zh['trust.verify.valid'] }).waitFor();
    assert.equal(await page.getByTestId('verify-organization').textContent(), '青云省公安厅');
    assert.equal(await page.getByTestId('verify-person').textContent(), '青云省公安厅工作人员');
    await page.getByText(zh['trust.verify.provenByTimestamp']).waitFor();

    await page.getByLabel(zh['trust.verify.document']).setInputFiles({ name: 'notice.txt', mimeType: 'text/plain', buffer: Buffer.from('青云省公安厅关于户籍业务暂停办理的通告\n', 'utf8') });
    await page.getByRole('button', { name: zh['trust.verify.submit'], exact: true }).click();
    await page.getByTestId('verdict').filter({ hasText: zh['trust.verify.invalid'] }).waitFor();
    assert.match((await page.getByTestId('verdict-reason').textContent()) ?? '', /被修改/);

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: en['trust.verify.submit'], exact: true }).click();
    await page.getByTestId('verdict').filter({ hasText: en['trust.verify.invalid'] }).waitFor();
    assert.match((await page.getByTestId('verdict-reason').textContent()) ?? '', /changed after it was signed/);
  });

  it('the organization admin revokes the certificate; the CRL lists it; the earlier signature stays valid', async () => {
    const page = await signedIn('psb.admin');
    await page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh['nav.certificates'], exact: true }).click();
    await page.getByRole('button', { name: new RegExp(`^${zh['trust.certificates.revoke']}.*${serial}`) }).click();
    await page.getByLabel(zh['trust.field.reason']).selectOption('keyCompromise');
    await page.getByRole('dialog').getByRole('button', { name: zh['trust.certificates.revoke'], exact: true }).click();
    await page.getByText(zh['trust.certificates.revoked']).waitFor();
    const status = await page.request.get(`${server!.baseUrl}/api/trust/status/${serial}`);
    assert.equal((await status.json()).status, 'revoked');
    const crl = await page.request.get(`${server!.baseUrl}/api/trust/crl`);
    assert.equal(crl.headers()['content-type'], 'application/pkix-crl');

    const verify = await page.request.post(`${server!.baseUrl}/api/trust/verify`, { data: { signatureBase64: signature.toString('base64'), documentBase64: documentText.toString('base64') } });
    const result = await verify.json();
    assert.equal(result.valid, true);
    assert.equal(result.certificate.status, 'revoked');
    assert.deepEqual(pageErrors, []);
  });
});
