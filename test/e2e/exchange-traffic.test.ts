// The live traffic page in a real browser, on the demo server: a department's client system
// calls another department's service through /r1 (a real backend on 127.0.0.1, started here),
// the platform admin sees the calls counted, and sees new calls arrive by automatic refresh,
// with new errors announced in the live region and updates that can be paused.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_ORGS, demoCreditCode } from '../../src/demo/dataset.ts';
import { zhCN as zh } from '../../web/src/i18n/zh-CN.ts';
import { assertControlsLabelled, ensureWebBuilt, launchChromium, startServer, type RunningServer } from './harness.ts';
import { apiSession, signedInPage } from './session.ts';

let server: RunningServer | undefined;
let browser: Browser | undefined;
let backend: http.Server | undefined;
let page: Page;
const pageErrors: string[] = [];
const caIndex = DEMO_ORGS.findIndex((o) => o.key === 'ca');
const welfare = `EGOV-DEMO/GOV/${demoCreditCode(DEMO_ORGS[caIndex], caIndex)}/welfare`;
let hukou = '';
let token = '';

/** A call of the welfare system (civil affairs) to the household registration service (public security). */
async function call(path: string): Promise<number> {
  const res = await fetch(`${server!.baseUrl}/r1/${hukou}/persons${path}`, { headers: { 'x-road-client': welfare, authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status;
}

const nav = (label: keyof typeof zh) => page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh[label], exact: true });
const text = async (testId: string) => (await page.getByTestId(testId).textContent()) ?? '';
/** Waits until an element's text is `expected`: the page only changes by its own refresh. */
async function waitForText(testId: string, expected: string, timeout = 15_000): Promise<void> {
  await page.waitForFunction(([id, value]) => document.querySelector(`[data-testid="${id}"]`)?.textContent === value, [testId, expected] as const, { timeout });
}

describe('the live traffic page', { timeout: 180_000 }, () => {
  before(async () => {
    ensureWebBuilt();
    backend = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(req.url?.includes('/fail') ? 500 : 200, { 'content-type': 'application/json' });
        res.end('{"name":"张三"}');
      });
    });
    await new Promise<void>((resolve) => backend!.listen(0, '127.0.0.1', resolve));
    const backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
    server = await startServer();

    // Public security registers its service and grants civil affairs' welfare system access;
    // civil affairs' client system authenticates with an API token.
    const psb = await apiSession(server.baseUrl, 'psb.admin');
    const subsystems = await psb.call<{ items: { id: string; code: string; identifier: string }[] }>('GET', `/api/organizations/${psb.orgId}/subsystems`);
    const subsystem = subsystems.items.find((s) => s.code === 'hukou')!;
    hukou = subsystem.identifier;
    const service = await psb.call<{ id: string }>('POST', '/api/exchange/services', { subsystemId: subsystem.id, code: 'persons', backendUrl: `${backendUrl}/persons` });
    await psb.call('POST', `/api/exchange/services/${service.id}/rights`, { clientKind: 'subsystem', client: welfare, method: 'GET', pathPattern: '/v1/**' });
    token = (await (await apiSession(server.baseUrl, 'ca.admin')).call<{ token: string }>('POST', '/api/tokens', { name: 'welfare system', expiresInDays: 1 })).token;

    browser = await launchChromium();
    ({ page } = await signedInPage(browser, server.baseUrl, 'dataadmin', { pageErrors }));
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    await new Promise<void>((resolve) => (backend ? backend.close(() => resolve()) : resolve()));
  });

  it('counts real calls per service, with errors and a sparkline', async () => {
    assert.deepEqual([await call('/v1/persons/1'), await call('/v1/persons/2'), await call('/v1/persons/3'), await call('/v1/fail')], [200, 200, 200, 500]);
    await nav('nav.exchangeTraffic').click();
    await page.getByRole('heading', { level: 1, name: zh['exchange.traffic.title'] }).waitFor();
    await assertControlsLabelled(page);
    await waitForText('traffic-provider-calls', '4');
    assert.equal(await text('traffic-provider-errors'), '1 (25%)');
    assert.equal(await text('traffic-consumer-calls'), '4');

    const rows = page.getByRole('row').filter({ hasText: `${hukou}/persons` });
    assert.equal(await rows.count(), 2, 'one row for the client side, one for the provider side');
    const provider = rows.filter({ hasText: zh['exchange.log.provider'] });
    const cells = await provider.getByRole('cell').allTextContents();
    assert.deepEqual(cells.slice(2, 5), ['4', '1', '25%']);
    assert.match(cells[6], /毫秒$/);
    const sparkline = provider.getByRole('img');
    assert.match((await sparkline.getAttribute('aria-label')) ?? '', /^每 10 秒调用次数：最高 4，最近 4；时段内错误 1 次$/);
    assert.match(await text('traffic-updated'), /更新于 .*每 3 秒自动刷新/);
    assert.equal(await page.getByRole('status').filter({ hasText: '出现新的错误' }).count(), 0, 'nothing is announced on a plain load');
  });

  it('shows new calls after an automatic refresh, and announces new errors once', async () => {
    assert.deepEqual([await call('/v1/persons/4'), await call('/v1/fail')], [200, 500]);
    await waitForText('traffic-provider-calls', '6');
    assert.equal(await text('traffic-provider-errors'), '2 (33.3%)');
    await page.getByRole('status').filter({ hasText: zh['exchange.traffic.newErrors'] }).waitFor();
    assert.match((await page.getByRole('status').filter({ hasText: zh['exchange.traffic.newErrors'] }).textContent()) ?? '', /受理调用 6 次（错误 2 次）/);
  });

  it('pauses and resumes the updates, and changes the window', async () => {
    await page.getByRole('button', { name: zh['exchange.traffic.pause'], exact: true }).click();
    assert.match(await text('traffic-updated'), new RegExp(zh['exchange.traffic.paused']));
    assert.equal(await call('/v1/persons/5'), 200);
    await page.waitForTimeout(4_500);
    assert.equal(await text('traffic-provider-calls'), '6', 'a paused view does not refresh');
    await page.getByRole('button', { name: zh['exchange.traffic.resume'], exact: true }).click();
    await waitForText('traffic-provider-calls', '7');

    await page.getByLabel(zh['exchange.traffic.window'], { exact: true }).selectOption('60');
    await page.getByRole('heading', { level: 2, name: /最近 1 分钟/ }).waitFor();
    await page.getByRole('status').filter({ hasText: /^最近 1 分钟：受理调用 7 次/ }).waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
