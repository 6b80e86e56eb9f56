// Online approval in the workbench, in a real browser on the demo world (issue 8): market
// regulation's administrator publishes a service with an e-form (through the API) and gives
// the officer their duties on the duties page; a demo citizen registers and applies through
// the citizen API. The officer finds the acceptance step in the inbox with its deadline in
// words and colour, claims it, opens the dossier (form data under its labels, the registry
// values with their exchange message, the material to download), is told the page reloaded
// when the task changed meanwhile, asks for supplements (the missing English text refused
// beside its input, in a summary that takes focus), accepts once the citizen has answered,
// extends the period, approves, and sees the application approved with its licence, in Chinese
// and in English. axe-core checks the duties page, the inbox and the dossier.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildServiceBody } from '../../src/modules/services/catalog/test-fixtures.ts';
import { buildForm, buildFormData } from '../../src/modules/services/forms/test-fixtures.ts';
import { en } from '../../web/src/i18n/en.ts';
import { zhCN as zh } from '../../web/src/i18n/zh-CN.ts';
import { assertAccessible } from './axe.ts';
import { assertControlsLabelled, ensureWebBuilt, fill, launchChromium, startServer, type RunningServer } from './harness.ts';
import { apiSession, signedInPage, type ApiSession } from './session.ts';

let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];
const suffix = String(Date.now()).slice(-6);
const CODE = `amr.e2e-inbox-${suffix}`;
const PASSWORD = 'Citizen#2026pw';

type Citizen = { cookie: string; csrfToken: string; name: string };
let admin: ApiSession;
let citizen: Citizen;
let application: { id: string; number: string };

function pdf(size = 2048): string {
  const body = Buffer.alloc(size, 0x20);
  Buffer.from('%PDF-1.7\n').copy(body);
  return body.toString('base64');
}

