// The geospatial registry in a real browser, on the demo server with the Qingyun province's
// layers: the natural resources department's officer opens the map from the navigation, sees
// every seeded feature drawn (no tiles, no network), clicks a point of interest to see its
// properties and the divisions that contain it, selects the county from the keyboard, asks
// about a point in a parcel's pond (not in the parcel) and hides a layer.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { localOperator } from '../../src/platform/actor.ts';
import { GEOSPATIAL } from '../../src/modules/registries/index.ts';
import { zhCN as zh } from '../../web/src/i18n/zh-CN.ts';
import { startServer, stopServer, type RunningServer } from '../support/egov-process.ts';
import { assertControlsLabelled, DEMO_PASSWORD, ensureWebBuilt, launchChromium } from './harness.ts';

let server: RunningServer | undefined;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-e2e-geo-'));
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];
const requests: string[] = [];

/** The demo world plus the geospatial registry and its layers, loaded before the server starts (a no-op where the demo seed does it already). */
async function prepareData(dataDir: string): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'development', EGOV_DATA_DIR: dataDir, EGOV_DEMO_PASSWORD: DEMO_PASSWORD, LOG_LEVEL: 'warn' });
  const app = await createApp(config);
  try {
    await seedDemo(app.services, DEMO_PASSWORD);
    const nr = (await app.services.directory.service.listOrganizations()).find((o) => o.nameZh === '青云省自然资源厅');
    assert.ok(nr, 'the demo has a natural resources department');
    await app.services.registries.catalog.install(localOperator('e2e'), GEOSPATIAL, nr.id);
    await app.services.registries.geo.seedDemo(localOperator('e2e'));
  } finally {
    await app.close();
  }
}

async function signIn(username: string): Promise<void> {
  await context?.close();
  context = await browser!.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(`${server!.baseUrl}/login`);
  await page.getByLabel(zh['signIn.username'], { exact: true }).fill(username);
  await page.getByLabel(zh['signIn.password'], { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: zh['signIn.submit'], exact: true }).click();
  await page.getByRole('navigation', { name: zh['nav.label'] }).waitFor();
}

const fill = (template: string, vars: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, k: string) => vars[k]);

describe('the geospatial registry in the workbench: a map of the seeded layers', { timeout: 180_000 }, () => {
  before(async () => {
    ensureWebBuilt();
    const dataDir = path.join(dir, 'data');
    await prepareData(dataDir);
    server = await startServer({ EGOV_DATA_DIR: dataDir }, 60_000);
    browser = await launchChromium();
  });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    if (server) await stopServer(server);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('draws the seeded features, shows a clicked feature’s properties and what contains a point', async () => {
    await signIn('nr.officer');
    await page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh['geo.title'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: zh['geo.page.title'] }).waitFor();
    const map = page.getByTestId('geo-map');
    await map.waitFor();
    // 4 boundaries, 4 parcels, 3 resources, 5 points of interest.
    assert.equal(await map.locator('.geo-feature').count(), 16);
    assert.equal(await map.locator('[data-layer="boundaries"] path').count(), 4);
    assert.equal(await map.locator('[data-layer="poi"] circle').count(), 5);
    await assertControlsLabelled(page);

    // A click on a point of interest: its properties, and the divisions containing the point clicked.
    await map.getByRole('button', { name: '青云省人民政府', exact: true }).click();
    const details = page.getByTestId('geo-details');
    await details.getByText('P-GOV-990000').waitFor();
    assert.match(await details.innerText(), /兴趣点[\s\S]*青云省人民政府[\s\S]*government/);
    const contained = page.getByTestId('geo-contained');
    await contained.getByText(/990100 云州市/).waitFor();
    assert.match(await contained.innerText(), /990000 青云省/);
    assert.doesNotMatch(await contained.innerText(), /990121/);

    // The keyboard: a county selected with Enter shows its area.
    await map.getByRole('button', { name: '990121 安平县', exact: true }).focus();
    await page.keyboard.press('Enter');
    await details.getByText('990121', { exact: true }).waitFor();
    assert.match(await details.innerText(), new RegExp(zh['geo.details.area']));

    // Typed coordinates: a point in the forest parcel's pond is in the county, not in the parcel; beside the pond, it is.
    await page.getByLabel(zh['geo.query.lon'], { exact: true }).fill('110.513');
    await page.getByLabel(zh['geo.query.lat'], { exact: true }).fill('30.503');
    await page.getByRole('button', { name: zh['geo.query.submit'], exact: true }).click();
    await contained.getByText(fill(zh['geo.query.result'], { lon: '110.513', lat: '30.503' })).waitFor();
    assert.match(await contained.innerText(), /990121 安平县/);
    assert.doesNotMatch(await contained.innerText(), /990121001002GB00001/);
    await page.getByLabel(zh['geo.query.lon'], { exact: true }).fill('110.511');
    await page.getByRole('button', { name: zh['geo.query.submit'], exact: true }).click();
    await contained.getByText(/990121001002GB00001 青山林场/).waitFor();

    // The list is the map's text equivalent; a layer can be hidden.
    const table = page.getByTestId('geo-features');
    await table.getByRole('button', { name: fill(zh['geo.showFor'], { name: '青云江' }), exact: true }).click();
    await details.getByText('R-QYJ').waitFor();
    await page.getByLabel(/^兴趣点/).uncheck();
    await map.getByRole('button', { name: '云州站' }).waitFor({ state: 'detached' });
    assert.equal(await map.locator('.geo-feature').count(), 11);

    // Nothing came from outside the platform: no tile server.
    const origin = new URL(server!.baseUrl).origin;
    assert.deepEqual(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:')), []);
    assert.deepEqual(pageErrors, []);
  });
});
