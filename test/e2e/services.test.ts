// The service catalog in the workbench, in a real browser on the demo world (issue 8): the
// public security bureau's administrator finds the demo's published residence permit, writes a
// new service's guide with a material and a question, is told beside the field (and in the
// summary that takes focus) that 25 working days is beyond the 20 the law allows one agency,
// corrects it, saves the draft, publishes it and finds it on the portal's public page. axe-core
// checks the form. An officer reads the catalog without a "new service" button or publishing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { zhCN as zh } from '../../web/src/i18n/zh-CN.ts';
import { assertAccessible } from './axe.ts';
import { assertControlsLabelled, ensureWebBuilt, fill, launchChromium, startServer, type RunningServer } from './harness.ts';
import { signedInPage } from './session.ts';

let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];
const suffix = String(Date.now()).slice(-6);
const SERVICE = { code: `psb.test-permit-${suffix}`, nameZh: `临时身份证明${suffix}`, nameEn: `Temporary identity certificate ${suffix}` };

async function signIn(username: string): Promise<void> {
  await context?.close();
  ({ context, page } = await signedInPage(browser!, server!.baseUrl, username, { pageErrors, viewport: { width: 1366, height: 900 } }));
}

/** An input of a repeatable group's row, by its label: "材料 1：材料代码". */
const cell = (rowKey: keyof typeof zh, n: number, fieldKey: keyof typeof zh) => page.getByLabel(fill(zh['services.form.rowField'], { row: fill(zh[rowKey], { n }), field: zh[fieldKey] }), { exact: true });
const byLabel = (key: keyof typeof zh) => page.getByLabel(zh[key], { exact: true });
const list = () => page.getByRole('region', { name: zh['services.list.title'] });

