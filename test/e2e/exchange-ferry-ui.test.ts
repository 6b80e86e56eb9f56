// The ferry's side of the workbench in a real browser, on the demo server: a central node in
// the business network, here given a ferry to an office-network node (folders only; no node
// is on the other side). The platform admin adds a crossing rule on the nodes page (first
// trying one whose zones are the same, which the server names beside the "to zone" field),
// sees it in words and revokes it after confirming; a department's admin registers a public
// service and sees its classification in the list; the status page names the node, its zone
// and the ferry's backlog.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_ORGS, demoCreditCode } from '../../src/demo/dataset.ts';
import type { NodeStatus } from '../../src/modules/exchange/index.ts';
import { zhCN as zh } from '../../web/src/i18n/zh-CN.ts';
import { assertControlsLabelled, ensureWebBuilt, launchChromium, startServer, type RunningServer } from './harness.ts';
import { signedInPage } from './session.ts';

let server: RunningServer | undefined;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-e2e-ferry-'));
const inDir = path.join(dir, 'from-internal');
const outDir = path.join(dir, 'to-internal');
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];
const psbIndex = DEMO_ORGS.findIndex((o) => o.key === 'psb');
const psbPrefix = `EGOV-DEMO/GOV/${demoCreditCode(DEMO_ORGS[psbIndex], psbIndex)}/hukou/*`;

async function signIn(username: string): Promise<void> {
  await context?.close();
  ({ context, page } = await signedInPage(browser!, server!.baseUrl, username, { pageErrors }));
}

const nav = (label: keyof typeof zh) => page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh[label], exact: true });
const field = (label: keyof typeof zh) => page.getByLabel(zh[label], { exact: true });

