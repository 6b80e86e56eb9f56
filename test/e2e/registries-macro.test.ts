// The macroeconomic database in a real browser, on the demo server with the Qingyun
// province's figures: the statistics bureau's officer opens the page from the navigation,
// picks GDP, and sees a line chart of the province over the years and a bar chart of its
// cities in the latest year, each with its data table; an "as published on" date before the
// figures were published leaves the series empty.
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
import { MACROECONOMIC } from '../../src/modules/registries/index.ts';
import { zhCN as zh } from '../../web/src/i18n/zh-CN.ts';
import { startServer, stopServer, type RunningServer } from '../support/egov-process.ts';
import { assertControlsLabelled, DEMO_PASSWORD, ensureWebBuilt, launchChromium } from './harness.ts';

let server: RunningServer | undefined;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-e2e-macro-'));
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];

/** The demo world plus the macroeconomic registry and its figures, loaded before the server starts (a no-op where the demo seed does it already). */
async function prepareData(dataDir: string): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'development', EGOV_DATA_DIR: dataDir, EGOV_DEMO_PASSWORD: DEMO_PASSWORD, LOG_LEVEL: 'warn' });
  const app = await createApp(config);
  try {
    await seedDemo(app.services, DEMO_PASSWORD);
    const stats = (await app.services.directory.service.listOrganizations()).find((o) => o.nameZh === '青云省统计局');
    assert.ok(stats, 'the demo has a statistics bureau');
    await app.services.registries.catalog.install(localOperator('e2e'), MACROECONOMIC, stats.id);
    await app.services.registries.macro.seedDemo(localOperator('e2e'));
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
  await page.goto(`${server!.baseUrl}/login`);
  await page.getByLabel(zh['signIn.username'], { exact: true }).fill(username);
  await page.getByLabel(zh['signIn.password'], { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: zh['signIn.submit'], exact: true }).click();
  await page.getByRole('navigation', { name: zh['nav.label'] }).waitFor();
}

const fill = (template: string, vars: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, k: string) => vars[k]);

describe('the macroeconomic database in the workbench: charts of seeded figures', { timeout: 180_000 }, () => {
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

  it('shows a line chart of a region and a bar chart of its divisions, with their tables', async () => {
    await signIn('stats.officer');
    await page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh['macro.title'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: zh['macro.page.title'] }).waitFor();
    const indicators = page.getByTestId('macro-indicators');
    await indicators.getByRole('rowheader', { name: '常住人口', exact: true }).waitFor();
    await indicators.getByRole('button', { name: fill(zh['macro.showFor'], { name: '地区生产总值' }), exact: true }).click();
    assert.match(page.url(), /indicator=GDP/);

    const series = page.getByTestId('macro-series');
    const seriesTitle = fill(zh['macro.series.title'], { indicator: '地区生产总值', region: '青云省' });
    await series.getByRole('heading', { name: seriesTitle }).waitFor();
    await page.getByRole('img', { name: seriesTitle }).waitFor();
    assert.equal(await series.locator('circle').count(), 7, 'one point per year, 2019–2025');
    await series.getByText(zh['macro.table.show']).click();
    // 2023 as revised after the census: 3948.72 (云州市) + 2511.32 (临江市).
    const row2023 = series.getByRole('row', { name: /^2023/ });
    assert.match(await row2023.innerText(), /6,460\.04/);

    const cross = page.getByTestId('macro-cross-section');
    const crossTitle = fill(zh['macro.cross.title'], { indicator: '地区生产总值', region: '青云省', period: '2025' });
    await cross.getByRole('heading', { name: crossTitle }).waitFor();
    assert.equal(await cross.locator('rect').count(), 2, 'one bar per city');
    await cross.getByText(zh['macro.table.show']).click();
    assert.match(await cross.getByRole('row', { name: /云州市/ }).innerText(), /4,342\.18/);
    assert.match(await cross.getByRole('row', { name: /临江市/ }).innerText(), /2,770\.61/);
    await assertControlsLabelled(page);

    // The cities' own series.
    await page.getByLabel(zh['macro.controls.region'], { exact: true }).selectOption('990100');
    await series.getByRole('heading', { name: fill(zh['macro.series.title'], { indicator: '地区生产总值', region: '云州市' }) }).waitFor();

    // Before anything was published, there is nothing to show.
    await page.getByLabel(zh['macro.controls.asOf'], { exact: true }).fill('2020-01-01');
    await page.getByText(zh['macro.series.empty']).waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
