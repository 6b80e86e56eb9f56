// The e-form builder in the workbench, in a real browser on the demo world (issue 8): the public
// security bureau's administrator opens the published residence permit's e-form (the demo's,
// its identity fields prefilled from the population registry) read-only, withdraws the service,
// adds a field in the builder (focus moves to it; the prefill picker offers only registry fields
// that fit its type), sees it in the live preview, is told beside the key that it repeats one,
// corrects it, saves, moves the field up and saves again. axe-core checks the builder. An
// officer sees the form without the builder.
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
const CODE = 'psb.residence-permit';

async function signIn(username: string): Promise<void> {
  await context?.close();
  ({ context, page } = await signedInPage(browser!, server!.baseUrl, username, { pageErrors, viewport: { width: 1366, height: 900 } }));
}

/** A field row's input by its label: "字段 12：字段代码". */
const input = (n: number, key: keyof typeof zh) => page.getByLabel(fill(zh['serviceForms.rowField'], { row: fill(zh['serviceForms.fieldItem'], { n }), field: zh[key] }), { exact: true });
const optionInput = (n: number, option: number, key: keyof typeof zh) =>
  page.getByLabel(fill(zh['serviceForms.rowField'], { row: fill(zh['serviceForms.rowField'], { row: fill(zh['serviceForms.fieldItem'], { n }), field: fill(zh['serviceForms.field.optionItem'], { n: option }) }), field: zh[key] }), { exact: true });
const row = (n: number) => page.getByRole('group', { name: new RegExp(`^${fill(zh['serviceForms.fieldItem'], { n })}(（|$)`) });
const preview = () => page.getByRole('complementary', { name: zh['serviceForms.preview.title'] });