describe('the service catalog in the workbench', { timeout: 240_000 }, () => {
  before(async () => {
    ensureWebBuilt();
    server = await startServer();
    browser = await launchChromium();
  });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('an organization administrator opens the catalog from the navigation and finds the published residence permit', async () => {
    await signIn('psb.admin');
    await page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh['nav.services'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: zh['services.title'] }).waitFor();
    const row = list().getByRole('row', { name: /居住证申领/ });
    await row.waitFor();
    const text = await row.innerText();
    assert.match(text, /psb\.residence-permit/);
    assert.match(text, new RegExp(zh['services.status.published']));
    assert.match(text, new RegExp(zh['services.kind.confirmation']));
    // Filtered to drafts, it is not listed.
    await page.getByLabel(zh['services.filter.status'], { exact: true }).selectOption('draft');
    await page.getByRole('button', { name: zh['common.search'], exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('status') === 'draft');
    await list().getByRole('row', { name: /居住证申领/ }).waitFor({ state: 'detached' });
  });

  it('writes a new guide, is told that 25 working days is too long for one agency, corrects it and saves the draft', async () => {
    await page.getByRole('link', { name: zh['services.new'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: zh['services.form.newTitle'] }).waitFor();
    await page.getByText(fill(zh['services.form.ownOrg'], { name: '青云省公安厅' }), { exact: true }).waitFor();
    await byLabel('services.form.code').fill(SERVICE.code);
    await byLabel('services.form.kind').selectOption('confirmation');
    await byLabel('services.form.nameZh').fill(SERVICE.nameZh);
    await byLabel('services.form.nameEn').fill(SERVICE.nameEn);
    await byLabel('services.form.summaryZh').fill('居住证办理期间，申请人可申领临时身份证明。');
    await byLabel('services.form.summaryEn').fill('While a permit is being made, the applicant may have a temporary identity certificate.');
    await cell('services.form.legalBasisItem', 1, 'services.form.zh').fill('《中华人民共和国居民身份证法》');
    await cell('services.form.legalBasisItem', 1, 'services.form.en').fill('Resident Identity Card Law of the PRC');

    await page.getByRole('button', { name: zh['services.form.materialsAdd'], exact: true }).click();
    const key = cell('services.form.materialsItem', 1, 'services.form.materialKey');
    assert.equal(await key.evaluate((el) => el === document.activeElement), true, 'adding a material moves focus to its first input');
    await key.fill('photo');
    await cell('services.form.materialsItem', 1, 'services.form.materialNameZh').fill('近期免冠照片');
    await cell('services.form.materialsItem', 1, 'services.form.materialNameEn').fill('Recent photo');
    assert.equal(await cell('services.form.materialsItem', 1, 'services.form.materialRequired').isChecked(), true);

    await page.getByRole('button', { name: zh['services.form.faqsAdd'], exact: true }).click();
    await cell('services.form.faqsItem', 1, 'services.form.faqQZh').fill('临时证明有效期多久？');
    await cell('services.form.faqsItem', 1, 'services.form.faqQEn').fill('How long is it valid?');
    await cell('services.form.faqsItem', 1, 'services.form.faqAZh').fill('三个月。');
    await cell('services.form.faqsItem', 1, 'services.form.faqAEn').fill('Three months.');

    await byLabel('services.form.statutoryDays').fill('25');
    await byLabel('services.form.promisedDays').fill('5');
    await byLabel('services.event.residence').check();

    // The preview follows what is typed.
    const preview = page.getByRole('complementary', { name: zh['services.preview.title'] });
    await preview.getByText(SERVICE.nameZh).waitFor();
    await preview.getByText('近期免冠照片').waitFor();

    await assertControlsLabelled(page);
    await assertAccessible(page, 'the service form');

    await page.getByRole('button', { name: zh['services.form.create'], exact: true }).click();
    const days = byLabel('services.form.statutoryDays');
    await page.locator('#service-statutoryDays-error').filter({ hasText: '1 至 20' }).waitFor();
    assert.equal(await days.getAttribute('aria-invalid'), 'true');
    assert.match((await days.getAttribute('aria-describedby')) ?? '', /service-statutoryDays-error/);
    const summary = page.getByRole('alert');
    assert.equal(await summary.evaluate((el) => el === document.activeElement), true, 'the error summary takes focus');
    const link = summary.getByRole('link', { name: new RegExp(`^${zh['services.form.statutoryDays'].replace(/[()（）]/g, '.')}`) });
    await link.click();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'statutoryDays', 'the summary link leads to the field');
    await assertAccessible(page, 'the service form with its errors');

    await days.fill('15');
    await page.getByRole('button', { name: zh['services.form.create'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: SERVICE.nameZh }).waitFor();
    await page.getByRole('status').filter({ hasText: zh['services.detail.created'] }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/service-catalog/${SERVICE.code}`);
    await page.getByText(zh['services.status.draft'], { exact: true }).first().waitFor();
  });

  it('changes the draft on its edit page', async () => {
    await page.getByRole('link', { name: zh['services.detail.edit'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: fill(zh['services.form.editTitle'], { name: SERVICE.nameZh }) }).waitFor();
    assert.equal(await cell('services.form.materialsItem', 1, 'services.form.materialKey').inputValue(), 'photo');
    await byLabel('services.form.promisedDays').fill('3');
    await page.screenshot({ path: '/tmp/egov-e2e-services-form.png', fullPage: true });
    await page.getByRole('button', { name: zh['services.form.save'], exact: true }).click();
    await page.getByRole('status').filter({ hasText: zh['services.detail.saved'] }).waitFor();
    await page.getByText(fill(zh['services.guide.promised'], { days: 3 })).waitFor();
  });

  it('publishes the draft and the portal shows its guide', async () => {
    await page.getByRole('button', { name: zh['services.detail.publish'], exact: true }).click();
    await page.getByRole('status').filter({ hasText: fill(zh['services.detail.published'], { version: 3 }) }).waitFor();
    await page.getByRole('button', { name: zh['services.detail.withdraw'], exact: true }).waitFor();
    await page.getByRole('link', { name: zh['services.detail.portal'], exact: true }).click();
    await page.waitForURL((url) => url.pathname === `/services/${SERVICE.code}`);
    await page.getByRole('heading', { level: 1, name: SERVICE.nameZh }).waitFor();
    await page.getByText('近期免冠照片').first().waitFor();
  });

  it('an officer reads the catalog and a guide, with no button to add, edit or publish', async () => {
    await signIn('psb.officer');
    await page.goto(`${server!.baseUrl}/service-catalog`);
    await page.getByRole('heading', { level: 1, name: zh['services.title'] }).waitFor();
    await list().getByRole('row', { name: /居住证申领/ }).waitFor();
    assert.equal(await page.getByRole('link', { name: zh['services.new'], exact: true }).count(), 0);
    await list().getByRole('link', { name: SERVICE.nameZh, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: SERVICE.nameZh }).waitFor();
    await page.getByText(zh['services.detail.readOnly']).waitFor();
    assert.equal(await page.getByRole('button', { name: zh['services.detail.withdraw'], exact: true }).count(), 0);
    await page.goto(`${server!.baseUrl}/service-catalog/new`);
    await page.getByRole('heading', { level: 1, name: zh['page.forbidden'] }).waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