describe('the ferry in the workbench: crossing rules, service classification, node status', { timeout: 180_000 }, () => {
  before(async () => {
    ensureWebBuilt();
    // One bundle the node refused earlier, as the operator finds it: the file and its reason.
    fs.mkdirSync(path.join(inDir, 'rejected'), { recursive: true });
    fs.mkdirSync(outDir);
    fs.writeFileSync(path.join(inDir, 'rejected', 'old.egb'), 'not a bundle');
    fs.writeFileSync(path.join(inDir, 'rejected', 'old.egb.reason.txt'), 'not a bundle\n');
    server = await startServer({ env: { EGOV_FERRY_PEER: 'dept-internal', EGOV_FERRY_IN_DIR: inDir, EGOV_FERRY_OUT_DIR: outDir } });
    browser = await launchChromium();
  });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lets the platform admin add a crossing rule, after the same-zone error, and revoke it', async () => {
    await signIn('dataadmin');
    await nav('nav.exchangeNodes').click();
    const section = page.getByRole('region', { name: zh['exchange.crossing.title'] });
    await section.getByText(zh['exchange.crossing.intro']).waitFor();
    await section.getByText(zh['exchange.crossing.empty']).waitFor();
    await assertControlsLabelled(page);

    // The same zone on both sides: the server names the "to zone" field, and the form shows it there.
    await field('exchange.crossing.fromZone').selectOption('internal');
    await field('exchange.crossing.toZone').selectOption('internal');
    await field('exchange.crossing.pattern').fill(psbPrefix);
    await section.getByLabel(zh['exchange.classification.public'], { exact: true }).check();
    await section.getByLabel(zh['exchange.classification.internal'], { exact: true }).check();
    await section.getByRole('button', { name: zh['exchange.crossing.add'], exact: true }).click();
    const toZoneError = page.locator('#crossing-rule-toZone-error');
    await toZoneError.waitFor();
    assert.match((await toZoneError.textContent()) ?? '', /来源区域/);
    assert.equal(await field('exchange.crossing.toZone').getAttribute('aria-invalid'), 'true');
    assert.equal(await field('exchange.crossing.toZone').getAttribute('aria-describedby'), 'crossing-rule-toZone-error');
    await page.getByRole('alert').getByRole('link', { name: new RegExp(`^${zh['exchange.crossing.toZone']}`) }).waitFor();

    await field('exchange.crossing.toZone').selectOption('external');
    await section.getByRole('button', { name: zh['exchange.crossing.add'], exact: true }).click();
    const row = section.getByRole('row').filter({ hasText: psbPrefix });
    await row.waitFor();
    assert.equal(await toZoneError.count(), 0);
    const cells = row.locator('td');
    // The arrow is for the eye; a screen reader hears "至" (to) instead.
    assert.equal((await cells.nth(0).textContent())?.replace(/\s+/g, ' '), `${zh['exchange.zone.internal']} →${zh['exchange.crossing.toWord']} ${zh['exchange.zone.external']}`);
    assert.equal(await cells.nth(0).locator('[aria-hidden="true"]').textContent(), '→');
    assert.equal(await cells.nth(2).textContent(), '公开、内部');
    assert.match((await cells.nth(3).textContent()) ?? '', /^数据局平台管理员，/);
    await section.getByText(`已添加摆渡规则：政务内网至政务外网，${psbPrefix}，公开、内部。`).waitFor();
    // The form is ready for the next rule.
    assert.equal(await field('exchange.crossing.pattern').inputValue(), '');

    // Revoking asks first; cancelling keeps the rule.
    const revoke = section.getByRole('button', { name: `${zh['exchange.crossing.revoke']} 政务内网至政务外网：${psbPrefix}`, exact: true });
    await revoke.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`撤销从政务内网至政务外网、服务 ${psbPrefix}、数据分级为公开、内部的摆渡规则？`, { exact: false }).waitFor();
    await dialog.getByRole('button', { name: zh['common.cancel'], exact: true }).click();
    await row.waitFor();
    await revoke.click();
    await dialog.getByRole('button', { name: zh['exchange.crossing.revoke'], exact: true }).click();
    await section.getByText(`已撤销摆渡规则：政务内网至政务外网，${psbPrefix}。`).waitFor();
    await section.getByText(zh['exchange.crossing.empty']).waitFor();
    assert.equal(await row.count(), 0);
  });

  it('shows the rules read-only to the security admin', async () => {
    await signIn('security');
    await nav('nav.exchangeNodes').click();
    const section = page.getByRole('region', { name: zh['exchange.crossing.title'] });
    await section.getByText(zh['exchange.crossing.readOnly']).waitFor();
    assert.equal(await section.getByRole('button', { name: zh['exchange.crossing.add'] }).count(), 0);
    assert.equal(await section.locator('select, input').count(), 0);
  });

  it("registers a department's service as public and lists its classification", async () => {
    await signIn('psb.admin');
    await nav('nav.exchangeServices').click();
    await page.getByRole('heading', { level: 1, name: zh['exchange.services.title'] }).waitFor();
    assert.equal(await field('exchange.service.classification').inputValue(), 'internal', 'internal unless said otherwise');
    await assertControlsLabelled(page);
    await field('exchange.service.code').fill('open-data');
    await field('exchange.service.backendUrl').fill('http://127.0.0.1:9/open-data');
    await field('exchange.service.classification').selectOption({ label: zh['exchange.classification.public'] });
    await page.getByRole('button', { name: zh['exchange.service.register'], exact: true }).click();
    await page.getByText(/已登记服务 EGOV-DEMO\/GOV\/.+\/hukou\/open-data/).waitFor();
    const row = page.getByRole('row').filter({ hasText: '/hukou/open-data' });
    await row.getByRole('cell', { name: zh['exchange.classification.public'], exact: true }).waitFor();
    assert.equal(await field('exchange.service.classification').inputValue(), 'internal', 'the next registration starts from internal again');
  });

  it('shows the node name, its zone and the ferry on the status page', async () => {
    await signIn('dataadmin');
    await nav('nav.exchangeStatus').click();
    await page.getByRole('heading', { level: 1, name: zh['exchange.status.title'] }).waitFor();
    const node = page.getByRole('region', { name: zh['exchange.status.node'] });
    assert.equal(await node.getByTestId('node-name').textContent(), 'central');
    assert.equal(await node.getByTestId('node-zone').textContent(), zh['exchange.zone.external']);
    assert.match((await node.getByTestId('node-auth-certificate').textContent()) ?? '', /^[0-9A-Fa-f]{8,}，还有 \d+ 天到期$/);
    assert.ok([zh['exchange.status.listening'], zh['exchange.status.notListening']].includes((await node.getByTestId('node-port').textContent()) ?? ''));
    // The central node is not registering with anyone.
    assert.equal(await page.getByTestId('node-check-code').count(), 0);

    const ferry = page.getByRole('region', { name: zh['exchange.status.ferry'] });
    assert.equal(await ferry.getByTestId('ferry-peer').textContent(), 'dept-internal');
    // The central node sends its peer the global configuration, so bundles may wait outbound.
    assert.match((await ferry.getByTestId('ferry-outbound').textContent()) ?? '', /^\d+$/);
    assert.equal(await ferry.getByTestId('ferry-inbound').textContent(), '0');
    assert.equal(await ferry.getByTestId('ferry-unfinished').textContent(), '0');
    assert.match((await ferry.getByTestId('ferry-rejected').textContent()) ?? '', /^1/);
    await ferry.getByText(zh['exchange.status.ferryRejectedHint']).waitFor();
  });

  it('shows a member node waiting for approval its check code, and no certificates yet', async () => {
    // A member node's answer stood in for: this server is the central node.
    const member: NodeStatus = {
      role: 'member',
      instance: 'EGOV-DEMO',
      node: { name: 'dept-internal', url: 'https://10.0.0.5:5500', zone: 'internal', listening: false, authCertificate: null, enrolment: { status: 'pending', checkCode: 'K7QX-2M9P', note: null } },
      now: new Date().toISOString(),
      globalConf: null,
      configurationCertificate: null,
      tsaCertificate: null,
      messageLog: { rows: 0, pending: 0, lastBatchAt: null },
      ferry: null,
    };
    await page.route('**/api/exchange/status', (route) => route.fulfill({ json: member }));
    await page.reload();
    const node = page.getByRole('region', { name: zh['exchange.status.node'] });
    assert.equal(await node.getByTestId('node-name').textContent(), 'dept-internal');
    assert.equal(await node.getByTestId('node-zone').textContent(), zh['exchange.zone.internal']);
    assert.equal(await node.getByTestId('node-port').textContent(), zh['exchange.status.notListening']);
    assert.equal(await node.getByTestId('node-auth-certificate').textContent(), zh['exchange.status.noAuthCertificate']);
    assert.equal(await node.getByTestId('node-enrolment').textContent(), zh['exchange.registrations.status.pending']);
    assert.equal(await node.getByTestId('node-check-code').textContent(), 'K7QX-2M9P');
    await node.getByText(zh['exchange.status.checkCodeHint']).waitFor();
    assert.equal(await page.getByTestId('node-tsa').textContent(), zh['exchange.status.noTsaCertificate']);
    assert.equal(await page.getByRole('region', { name: zh['exchange.status.ferry'] }).count(), 0);
    assert.deepEqual(pageErrors, []);
  });
});