describe('the e-form builder in the workbench', { timeout: 240_000 }, () => {
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

  it("shows the published residence permit's demo form read-only, its identity prefilled from the population registry", async () => {
    await signIn('psb.admin');
    await page.goto(`${server!.baseUrl}/service-catalog/${CODE}`);
    await page.getByRole('heading', { level: 1, name: '居住证申领' }).waitFor();
    await page.getByRole('link', { name: zh['serviceForms.link'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: fill(zh['serviceForms.title'], { name: '居住证申领' }) }).waitFor();
    await page.getByText(zh['serviceForms.readOnly.published']).waitFor();
    const form = page.getByRole('form', { name: zh['serviceForms.preview.title'] });
    await form.getByLabel('现居住地址').waitFor();
    await form.getByText(fill(zh['serviceForms.preview.prefilled'], { source: zh['serviceForms.source.person'], label: '姓名' })).waitFor();
    assert.equal(await form.getByLabel('公民身份号码', { exact: true }).getAttribute('readonly'), '', 'a locked field is read-only');
    await form.getByRole('group', { name: /居住事由/ }).getByLabel('就业').waitFor();
  });

  it('withdraws the service, adds a field in the builder and sees it in the preview', async () => {
    await page.getByRole('link', { name: zh['serviceForms.back'], exact: true }).click();
    await page.getByRole('button', { name: zh['services.detail.withdraw'], exact: true }).click();
    await page.getByRole('status').filter({ hasText: fill(zh['services.detail.withdrawn'], { version: 3 }) }).waitFor();
    await page.getByRole('link', { name: zh['serviceForms.link'], exact: true }).click();
    await page.getByRole('button', { name: zh['serviceForms.save'], exact: true }).waitFor();
    await page.getByText(fill(zh['serviceForms.version'], { version: 1 })).waitFor();
    assert.equal(await input(1, 'serviceForms.field.key').inputValue(), 'name');
    assert.equal(await input(12, 'serviceForms.field.key').count(), 0, 'the demo form has 11 fields');

    await page.getByRole('button', { name: zh['serviceForms.fieldsAdd'], exact: true }).click();
    const key = input(12, 'serviceForms.field.key');
    assert.equal(await key.evaluate((el) => el === document.activeElement), true, 'adding a field moves focus to its key');
    await key.fill('name');
    await input(12, 'serviceForms.field.type').selectOption('radio');
    await input(12, 'serviceForms.field.labelZh').fill('是否有随迁子女');
    await input(12, 'serviceForms.field.labelEn').fill('Children moving with you');
    const fresh = row(12);
    await fresh.getByRole('button', { name: zh['serviceForms.field.optionsAdd'], exact: true }).click();
    await optionInput(12, 1, 'serviceForms.field.optionValue').fill('yes');
    await optionInput(12, 1, 'serviceForms.field.labelZh').fill('有');
    await optionInput(12, 1, 'serviceForms.field.labelEn').fill('Yes');
    await fresh.getByRole('button', { name: zh['serviceForms.field.optionsAdd'], exact: true }).click();
    await optionInput(12, 2, 'serviceForms.field.optionValue').fill('no');
    await optionInput(12, 2, 'serviceForms.field.labelZh').fill('无');
    await optionInput(12, 2, 'serviceForms.field.labelEn').fill('No');

    // The prefill picker offers the registry's codes that fit radio buttons (sex), not a name.
    const prefill = input(12, 'serviceForms.field.prefill');
    const offered = await prefill.locator('option').allInnerTexts();
    assert.ok(offered.includes(fill(zh['serviceForms.field.prefillOption'], { source: zh['serviceForms.source.person'], label: '性别' })), offered.join(', '));
    assert.ok(!offered.some((o) => o.endsWith('：姓名')), offered.join(', '));

    // The preview follows: the new radio group, after the sections, beside the demo's declaration.
    const group = preview().getByRole('group', { name: /是否有随迁子女/ });
    await group.getByLabel('有', { exact: true }).waitFor();
    await group.getByLabel('无', { exact: true }).check();

    await assertControlsLabelled(page);
    await assertAccessible(page, 'the e-form builder');
  });

  it('is told beside the key that it repeats another field, corrects it and saves', async () => {
    await page.getByRole('button', { name: zh['serviceForms.save'], exact: true }).click();
    const key = input(12, 'serviceForms.field.key');
    await page.locator('[id="eform-fields.11.key-error"]').filter({ hasText: '已是本表的字段' }).waitFor();
    assert.equal(await key.getAttribute('aria-invalid'), 'true');
    assert.match((await key.getAttribute('aria-describedby')) ?? '', /eform-fields\.11\.key-error/);
    const summary = page.getByRole('alert');
    assert.equal(await summary.evaluate((el) => el === document.activeElement), true, 'the error summary takes focus');
    await assertAccessible(page, 'the e-form builder with its errors');

    await key.fill('children');
    await page.getByRole('button', { name: zh['serviceForms.save'], exact: true }).click();
    await page.getByRole('status').filter({ hasText: fill(zh['serviceForms.saved'], { version: 2 }) }).waitFor();
    assert.equal(await input(12, 'serviceForms.field.key').inputValue(), 'children');
  });

  it('moves the field up above the declaration, and the preview and the saved form follow', async () => {
    const order = async () => {
      const text = await preview().innerText();
      return text.indexOf('是否有随迁子女') < text.indexOf('本人承诺');
    };
    assert.equal(await order(), false, 'the new field comes after the declaration');
    const move = page.getByRole('button', { name: fill(zh['serviceForms.moveUp'], { row: fill(zh['serviceForms.fieldItem'], { n: 12 }) }), exact: true });
    await move.click();
    assert.equal(await input(11, 'serviceForms.field.key').inputValue(), 'children');
    assert.equal(await order(), true, 'the preview follows the move');
    assert.equal(
      await page.evaluate(() => document.activeElement?.textContent ?? ''),
      fill(zh['serviceForms.moveUp'], { row: fill(zh['serviceForms.fieldItem'], { n: 11 }) }),
      'focus stays on the moved field’s button, to move it again',
    );
    await page.getByRole('button', { name: zh['serviceForms.save'], exact: true }).click();
    await page.getByRole('status').filter({ hasText: fill(zh['serviceForms.saved'], { version: 3 }) }).waitFor();
    await page.screenshot({ path: '/tmp/egov-e2e-service-forms.png', fullPage: true });
  });

  it('an officer sees the form without the builder', async () => {
    await signIn('psb.officer');
    await page.goto(`${server!.baseUrl}/service-catalog/${CODE}/form`);
    await page.getByText(zh['serviceForms.readOnly.notYours']).waitFor();
    assert.equal(await page.getByRole('button', { name: zh['serviceForms.save'], exact: true }).count(), 0);
    await page.getByRole('form', { name: zh['serviceForms.preview.title'] }).getByRole('group', { name: /是否有随迁子女/ }).waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