async function asCitizen<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server!.baseUrl}${path}`, { method, headers: { cookie: citizen.cookie, 'x-csrf-token': citizen.csrfToken, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** A living person of the demo population registers as a citizen and signs in. */
async function registerCitizen(): Promise<Citizen> {
  const psb = await apiSession(server!.baseUrl, 'psb.admin');
  const found = await psb.call<{ results: { key: string; data: Record<string, string>; masked: string[] }[] }>('GET', '/api/registries/population/records?where.status=living&pageSize=20&purpose=e2e');
  const person = found.results.find((r) => r.masked.length === 0 && r.data.name && r.data.birthDate);
  assert.ok(person, 'the demo population has a living person');
  const email = `applicant-${suffix}@example.cn`;
  const registered = await fetch(`${server!.baseUrl}/api/citizen/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idNumber: person.key, name: person.data.name, email, password: PASSWORD }) });
  assert.equal(registered.status, 201, await registered.text());
  const session = await fetch(`${server!.baseUrl}/api/citizen/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: email, password: PASSWORD }) });
  assert.equal(session.status, 200, await session.clone().text());
  const cookie = session.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { cookie, csrfToken: ((await session.json()) as { csrfToken: string }).csrfToken, name: person.data.name };
}

async function signIn(username: string): Promise<void> {
  await context?.close();
  ({ context, page } = await signedInPage(browser!, server!.baseUrl, username, { pageErrors, viewport: { width: 1366, height: 900 } }));
}

const nav = () => page.getByRole('navigation', { name: zh['nav.label'] });
const inboxRow = () => page.getByRole('region', { name: zh['tasks.list'] }).getByRole('row').filter({ hasText: application.number });
const act = () => page.getByRole('region', { name: new RegExp(`^(${zh['dossier.act.title']}|${zh['dossier.act.yourStep'].replace('{step}', '.+')})$`) });

describe('the officer’s workbench for online approval', { timeout: 300_000 }, () => {
  before(async () => {
    ensureWebBuilt();
    server = await startServer();
    browser = await launchChromium();
    admin = await apiSession(server.baseUrl, 'amr.admin');
    // A service of market regulation (it has a seal, so approval issues a sealed licence), with the test e-form, published.
    await admin.call('POST', '/api/services', buildServiceBody(admin.orgId, { code: CODE, nameZh: `测试许可${suffix}`, nameEn: `Test licence ${suffix}` }));
    await admin.call('PUT', `/api/services/${encodeURIComponent(CODE)}/form`, { version: 0, ...buildForm() });
    const draft = await admin.call<{ version: number }>('GET', `/api/services/${encodeURIComponent(CODE)}`);
    await admin.call('POST', `/api/services/${encodeURIComponent(CODE)}/publish`, { version: draft.version });
    citizen = await registerCitizen();
    const { idNumber: _id, name: _name, birthDate: _birth, ...typed } = buildFormData();
    const made = await asCitizen<{ id: string; number: string; status: string }>('POST', '/api/citizen/applications', { serviceCode: CODE, formData: typed, attachments: [{ materialKey: 'floorPlan', fileName: 'plan.pdf', content: pdf() }], submit: true });
    assert.equal(made.status, 'submitted');
    application = made;
  });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('the administrator gives the officer the duties of acceptance, review and decision', async () => {
    await signIn('amr.admin');
    await nav().getByRole('link', { name: zh['nav.duties'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: zh['duties.title'] }).waitFor();
    const officer = page.getByRole('group', { name: /^.*（amr\.officer）的岗位职责$/ });
    await officer.waitFor();
    for (const duty of ['acceptor', 'reviewer', 'approver', 'leader'] as const) {
      const box = officer.getByRole('checkbox', { name: new RegExp(`^${zh[`tasks.duty.${duty}`]}`) });
      await box.waitFor();
      await box.setChecked(duty !== 'leader');
    }
    await assertControlsLabelled(page);
    await assertAccessible(page, 'the duties page');
    const form = page.locator('form').filter({ has: officer });
    await form.getByRole('button').click();
    await page.getByRole('status').filter({ hasText: '受理人员、审批负责人、审查人员' }).waitFor();
    const saved = await admin.call<{ items: { id: string; username: string }[] }>('GET', `/api/users?orgId=${admin.orgId}&q=amr.officer`);
    const duties = await admin.call<{ duties: string[] }>('GET', `/api/services/duties/${saved.items.find((u) => u.username === 'amr.officer')!.id}`);
    assert.deepEqual(duties.duties, ['acceptor', 'approver', 'reviewer']);
  });

  it('the officer sees the acceptance step in the inbox with its deadline in words and colour, and claims it', async () => {
    await signIn('amr.officer');
    await nav().getByRole('link', { name: zh['nav.tasks'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: zh['tasks.title'] }).waitFor();
    const row = inboxRow();
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(`${zh['tasks.unassigned']}`));
    const deadline = row.locator('[data-warning]');
    assert.equal(await deadline.getAttribute('data-warning'), 'none', 'five working days to accept: no warning colour');
    assert.match(await deadline.innerText(), /正常：剩余 \d+ 个工作日（.+到期）/);
    assert.notEqual(await deadline.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgba(0, 0, 0, 0)');
    await assertControlsLabelled(page);
    await assertAccessible(page, 'the task inbox');
    // No colleague of market regulation holds the acceptance duty: the forward dialog says who can give it.
    await row.getByRole('button', { name: `${zh['tasks.forward']} ${application.number} 受理审查`, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: fill(zh['tasks.forwardTitle'], { number: application.number, step: '受理审查' }) });
    await dialog.getByText(fill(zh['tasks.forwardNone'], { duty: zh['tasks.duty.acceptor'] })).waitFor();
    await assertAccessible(page, 'the forward dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await row.getByRole('button', { name: `${zh['tasks.claim']} ${application.number} 受理审查`, exact: true }).click();
    await page.getByRole('status').filter({ hasText: fill(zh['tasks.claimed'], { number: application.number, step: '受理审查' }) }).waitFor();
    await inboxRow().getByRole('button', { name: new RegExp(`^${zh['tasks.return']}`) }).waitFor();
    assert.match(await inboxRow().innerText(), /工作人员/);
    // Only its own: the pool no longer lists it.
    await page.getByLabel(zh['tasks.scope'], { exact: true }).selectOption('pool');
    await page.getByRole('button', { name: zh['common.search'], exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('scope') === 'pool');
    await inboxRow().waitFor({ state: 'detached' });
  });

  it('opens the dossier: the form data under its labels, the registry values with their exchange message, the material', async () => {
    await page.getByLabel(zh['tasks.scope'], { exact: true }).selectOption('mine');
    await page.getByRole('button', { name: zh['common.search'], exact: true }).click();
    await inboxRow().getByRole('link', { name: `${zh['tasks.open']} ${application.number} 受理审查`, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: fill(zh['dossier.title'], { number: application.number }) }).waitFor();
    const summary = page.getByRole('region', { name: zh['dossier.summary'] });
    await summary.getByText('已提交，待受理').waitFor();
    const formData = page.getByRole('region', { name: zh['dossier.form.title'] });
    await formData.getByRole('heading', { name: '申请人信息' }).waitFor();
    const name = formData.locator('div.dossier-prefilled').filter({ has: page.getByText('字段name', { exact: true }) });
    await name.getByText(citizen.name, { exact: false }).first().waitFor();
    assert.match(await name.locator('.dossier-source').innerText(), /^来自人口基础信息库，经数据交换读取（报文 \S+/);
    await formData.getByText('青云省示范市东城区人民路 1 号').waitFor();
    const file = page.getByRole('region', { name: zh['dossier.files.title'] }).getByRole('link', { name: fill(zh['dossier.files.download'], { name: 'plan.pdf' }) });
    const download = await fetch(`${server!.baseUrl}${await file.getAttribute('href')}`, { headers: { cookie: (await context!.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } });
    assert.equal(download.status, 200);
    assert.match(download.headers.get('content-disposition') ?? '', /attachment/);
    await page.getByRole('region', { name: zh['dossier.history.title'] }).getByText(zh['dossier.event.submit']).waitFor();
    await act().getByRole('heading', { name: fill(zh['dossier.act.yourStep'], { step: '受理审查' }) }).waitFor();
    await assertControlsLabelled(page);
    await assertAccessible(page, 'the dossier');
  });

  it('is told when the task changed meanwhile, and the dossier reloads', async () => {
    // The officer gives the task back to the pool elsewhere (another tab): the page's version is stale.
    const officer = await apiSession(server!.baseUrl, 'amr.officer');
    const mine = await officer.call<{ items: { id: string; applicationId: string; version: number }[] }>('GET', '/api/services/inbox?scope=mine');
    const task = mine.items.find((t) => t.applicationId === application.id)!;
    await officer.call('POST', `/api/services/tasks/${task.id}/return`, { version: task.version });
    await act().getByLabel(zh['dossier.accept.accept'], { exact: true }).check();
    await act().getByRole('button', { name: zh['dossier.accept.submit'], exact: true }).click();
    await page.getByRole('alert').filter({ hasText: zh['dossier.act.stale'] }).waitFor();
    await page.getByRole('alert').filter({ hasText: '该任务在您打开后已有变化' }).waitFor();
    await act().getByRole('button', { name: zh['dossier.act.claim'], exact: true }).waitFor();
  });

  it('asks for supplements once, each item in both languages; a missing translation is refused beside its input', async () => {
    await act().getByRole('button', { name: zh['dossier.act.claim'], exact: true }).click();
    await page.getByRole('status').filter({ hasText: fill(zh['tasks.claimed'], { number: application.number, step: '受理审查' }) }).waitFor();
    await act().getByLabel(zh['dossier.accept.supplement'], { exact: true }).check();
    await act().getByLabel(fill(zh['dossier.accept.itemZh'], { n: 1 }), { exact: true }).fill('平面图须标明尺寸');
    await act().getByLabel(fill(zh['dossier.accept.itemMaterial'], { n: 1 }), { exact: true }).selectOption('floorPlan');
    await act().getByRole('button', { name: zh['dossier.accept.submit'], exact: true }).click();
    const en = act().getByLabel(fill(zh['dossier.accept.itemEn'], { n: 1 }), { exact: true });
    await page.locator('[id="accept-items.0.en-error"]').waitFor();
    assert.equal(await en.getAttribute('aria-invalid'), 'true');
    assert.match((await en.getAttribute('aria-describedby')) ?? '', /accept-items\.0\.en-error/);
    const summary = act().getByRole('alert');
    assert.equal(await summary.evaluate((el) => el === document.activeElement), true, 'the error summary takes focus');
    await summary.getByRole('link', { name: new RegExp(`^${fill(zh['dossier.accept.itemEn'], { n: 1 }).replace(/[()（）]/g, '.')}`) }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'accept-items.0.en', 'the summary link leads to the input');
    await assertAccessible(page, 'the acceptance form with its errors');
    await en.fill('The floor plan must show the dimensions');
    await act().getByRole('button', { name: zh['dossier.accept.submit'], exact: true }).click();
    await page.getByRole('status').filter({ hasText: zh['dossier.act.done'] }).waitFor();
    await page.getByRole('region', { name: zh['dossier.summary'] }).getByText('待补正材料').waitFor();
    await page.getByRole('region', { name: zh['dossier.supplement.title'] }).getByText('平面图须标明尺寸').waitFor();
    await act().getByText(zh['dossier.act.noStep']).waitFor();
  });

  it('accepts once the citizen has supplied the plan, extends the period and approves: the licence is issued', async () => {
    const mine = await asCitizen<{ version: number }>('GET', `/api/citizen/applications/${application.id}`);
    const answered = await asCitizen<{ status: string }>('POST', `/api/citizen/applications/${application.id}/supplement`, { version: mine.version, attachments: [{ materialKey: 'floorPlan', fileName: 'plan-v2.pdf', content: pdf(4096) }] });
    assert.equal(answered.status, 'submitted');

    await page.reload();
    await act().getByRole('heading', { name: fill(zh['dossier.act.yourStep'], { step: '补正后受理审查' }) }).waitFor();
    await page.getByRole('region', { name: zh['dossier.files.title'] }).getByRole('link', { name: fill(zh['dossier.files.download'], { name: 'plan-v2.pdf' }) }).waitFor();
    await act().getByLabel(zh['dossier.accept.accept'], { exact: true }).check();
    await act().getByRole('button', { name: zh['dossier.accept.submit'], exact: true }).click();
    await page.getByRole('status').filter({ hasText: zh['dossier.act.done'] }).waitFor();
    const summary = page.getByRole('region', { name: zh['dossier.summary'] });
    await summary.getByText('已受理，审查中').waitFor();
    await summary.getByText(fill(zh['dossier.clock.statutoryDays'], { days: 20 }), { exact: true }).waitFor();

    const clock = page.getByRole('region', { name: zh['dossier.clockAct.title'] });
    await clock.getByLabel(zh['dossier.extend.reasonZh'], { exact: true }).fill('需要现场核查');
    await clock.getByLabel(zh['dossier.extend.reasonEn'], { exact: true }).fill('An on-site check is needed');
    await clock.getByRole('button', { name: zh['dossier.extend.submit'], exact: true }).click();
    await page.getByRole('status').filter({ hasText: '办理期限已延长' }).waitFor();
    await summary.getByText(fill(zh['dossier.clock.statutoryDays'], { days: 30 }), { exact: true }).waitFor();
    await page.getByRole('region', { name: zh['dossier.clockAct.title'] }).getByText(zh['dossier.extend.used']).waitFor();

    await act().getByRole('heading', { name: fill(zh['dossier.act.yourStep'], { step: '审批决定' }) }).waitFor();
    await assertAccessible(page, 'the dossier under review');
    await act().getByLabel(zh['dossier.decide.approve'], { exact: true }).check();
    await act().getByLabel(zh['dossier.decide.comment'], { exact: true }).fill('材料齐全，符合法定条件');
    await act().getByRole('button', { name: zh['dossier.decide.submit'], exact: true }).click();
    await page.getByRole('status').filter({ hasText: zh['dossier.act.done'] }).waitFor();
    await summary.getByText('准予许可', { exact: true }).first().waitFor();
    await summary.getByText(zh['dossier.decision.licence']).waitFor();
    const history = page.getByRole('region', { name: zh['dossier.history.title'] });
    for (const key of ['dossier.event.supplement_request', 'dossier.event.supplement_answer', 'dossier.event.accept', 'dossier.event.extend', 'dossier.event.approve'] as const) await history.getByText(zh[key], { exact: true }).waitFor();
    const steps = page.getByRole('region', { name: zh['dossier.tasks.title'] });
    assert.match(await steps.innerText(), /要求补正[\s\S]*受理/);
    await page.screenshot({ path: '/tmp/egov-e2e-service-inbox-dossier.png', fullPage: true });

    const final = await asCitizen<{ status: string; licenceId: string | null }>('GET', `/api/citizen/applications/${application.id}`);
    assert.equal(final.status, 'approved');
    assert.ok(final.licenceId);
  });

  it('reads the dossier in English', async () => {
    await page.getByRole('button', { name: en['lang.en'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: fill(en['dossier.title'], { number: application.number }) }).waitFor();
    const formData = page.getByRole('region', { name: en['dossier.form.title'] });
    await formData.getByRole('heading', { name: 'The applicant' }).waitFor();
    assert.match(await formData.locator('.dossier-source').first().innerText(), /^From the population registry, read via exchange message \S+/);
    const history = page.getByRole('region', { name: en['dossier.history.title'] });
    await history.getByText(en['dossier.event.approve'], { exact: true }).waitFor();
    await history.getByText(fill(en['dossier.history.applicant'], { name: citizen.name })).first().waitFor();
    await assertAccessible(page, 'the dossier in English');
    await page.getByRole('button', { name: en['lang.zh'], exact: true }).click();
  });

  it('the inbox is empty again, and an officer without duties is told who gives them', async () => {
    await page.goto(`${server!.baseUrl}/tasks`);
    await page.getByRole('heading', { level: 1, name: zh['tasks.title'] }).waitFor();
    await page.getByRole('region', { name: zh['tasks.list'] }).getByText(/共 \d+ 项/).waitFor();
    assert.equal(await inboxRow().count(), 0);
    await signIn('ca.officer');
    await page.goto(`${server!.baseUrl}/tasks`);
    await page.getByTestId('no-duties').filter({ hasText: zh['tasks.noDuties'] }).waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
