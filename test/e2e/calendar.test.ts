// The working-day calendar in a real browser against the real server on a fresh database: the
// shipped 2026 arrangement is in the month grids (National Day off, Saturday 10 October
// worked); the platform admin, with the keyboard, makes a weekday a holiday and the deadline
// calculator moves by a day, then clears it again; a weekday cannot be made a weekend day
// worked (the server's words beside the kind); marking the next year entered confirms a
// deadline reaching into it. An officer reads the calendar without edit controls, in English once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { en } from '../../web/src/i18n/en.ts';
import { zhCN as zh } from '../../web/src/i18n/zh-CN.ts';
import { assertControlsLabelled, ensureWebBuilt, fill, launchChromium, startServer, type RunningServer } from './harness.ts';
import { signedInPage } from './session.ts';

let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];

async function signIn(username: string): Promise<void> {
  await context?.close();
  ({ context, page } = await signedInPage(browser!, server!.baseUrl, username, { pageErrors }));
}

async function openCalendar(year: number): Promise<void> {
  await page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh['nav.calendar'], exact: true }).click();
  await page.getByRole('heading', { level: 1, name: zh['calendar.title'] }).waitFor();
  await page.getByLabel(zh['calendar.year.label'], { exact: true }).selectOption(String(year));
  await page.getByRole('heading', { level: 2, name: fill(zh['calendar.year.title'], { year: String(year) }) }).waitFor();
  await page.getByTestId('calendar-year-status').waitFor();
}

/** A day's cell in the grid. */
const cell = (date: string) => page.locator('td.cal-day', { has: page.locator(`[data-date="${date}"]`) });
const dayButton = (date: string) => page.locator(`button[data-date="${date}"]`);

async function expectKind(date: string, kind: 'working' | 'weekend' | 'holiday' | 'workday'): Promise<void> {
  await page.waitForFunction(([d, k]) => document.querySelector(`td.cal-day [data-date="${d}"]`)?.closest('td')?.classList.contains(`cal-${k}`) === true, [date, kind] as const);
}

async function calculate(from: string, workingDays: number): Promise<void> {
  await page.getByLabel(zh['calendar.deadline.from'], { exact: true }).fill(from);
  await page.getByLabel(zh['calendar.deadline.days'], { exact: true }).fill(String(workingDays));
  await page.getByRole('button', { name: zh['calendar.deadline.submit'], exact: true }).click();
}

async function expectDue(date: string, confirmed: boolean): Promise<void> {
  await page.locator(`[data-testid="deadline-due-date"][data-date="${date}"]`).waitFor();
  await page.getByTestId('deadline-confirmed').filter({ hasText: confirmed ? zh['calendar.deadline.confirmed'] : zh['calendar.deadline.unconfirmed'] }).waitFor();
}

