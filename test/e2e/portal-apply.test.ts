// Applying online on the portal in a real browser against the real server on the demo world
// (issue 8): a registered citizen of the demo population opens the individual business
// registration's guide, signs in on the way and comes back to the form, sees their name from
// the population registry, sends the form with an answer missing and is told at the top and
// beside the field, fills it in, uploads the premises' proof as a PDF, submits, and gets the
// reference number, the receipt and the application in "my applications". No page loads
// JavaScript, and axe-core checks each for serious or critical violations.
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
const PHONE = '13700137123';
const SERVICE = 'amr.individual-business-registration';
let person: { idNumber: string; name: string };
const scripts: string[] = [];

function pdf(): Buffer {
  const body = Buffer.alloc(4096, 0x20);
  Buffer.from('%PDF-1.7\n').copy(body);
  return body;
}

describe('applying online on the portal', { timeout: 300_000 }, () => {
  before(async () => {
    ensureWebBuilt();
    server = await startServer();
    browser = await launchChromium();
    // A living person of the demo population, who registers on the portal.
    const officer = await apiSignIn(server.baseUrl, 'psb.officer');
    const res = await fetch(`${server.baseUrl}/api/registries/population/records?where.status=living&pageSize=1&purpose=${encodeURIComponent('户籍核查')}`, { headers: { cookie: officer.cookie } });
    assert.equal(res.status, 200, await res.clone().text());
    const found = ((await res.json()) as { results: { key: string; data: { name: string } }[] }).results[0];
    person = { idNumber: found.key, name: found.data.name };
    const registered = await fetch(`${server.baseUrl}/api/citizen/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idNumber: person.idNumber, name: person.name, phone: PHONE, password: PASSWORD }) });
    assert.equal(registered.status, 201, await registered.text());
    context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
  });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('signs in from the guide and comes back to the form, prefilled from the population registry', async () => {
    await page.goto(`${server!.baseUrl}/services/${SERVICE}`);
    await page.getByRole('heading', { level: 1, name: '个体工商户设立登记' }).waitFor();
    await page.getByRole('link', { name: '登录后在线申请' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/oidc/interaction/'));
    await page.getByRole('radio', { name: '个人或企业办事人' }).check();
    await page.locator('#login').fill(PHONE);
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL((url) => url.pathname === `/services/${SERVICE}/apply`);
    await page.getByRole('heading', { level: 1, name: '个体工商户设立登记' }).waitFor();
    const main = await page.locator('main').innerText();
    assert.ok(main.includes(person.name), 'the name from the population registry');
    assert.match(main, /来自人口基础信息库/);
    assert.match(main, /以下材料由平台从基础信息库调取，您无需上传/);
    await assertAccessible(page, 'application form');
  });

  it('tells what is missing at the top and beside the field, then submits with the PDF uploaded', async () => {
    await page.getByRole('radio', { name: '个人经营' }).check();
    await page.getByLabel(/^行业/).selectOption('retail');
    await page.getByLabel(/^经营范围/).fill('日用百货零售');
    await page.getByLabel(/^经营场所\s/).fill('青云省云州市东城区人民路 8 号');
    await page.getByRole('radio', { name: '租赁' }).check();
    await page.getByLabel(/^资金数额/).fill('50000');
    await page.getByLabel(/^从业人数/).fill('2');
    const household = page.getByLabel(/^户籍地址/);
    if ((await household.count()) > 0 && !(await household.inputValue())) await household.fill('青云省云州市西城区和平路 2 号');
    await page.getByRole('checkbox', { name: /本人承诺/ }).check();
    // The phone left out: the summary says so, links to the field, and the answers stay.
    await page.getByRole('button', { name: '提交申请' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /联系电话/);
    await assertAccessible(page, 'application form with problems');
    assert.equal(await page.getByLabel(/^经营范围/).inputValue(), '日用百货零售', 'the answers are kept');
    await alert.getByRole('link', { name: /联系电话/ }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-phone', 'the summary link goes to the field');
    await page.getByLabel(/^联系电话/).fill('13700137123');
    await page.getByLabel(/^经营场所使用证明/).setInputFiles({ name: '租赁合同.pdf', mimeType: 'application/pdf', buffer: pdf() });
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.getByRole('heading', { level: 1, name: '申请已提交' }).waitFor();
    const number = (await page.locator('.big').innerText()).trim();
    assert.match(number, /^\d{14}$/);
    assert.match(await page.locator('main').innerText(), /前决定是否受理；逾期未决定的，自收到申请之日起即为受理/);
    await assertAccessible(page, 'confirmation');

    await page.getByRole('link', { name: '查看和打印回执' }).click();
    await page.getByRole('heading', { level: 1, name: '申请材料接收回执' }).waitFor();
    const receipt = await page.locator('main').innerText();
    assert.ok(receipt.includes(number));
    assert.match(receipt, /租赁合同\.pdf/);
    assert.ok(!receipt.includes(person.idNumber), 'the ID number is masked');
    await assertAccessible(page, 'receipt');

    await page.goto(`${server!.baseUrl}/me/applications`);
    await page.getByRole('heading', { level: 1, name: '我的办件' }).waitFor();
    await assertAccessible(page, 'my applications');
    await page.getByRole('link', { name: '个体工商户设立登记' }).click();
    await page.getByRole('heading', { level: 2, name: /状态/ }).waitFor();
    assert.match(await page.locator('main').innerText(), /已提交，待受理/);
    await assertAccessible(page, 'application page');
    assert.deepEqual(scripts, [], 'no portal page loads JavaScript');
  });
});
