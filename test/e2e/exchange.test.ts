// The exchange pages in a real browser: an organization admin registers a service of one of
// the demo subsystems and grants another department's subsystem access; the message log
// page searches the node's log.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_ORGS, demoCreditCode } from '../../src/demo/dataset.ts';
import { zhCN as zh } from '../../web/src/i18n/zh-CN.ts';
import { assertControlsLabelled, ensureWebBuilt, launchChromium, startServer, type RunningServer } from './harness.ts';
import { signedInPage } from './session.ts';

let server: RunningServer | undefined;
let browser: Browser | undefined;
let page: Page;
const pageErrors: string[] = [];
const caIndex = DEMO_ORGS.findIndex((o) => o.key === 'ca');
const welfare = `EGOV-DEMO/GOV/${demoCreditCode(DEMO_ORGS[caIndex], caIndex)}/welfare`;
const nav = (label: keyof typeof zh) => page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh[label], exact: true });

describe('exchange in the workbench', { timeout: 180_000 }, () => {
  before(async () => {
    ensureWebBuilt();
    server = await startServer();
    browser = await launchChromium();
    ({ page } = await signedInPage(browser, server.baseUrl, 'psb.admin', { pageErrors }));
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('registers a service of a demo subsystem and grants another department access', async () => {
    await nav('nav.exchangeServices').click();
    await page.getByRole('heading', { level: 1, name: zh['exchange.services.title'] }).waitFor();
    await page.getByLabel(zh['exchange.service.code'], { exact: true }).fill('persons');
    await page.getByLabel(zh['exchange.service.backendUrl'], { exact: true }).fill('http://127.0.0.1:9/persons');
    await assertControlsLabelled(page);
    await page.getByRole('button', { name: zh['exchange.service.register'], exact: true }).click();
    await page.getByText(/已登记服务 EGOV-DEMO\/GOV\/.+\/hukou\/persons/).waitFor();

    await page.getByRole('button', { name: new RegExp(`^${zh['exchange.rights.show']}`) }).first().click();
    await page.getByLabel(zh['exchange.right.clientInput']).fill(welfare);
    await page.getByLabel(zh['exchange.right.method']).selectOption('GET');
    await page.getByLabel(zh['exchange.right.path']).fill('/v1/**');
    // A field-level right: only these fields of the answer (a Chinese comma is read as a comma).
    await page.getByLabel(zh['exchange.right.fields']).fill('name，birthDate');
    await page.getByRole('button', { name: zh['exchange.right.grant'], exact: true }).click();
    await page.getByRole('cell', { name: welfare }).first().waitFor();
    await page.getByRole('columnheader', { name: zh['exchange.right.fieldsColumn'], exact: true }).waitFor();
    await page.getByRole('cell', { name: 'name, birthDate', exact: true }).waitFor();
    assert.equal(await page.getByLabel(zh['exchange.right.fields']).inputValue(), '', 'the form is cleared after the grant');
    // The whole answer when the list is left empty.
    await page.getByLabel(zh['exchange.right.clientInput']).fill(welfare);
    await page.getByLabel(zh['exchange.right.method']).selectOption('POST');
    await page.getByLabel(zh['exchange.right.path']).fill('/v1/search');
    await page.getByRole('button', { name: zh['exchange.right.grant'], exact: true }).click();
    // The demo's registry services have whole-answer rights of their own, so look in this grant's row.
    await page.getByRole('row').filter({ hasText: '/v1/search' }).getByRole('cell', { name: zh['exchange.right.allFields'], exact: true }).waitFor();
    // A bad field name is refused with the field named, on the fields input.
    await page.getByLabel(zh['exchange.right.clientInput']).fill(welfare);
    await page.getByLabel(zh['exchange.right.method']).selectOption('DELETE');
    await page.getByLabel(zh['exchange.right.fields']).fill('1name');
    await page.getByRole('button', { name: zh['exchange.right.grant'], exact: true }).click();
    await page.getByRole('alert').filter({ hasText: `${zh['exchange.right.fieldsColumn']}: ${zh['fieldError.pattern']}` }).waitFor();
    assert.equal(await page.getByLabel(zh['exchange.right.fields']).getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByRole('cell', { name: 'DELETE', exact: true }).count(), 0, 'nothing was granted');
    await page.getByLabel(zh['exchange.right.fields']).fill('');

    await page.getByLabel(zh['exchange.right.clientInput']).fill('EGOV-DEMO/GOV');
    await page.getByRole('button', { name: zh['exchange.right.grant'], exact: true }).click();
    await page.getByRole('alert').waitFor();
  });

  it('searches the message log', async () => {
    await nav('nav.exchangeLog').click();
    await page.getByRole('heading', { level: 1, name: zh['exchange.log.title'] }).waitFor();
    await assertControlsLabelled(page);
    await page.getByLabel(zh['exchange.log.outcome'], { exact: true }).selectOption('failure');
    await page.getByRole('button', { name: zh['exchange.log.search'], exact: true }).click();
    await page.getByText(zh['exchange.log.empty']).waitFor();
  });

  it('shows the node status to the platform admin', async () => {
    const admin = await signedInPage(browser!, server!.baseUrl, 'dataadmin', { pageErrors });
    page = admin.page;
    await nav('nav.exchangeStatus').click();
    await page.getByRole('heading', { level: 1, name: zh['exchange.status.title'] }).waitFor();
    assert.equal(await page.getByTestId('node-role').textContent(), zh['exchange.status.central']);
    assert.match((await page.getByTestId('node-log').textContent()) ?? '', /共 \d+ 条/);
    assert.deepEqual(pageErrors, []);
    await admin.context.close();
  });
});
