// The public portal in a real browser against the real server on the demo world (issue 7):
// the home page (no JavaScript, on a phone's screen too), registration by a citizen of the
// demo population (a wrong name refused by field, then verified against the population
// registry through the exchange), sign-in through the platform's sign-in page, and "my space"
// showing who read their data: the identity system's real-name check and the public security
// bureau's officer who looked the person up. axe-core checks the home, registration, sign-in
// and my space pages for serious or critical violations.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { signIn as apiSignIn } from '../support/egov-process.ts';
import { assertAccessible } from './axe.ts';
import { ensureWebBuilt, launchChromium, startServer, type RunningServer } from './harness.ts';

let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const PASSWORD = 'Citizen#2026pw';
let person: { idNumber: string; name: string };

async function newPage(viewport = { width: 1280, height: 900 }): Promise<void> {
  await context?.close();
  context = await browser!.newContext({ locale: 'zh-CN', viewport });
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
}

describe('the public portal', { timeout: 240_000 }, () => {
  before(async () => {
    ensureWebBuilt();
    server = await startServer();
    browser = await launchChromium();
    // A living person of the demo population, looked up by public security's officer: that read is logged for them.
    const officer = await apiSignIn(server.baseUrl, 'psb.officer');
    const res = await fetch(`${server.baseUrl}/api/registries/population/records?where.status=living&pageSize=1&purpose=${encodeURIComponent('户籍核查')}`, { headers: { cookie: officer.cookie } });
    assert.equal(res.status, 200, await res.clone().text());
    const found = ((await res.json()) as { results: { key: string; data: { name: string } }[] }).results[0];
    person = { idNumber: found.key, name: found.data.name };
  });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('serves the home page at / with one search box and events, without JavaScript, and readable on a phone', async () => {
    await newPage({ width: 390, height: 844 });
    const scripts: string[] = [];
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
    await page.goto(`${server!.baseUrl}/`);
    await page.getByRole('heading', { level: 1, name: /政务服务/ }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    await page.getByRole('searchbox').waitFor();
    await page.getByRole('link', { name: '开办企业' }).waitFor();
    assert.deepEqual(scripts, [], 'the home page loads no JavaScript');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `nothing wider than the phone's screen (${overflow}px over)`);
    await assertAccessible(page, 'home');
    // The search box finds the statistics bureau's open dataset.
    await page.getByRole('searchbox').fill('人口');
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '“人口”的搜索结果' }).waitFor();
    await page.getByRole('link', { name: /常住人口/ }).first().waitFor();
  });

  it("finds a demo service by its life event and opens its guide", async () => {
    await page.goto(`${server!.baseUrl}/`);
    await page.getByRole('link', { name: '居住迁移' }).click();
    await page.getByRole('heading', { level: 1, name: '居住迁移' }).waitFor();
    await page.getByRole('link', { name: '居住证申领' }).click();
    await page.getByRole('heading', { level: 1, name: '居住证申领' }).waitFor();
    assert.match(await page.locator('main').innerText(), /无需提交：平台从基础信息库调取/);
    await assertAccessible(page, 'service guide');
  });

  it("opens a city's portal under the province's", async () => {
    await page.goto(`${server!.baseUrl}/?lang=en`);
    await page.getByRole('link', { name: "Yunzhou Municipal People's Government" }).click();
    await page.waitForURL((url) => url.pathname === '/cities/990100');
    await page.getByRole('heading', { level: 1, name: /Yunzhou Municipal People's Government: government services/ }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await page.getByRole('link', { name: /Back to the Qingyun/ }).waitFor();
    await assertAccessible(page, 'city portal');
  });

  it('registers a citizen: a wrong name is refused by field, the right one is verified against the population registry', async () => {
    await newPage();
    await page.goto(`${server!.baseUrl}/`);
    await page.getByRole('link', { name: '注册', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '注册个人账户' }).waitFor();
    await assertAccessible(page, 'registration');
    await page.getByLabel('姓名').fill(`${person.name}某`);
    await page.getByLabel('公民身份号码').fill(person.idNumber);
    await page.getByLabel('手机号码').fill('13700137000');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '注册并核验' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /注册未成功/);
    await assertAccessible(page, 'registration with errors');
    await page.getByLabel('姓名').fill(person.name);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '注册并核验' }).click();
    await page.getByRole('heading', { level: 1, name: '注册成功，已通过实名核验' }).waitFor();
  });

  it('signs the citizen in through the platform sign-in, into my space, which shows who read their data', async () => {
    await page.getByRole('link', { name: '登录并进入我的空间' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/oidc/interaction/'));
    await assertAccessible(page, 'sign-in');
    await page.getByRole('radio', { name: '个人或企业办事人' }).check();
    await page.locator('#login').fill('13700137000');
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/me');
    await page.getByRole('heading', { level: 1, name: '我的空间' }).waitFor();
    const reads = page.getByRole('table', { name: '谁查看了我的数据' });
    await reads.waitFor();
    const text = await reads.innerText();
    assert.match(text, /统一身份认证系统/, 'the real-name check at registration');
    assert.match(text, /户籍核查/, "the public security officer's look-up, with its purpose");
    await assertAccessible(page, 'my space');
    // Signing out ends the portal's session and the platform sign-in's.
    await page.getByRole('button', { name: '退出', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/oidc/session/end');
    await page.getByRole('button', { name: '退出', exact: true }).first().click();
    await page.waitForURL((url) => url.pathname === '/' && url.searchParams.has('signed-out'));
    await page.getByText('您已安全退出。').waitFor();
  });
});