describe('the working-day calendar in the workbench', { timeout: 240_000 }, () => {
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

  it('shows the shipped 2026 arrangement: National Day off, Saturday 10 October worked', async () => {
    await signIn('dataadmin');
    await openCalendar(2026);
    assert.match((await page.getByTestId('calendar-year-status').textContent()) ?? '', /国务院办公厅关于2026年部分节假日安排的通知/);
    const october = page.getByTestId('calendar-month-10');
    assert.equal(await october.locator('caption').textContent(), '2026年10月');
    assert.equal(await october.getByRole('columnheader').count(), 7);
    await expectKind('2026-10-01', 'holiday');
    assert.match((await cell('2026-10-01').textContent()) ?? '', /节假日：国庆节/);
    assert.match((await cell('2026-10-01').getAttribute('title')) ?? '', /国庆节/);
    assert.match((await cell('2026-10-01').textContent()) ?? '', new RegExp(zh['calendar.mark.holiday']));
    await expectKind('2026-10-10', 'workday');
    assert.match((await cell('2026-10-10').textContent()) ?? '', /星期六.*调休上班：国庆节调休上班/);
    await expectKind('2026-10-12', 'working');
    await expectKind('2026-10-11', 'weekend');
    // The list under the grid names them too.
    const list = page.getByRole('region', { name: fill(zh['calendar.list.title'], { year: '2026' }) });
    await list.getByRole('row').filter({ hasText: '国庆节调休上班' }).first().waitFor();
    await assertControlsLabelled(page);
  });

  it('the platform admin makes a weekday a holiday with the keyboard; the deadline moves by a day; clearing it moves it back', async () => {
    await calculate('2026-06-30T10:00', 1);
    await expectDue('2026-07-01', true);
    assert.match((await page.getByTestId('deadline-due-at').textContent()) ?? '', /23:59:59/);

    // Keyboard: the year is one tab stop; the arrow keys move between days and Enter opens one.
    await dayButton('2026-06-30').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-date')), '2026-07-01');
    assert.equal(await dayButton('2026-07-01').getAttribute('tabindex'), '0');
    assert.equal(await dayButton('2026-06-30').getAttribute('tabindex'), '-1');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: fill(zh['calendar.day.title'], { date: '2026年7月1日星期三' }) });
    await dialog.waitFor();
    await assertControlsLabelled(page);
    assert.equal(await dialog.getByLabel(zh['calendar.field.kind'], { exact: true }).inputValue(), 'holiday');
    await dialog.getByLabel(zh['calendar.field.nameZh'], { exact: true }).fill('防汛假');
    await dialog.getByLabel(zh['calendar.field.nameEn'], { exact: true }).fill('Flood leave');
    await dialog.getByRole('button', { name: zh['common.save'], exact: true }).click();
    await page.getByRole('status').filter({ hasText: '防汛假' }).waitFor();
    await expectKind('2026-07-01', 'holiday');
    assert.match((await cell('2026-07-01').textContent()) ?? '', /节假日：防汛假/);
    // The calculator counts again with the new holiday.
    await expectDue('2026-07-02', true);

    await dayButton('2026-07-01').click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: zh['calendar.day.clear'], exact: true }).click();
    const confirm = page.getByRole('dialog', { name: zh['calendar.day.clear'] });
    await confirm.getByText(/防汛假/).waitFor();
    await confirm.getByRole('button', { name: zh['calendar.day.clear'], exact: true }).click();
    await page.getByRole('status').filter({ hasText: fill(zh['calendar.day.cleared'], { date: '2026年7月1日星期三' }) }).waitFor();
    await expectKind('2026-07-01', 'working');
    await expectDue('2026-07-01', true);
  });

  it("refuses to make a weekday a weekend day worked, with the server's words beside the kind", async () => {
    await dayButton('2026-07-02').click();
    const dialog = page.getByRole('dialog', { name: fill(zh['calendar.day.title'], { date: '2026年7月2日星期四' }) });
    await dialog.waitFor();
    const kind = dialog.getByLabel(zh['calendar.field.kind'], { exact: true });
    await kind.selectOption('workday');
    await dialog.getByLabel(zh['calendar.field.nameZh'], { exact: true }).fill('上班');
    await dialog.getByLabel(zh['calendar.field.nameEn'], { exact: true }).fill('Work');
    await dialog.getByRole('button', { name: zh['common.save'], exact: true }).click();
    const error = dialog.locator('#calendar-day-kind-error');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /只有周六、周日可设为调休上班/);
    assert.equal(await kind.getAttribute('aria-invalid'), 'true');
    assert.match((await kind.getAttribute('aria-describedby')) ?? '', /calendar-day-kind-error/);
    await dialog.getByRole('alert').waitFor();
    await dialog.getByRole('button', { name: zh['common.cancel'], exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectKind('2026-07-02', 'working');
  });

  it('marking the next year entered confirms a deadline reaching into it', async () => {
    await calculate('2026-12-28T10:00', 5);
    await expectDue('2027-01-04', false);
    await page.getByLabel(zh['calendar.year.label'], { exact: true }).selectOption('2027');
    await page.getByTestId('calendar-year-status').filter({ hasText: fill(zh['calendar.year.notEntered'], { year: '2027' }) }).waitFor();
    await page.getByLabel(zh['calendar.field.sourceZh'], { exact: true }).fill('国务院办公厅关于2027年部分节假日安排的通知');
    await page.getByLabel(zh['calendar.field.sourceEn'], { exact: true }).fill('State Council notice on the 2027 holidays');
    await page.getByRole('button', { name: fill(zh['calendar.enter.submit'], { year: '2027' }), exact: true }).click();
    await page.getByTestId('calendar-year-status').filter({ hasText: /已录入，依据：国务院办公厅关于2027年部分节假日安排的通知/ }).waitFor();
    await expectDue('2027-01-04', true);
  });

  it('an officer reads the calendar without edit controls, and in English', async () => {
    await signIn('psb.officer');
    await openCalendar(2026);
    await expectKind('2026-10-01', 'holiday');
    assert.equal(await page.locator('button[data-date]').count(), 0, 'no day is a button');
    assert.equal(await page.getByLabel(zh['calendar.field.sourceZh']).count(), 0, 'no form to mark the year entered');
    assert.equal(await page.getByRole('button', { name: new RegExp(`^${zh['calendar.day.change']}`) }).count(), 0);
    await page.getByText(zh['calendar.months.helpRead']).waitFor();
    await assertControlsLabelled(page);

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: en['calendar.title'] }).waitFor();
    assert.equal(await page.getByTestId('calendar-month-10').locator('caption').textContent(), 'October 2026');
    assert.match((await cell('2026-10-01').textContent()) ?? '', /Holiday: National Day/);
    assert.match((await cell('2026-10-10').textContent()) ?? '', /Saturday.*Weekend day worked: National Day \(adjusted working day\)/);
    assert.match((await page.getByTestId('calendar-year-status').textContent()) ?? '', /General Office of the State Council/);
    await page.getByLabel(en['calendar.deadline.from'], { exact: true }).fill('2026-09-30T09:00');
    await page.getByLabel(en['calendar.deadline.days'], { exact: true }).fill('1');
    await page.getByRole('button', { name: en['calendar.deadline.submit'], exact: true }).click();
    // National Day runs 1 to 7 October: the next working day after 30 September is Thursday 8 October.
    await page.locator('[data-testid="deadline-due-date"][data-date="2026-10-08"]').waitFor();
    await page.getByTestId('deadline-confirmed').filter({ hasText: en['calendar.deadline.confirmed'] }).waitFor();
    await assertControlsLabelled(page);
    assert.deepEqual(pageErrors, []);
  });
});
