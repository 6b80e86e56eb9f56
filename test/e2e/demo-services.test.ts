// The other three demo services from application to verified licence, in a real browser against
// one seeded server (issue 8; the residence permit has its own story, with the accessibility
// checks): for each, a living person of the demo population registers on the portal and applies
// with the registries' values prefilled and locked, fills in the rest and uploads the required
// PDFs; the department's officers work every step in the workbench, from Tasks into the dossier;
// the citizen sees the application approved, opens the licence and its public verification
// page says it is valid.
//  - Individual business registration (market regulation): acceptance, the registration review,
//    the decision.
//  - The social security card (human resources and social security): acceptance, the review,
//    then the photo check and the insurance data check in parallel, then the decision.
//  - The environmental impact approval of a construction project, for an enterprise: its legal
//    representative registers it in my space, signs in again choosing to act for it, and applies
//    with the developer's details from the legal entity registry. Ecology and environment
//    accepts; its technical review runs in parallel with natural resources' land-use review,
//    which reaches natural resources' Tasks through the exchange; two leaders (the officer and
//    the administrator, who signs in with the demo TOTP) countersign; the officer decides.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { zhCN as zh } from '../../web/src/i18n/zh-CN.ts';
import { signIn as apiSignIn } from '../support/egov-process.ts';
import { ensureWebBuilt, fill, launchChromium, startServer, type RunningServer } from './harness.ts';
import { newPage, signedInPage } from './session.ts';

const PASSWORD = 'Citizen#2026pw';
/** A busy two-core machine: steps get twice the harness's default. */
const STEP_MS = 30_000;

type Person = { idNumber: string; name: string };
type Citizen = Person & { phone: string; page: Page };
type Application = { id: string; number: string };

let server: RunningServer | undefined;
let browser: Browser | undefined;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let tmp: string;
let base: string;
let people: Person[];
let enterprise: { creditCode: string; name: string; rep: Person };
/** Another enterprise's credit code (a valid one), for the EIA report's author. */
let agencyCode: string;
const staff = new Map<string, Page>();

/** A small PDF in the temp folder, as a person's file to upload. */
function pdfFile(name: string): string {
  const body = Buffer.alloc(4096, 0x20);
  Buffer.from('%PDF-1.7\n').copy(body);
  const file = path.join(tmp, name);
  fs.writeFileSync(file, body);
  return file;
}

async function open(options: { locale?: string } = {}): Promise<Page> {
  const { context, page } = await newPage(browser!, { pageErrors, viewport: { width: 1280, height: 900 }, ...options });
  context.setDefaultTimeout(STEP_MS);
  contexts.push(context);
  return page;
}

/** The workbench signed in as a demo user: one browser context per person, kept for the whole file. */
async function officer(username: string): Promise<Page> {
  let page = staff.get(username);
  if (!page) {
    const opened = await signedInPage(browser!, base, username, { pageErrors });
    opened.context.setDefaultTimeout(STEP_MS);
    contexts.push(opened.context);
    page = opened.page;
    staff.set(username, page);
  }
  return page;
}

/** Registers the person on the portal and signs in (as themself): on my space. */
async function registerAndSignIn(person: Person, phone: string): Promise<Citizen> {
  const page = await open();
  await page.goto(`${base}/`);
  await page.getByRole('link', { name: '注册', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: '注册个人账户' }).waitFor();
  await page.getByLabel('姓名').fill(person.name);
  await page.getByLabel('公民身份号码').fill(person.idNumber);
  await page.getByLabel('手机号码').fill(phone);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '注册并核验' }).click();
  await page.getByRole('heading', { level: 1, name: '注册成功，已通过实名核验' }).waitFor();
  await page.getByRole('link', { name: '登录并进入我的空间' }).click();
  await signInAtPortal(page, phone);
  await page.waitForURL((url) => url.pathname === '/me');
  await page.getByRole('heading', { level: 1, name: '我的空间' }).waitFor();
  return { ...person, phone, page };
}

/** The provider's sign-in form for citizens, in Chinese. */
async function signInAtPortal(page: Page, phone: string): Promise<void> {
  await page.waitForURL((url) => url.pathname.startsWith('/oidc/interaction/'));
  await page.getByRole('radio', { name: '个人或企业办事人' }).check();
  await page.locator('#login').fill(phone);
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

/** A registry value shown as text with the registry named, and no input to change it. */
async function assertLocked(page: Page, key: string, label: string, value: string): Promise<void> {
  const field = page.locator(`#f-${key}`);
  assert.equal(await field.locator('.label').innerText(), label);
  assert.equal(await field.locator('.value').innerText(), value, `${label} from the registry`);
  assert.match(await field.locator('.hint').innerText(), /^来自.+基础信息库（.+读取），不能在此修改/);
  assert.equal(await page.locator(`[name="fd.${key}"]`).count(), 0, `${label} cannot be changed`);
  assert.equal(await field.locator('input, textarea, select').count(), 0);
}

/** Sends the filled-in form and reads the reference number off the confirmation. */
async function submit(page: Page): Promise<Application> {
  await page.getByRole('button', { name: '提交申请' }).click();
  await page.getByRole('heading', { level: 1, name: '申请已提交' }).waitFor();
  const confirmation = new URL(page.url()).pathname.match(/^\/me\/applications\/([0-9a-f-]{36})\/confirmation$/);
  assert.ok(confirmation, page.url());
  const number = (await page.locator('.big').innerText()).trim();
  assert.match(number, /^\d{14}$/);
  return { id: confirmation[1], number };
}

const act = (page: Page) => page.getByRole('region', { name: new RegExp(`^(${zh['dossier.act.title']}|${zh['dossier.act.yourStep'].replace('{step}', '.+')})$`) });
const yourStep = (page: Page, step: string) => act(page).getByRole('heading', { name: fill(zh['dossier.act.yourStep'], { step }) });
const summary = (page: Page) => page.getByRole('region', { name: zh['dossier.summary'] });

/**
 * From the workbench's Tasks to the dossier, by the step's link in the application's row. A
 * joint department's step arrives through the exchange a moment later: the list is reloaded
 * until it is there.
 */
async function fromTasks(page: Page, app: Application, step: string): Promise<void> {
  await page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh['nav.tasks'], exact: true }).click();
  await page.getByRole('heading', { level: 1, name: zh['tasks.title'] }).waitFor();
  // A countersignature has a row for each signer: any of them will do.
  const link = page.getByRole('region', { name: zh['tasks.list'] }).getByRole('link', { name: `${zh['tasks.open']} ${app.number} ${step}`, exact: true }).first();
  for (let deadline = Date.now() + 90_000; ; ) {
    try {
      await link.waitFor({ timeout: 3_000 });
      break;
    } catch (error) {
      if ((error as Error).name !== 'TimeoutError' || Date.now() > deadline) throw error;
      await page.reload();
      await page.getByRole('heading', { level: 1, name: zh['tasks.title'] }).waitFor();
    }
  }
  await link.click();
  await page.getByRole('heading', { level: 1, name: fill(zh['dossier.title'], { number: app.number }) }).waitFor();
}

/**
 * Works the step the dossier offers, agreeing (accepting, approving), and waits until it is
 * recorded: the step gone from the dossier, or for a countersignature, the dossier saying so
 * (the other signer's instance of the same step is still open, and still offered).
 */
async function work(page: Page, step: string, kind: 'accept' | 'review' | 'countersign' | 'decide', comment = '符合条件，同意'): Promise<void> {
  await yourStep(page, step).waitFor();
  const region = act(page);
  if (kind === 'accept') {
    await region.getByLabel(zh['dossier.accept.accept'], { exact: true }).check();
    await region.getByRole('button', { name: zh['dossier.accept.submit'], exact: true }).click();
  } else {
    const form = kind === 'decide' ? 'decide' : 'review';
    await region.getByLabel(form === 'review' ? zh['dossier.review.agree'] : zh['dossier.decide.approve'], { exact: true }).check();
    await region.getByLabel(zh[`dossier.${form}.comment`], { exact: true }).fill(comment);
    await region.getByRole('button', { name: zh[`dossier.${form}.submit`], exact: true }).click();
  }
  if (kind === 'countersign') await page.getByRole('status').filter({ hasText: zh['dossier.act.done'] }).waitFor();
  else await yourStep(page, step).waitFor({ state: 'detached' });
}

/** Works the steps open in parallel in whichever order the dossier offers them. */
async function workParallel(page: Page, steps: string[]): Promise<void> {
  const left = new Set(steps);
  while (left.size) {
    const heading = act(page).getByRole('heading', { name: new RegExp(`^${fill(zh['dossier.act.yourStep'], { step: `(${[...left].join('|')})` })}$`) });
    await heading.waitFor();
    const step = (await heading.innerText()).trim().slice(fill(zh['dossier.act.yourStep'], { step: '' }).length);
    assert.ok(left.has(step), `${step} is one of ${[...left].join(', ')}`);
    await work(page, step, 'review');
    left.delete(step);
  }
}

/** The officer's dossier says it is approved with a licence. */
async function assertApprovedInDossier(page: Page): Promise<void> {
  await summary(page).getByText(zh['dossier.decision.licence']).waitFor();
  await summary(page).getByText(zh['dossier.decision.approve'], { exact: true }).first().waitFor();
  await act(page).getByText(zh['dossier.act.noStep']).waitFor();
}

/** The citizen sees the application approved, opens the licence, and its verification page says valid. */
async function licenceVerifies(page: Page, app: Application, service: string, holder: string, issuer: string): Promise<void> {
  await page.goto(`${base}/me/applications/${app.id}`);
  await page.getByRole('heading', { level: 2, name: '状态: 准予许可' }).waitFor();
  await page.getByRole('link', { name: '查看电子证照' }).click();
  await page.waitForURL((url) => /^\/me\/licences\/[0-9a-f-]{36}$/.test(url.pathname));
  await page.getByRole('heading', { level: 1, name: service }).waitFor();
  const licence = await page.locator('main').innerText();
  assert.match(licence, /状态: 有效/);
  assert.ok(licence.includes(holder), `the holder ${holder} on the licence`);
  assert.ok(licence.includes(issuer), `issued by ${issuer}`);
  assert.match(licence, /电子印章验证通过/);
  await page.getByRole('img', { name: '证照核验二维码' }).waitFor();

  await page.locator('figure figcaption').getByRole('link').click();
  await page.waitForURL((url) => url.pathname.startsWith('/licences/'));
  await page.getByRole('heading', { level: 1, name: '电子证照核验' }).waitFor();
  await page.getByRole('heading', { level: 2, name: '状态: 有效' }).waitFor();
  await page.getByRole('heading', { level: 2, name: '电子印章验证通过' }).waitFor();
  const verification = await page.locator('main').innerText();
  assert.ok(verification.includes(service), 'the service named');
  assert.match(verification, new RegExp(`${issuer}(行政审批|电子证照)专用章`), `sealed with ${issuer}’s seal`);
}

/** Opens the service's guide on the portal and follows "apply online". */
async function openForm(page: Page, code: string, name: string, link = '在线申请'): Promise<void> {
  await page.goto(`${base}/services/${code}`);
  await page.getByRole('heading', { level: 1, name }).waitFor();
  await page.getByRole('link', { name: link, exact: true }).click();
}

const isoDaysAhead = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('the demo services in the browser: individual business, social security card, environmental impact approval', { timeout: 600_000 }, () => {
  before(async () => {
    ensureWebBuilt();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-e2e-demo-services-'));
    [server, browser] = await Promise.all([startServer(), launchChromium()]);
    base = server.baseUrl;
    // Living people of the demo population, and an active enterprise whose legal representative lives.
    const get = async (who: string, url: string) => {
      const session = await apiSignIn(base, who);
      const res = await fetch(`${base}${url}&purpose=${encodeURIComponent('办件测试')}`, { headers: { cookie: session.cookie } });
      assert.equal(res.status, 200, await res.clone().text());
      return ((await res.json()) as { results: { key: string; data: Record<string, string>; masked?: string[] }[] }).results;
    };
    const living = (await get('psb.officer', '/api/registries/population/records?where.status=living&pageSize=100')).filter((r) => !r.masked?.length && r.data.name);
    const entities = (await get('amr.officer', '/api/registries/legal-entities/records?where.status=active&pageSize=100')).filter((r) => !r.masked?.length && r.data.name);
    const byId = new Map(living.map((r) => [r.key, r.data.name]));
    const chosen = entities.find((e) => byId.has(e.data.legalRepId));
    assert.ok(chosen, 'the demo has an active enterprise whose legal representative is a living person');
    enterprise = { creditCode: chosen.key, name: chosen.data.name, rep: { idNumber: chosen.data.legalRepId, name: byId.get(chosen.data.legalRepId)! } };
    agencyCode = entities.find((e) => e.key !== chosen.key)!.key;
    people = living.filter((r) => r.key !== enterprise.rep.idNumber && r.data.currentAddress).slice(0, 2).map((r) => ({ idNumber: r.key, name: r.data.name }));
    assert.equal(people.length, 2);
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('individual business registration', () => {
    const SERVICE = 'amr.individual-business-registration';
    const NAME = '个体工商户设立登记';
    const AMR = '青云省市场监督管理局';
    let citizen: Citizen;
    let app: Application;

    it('the citizen applies: the operator comes from the population registry, locked; the rest filled in, the proof of premises uploaded', async () => {
      citizen = await registerAndSignIn(people[0], '13700137001');
      const page = citizen.page;
      await openForm(page, SERVICE, NAME);
      await page.waitForURL((url) => url.pathname === `/services/${SERVICE}/apply`);
      await assertLocked(page, 'operatorName', '经营者姓名', citizen.name);
      await assertLocked(page, 'operatorIdNumber', '公民身份号码', citizen.idNumber);
      await page.getByLabel(/^联系电话/).fill(citizen.phone);
      await page.getByLabel(/^个体工商户名称/).fill('云州市东城区小李便利店');
      await page.getByRole('radio', { name: '个人经营' }).check();
      await page.getByLabel(/^行业/).selectOption({ label: '批发和零售业' });
      await page.getByLabel(/^经营范围/).fill('日用百货、预包装食品零售');
      await page.getByLabel(/^经营场所\s*（/).fill('青云省云州市东城区人民路 12 号一层');
      await page.getByRole('radio', { name: '租赁' }).check();
      await page.getByLabel(/^资金数额/).fill('50000');
      await page.getByLabel(/^从业人数/).fill('2');
      await page.getByRole('checkbox', { name: /本人承诺/ }).check();
      await page.getByLabel(/^经营场所使用证明/).setInputFiles(pdfFile('premises-lease.pdf'));
      app = await submit(page);
    });

    it('market regulation accepts, reviews and approves from Tasks and the dossier', async () => {
      const amr = await officer('amr.officer');
      await fromTasks(amr, app, '受理审查');
      await summary(amr).getByText('已提交，待受理').waitFor();
      await amr.getByRole('region', { name: zh['dossier.files.title'] }).getByRole('link', { name: fill(zh['dossier.files.download'], { name: 'premises-lease.pdf' }) }).waitFor();
      await work(amr, '受理审查', 'accept');
      await work(amr, '登记审查', 'review', '经营场所证明齐全，登记事项符合规定');
      await work(amr, '核准决定', 'decide', '准予登记');
      await assertApprovedInDossier(amr);
    });

    it('the citizen opens the business licence, and it verifies', async () => {
      await licenceVerifies(citizen.page, app, NAME, citizen.name, AMR);
    });
  });

  describe('social security card', () => {
    const SERVICE = 'hrss.social-security-card';
    const NAME = '社会保障卡申领';
    const HRSS = '青云省人力资源和社会保障厅';
    let citizen: Citizen;
    let app: Application;

    it('the citizen applies: name and ID number locked from the registry; bank and delivery chosen, the photo uploaded', async () => {
      citizen = await registerAndSignIn(people[1], '13700137002');
      const page = citizen.page;
      await openForm(page, SERVICE, NAME);
      await page.waitForURL((url) => url.pathname === `/services/${SERVICE}/apply`);
      await assertLocked(page, 'name', '姓名', citizen.name);
      await assertLocked(page, 'idNumber', '公民身份号码', citizen.idNumber);
      await page.getByLabel(/^联系电话/).fill(citizen.phone);
      await page.getByRole('checkbox', { name: /^同时开通金融账户功能/ }).check();
      await page.getByLabel(/^合作银行/).selectOption({ label: '中国建设银行' });
      await page.getByRole('radio', { name: '邮寄到家' }).check();
      const mailing = page.getByLabel(/^邮寄地址/);
      if (!(await mailing.inputValue())) await mailing.fill('青云省云州市东城区人民路 8 号 3 单元 201 室');
      await page.getByRole('checkbox', { name: /本人承诺/ }).check();
      await page.getByLabel(/^近期免冠证件照/).setInputFiles(pdfFile('photo.pdf'));
      app = await submit(page);
    });

    it('human resources accepts, reviews, checks the photo and the data in parallel, and decides', async () => {
      const hrss = await officer('hrss.officer');
      await fromTasks(hrss, app, '受理审查');
      await work(hrss, '受理审查', 'accept');
      await work(hrss, '受理审核', 'review');
      await workParallel(hrss, ['照片质量审核', '参保信息核验']);
      await work(hrss, '制卡决定', 'decide', '准予制卡');
      await assertApprovedInDossier(hrss);
      const history = hrss.getByRole('region', { name: zh['dossier.history.title'] });
      assert.ok((await history.getByText(zh['dossier.event.review_step'], { exact: true }).count()) >= 3, 'the review and both checks in the history');
    });

    it('the citizen opens the card’s licence, and it verifies', async () => {
      await licenceVerifies(citizen.page, app, NAME, citizen.name, HRSS);
    });
  });

  describe('environmental impact approval, for an enterprise, handled jointly', () => {
    const SERVICE = 'eco.construction-eia-approval';
    const NAME = '建设项目环境影响报告书审批';
    const ECO = '青云省生态环境厅';
    let citizen: Citizen;
    let app: Application;

    it('the legal representative registers the enterprise in my space, signs in acting for it, and applies with the developer locked from the legal entity registry', async () => {
      citizen = await registerAndSignIn(enterprise.rep, '13700137003');
      const page = citizen.page;
      await page.getByLabel('登记我担任法定代表人的企业（统一社会信用代码）').fill(enterprise.creditCode);
      await page.getByRole('button', { name: '核验并登记' }).click();
      await page.getByRole('link', { name: enterprise.name, exact: true }).waitFor();
      assert.match(await page.locator('main').innerText(), new RegExp(`${enterprise.creditCode} · 法定代表人`));

      // Signed out, then in again from the service's guide, choosing to act for the enterprise.
      await page.getByRole('button', { name: '退出', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/oidc/session/end');
      await page.getByRole('button', { name: '退出', exact: true }).first().click();
      await page.waitForURL((url) => url.pathname === '/' && url.searchParams.has('signed-out'));
      await openForm(page, SERVICE, NAME, '登录后在线申请');
      await signInAtPortal(page, citizen.phone);
      await page.getByRole('heading', { level: 1, name: '选择办事身份' }).waitFor();
      await page.getByRole('radio', { name: `代表“${enterprise.name}”办理（法定代表人，统一社会信用代码 ${enterprise.creditCode}）` }).check();
      await page.getByRole('button', { name: '继续', exact: true }).click();
      await page.waitForURL((url) => url.pathname === `/services/${SERVICE}/apply`);
      await page.getByText(`您正以“${enterprise.name}”（${enterprise.creditCode}）的名义申请。`).waitFor();

      await assertLocked(page, 'developerName', '建设单位名称', enterprise.name);
      await assertLocked(page, 'developerCode', '统一社会信用代码', enterprise.creditCode);
      await assertLocked(page, 'legalRepName', '法定代表人', enterprise.rep.name);
      await page.getByLabel(/^联系人\s*（/).fill(enterprise.rep.name);
      await page.getByLabel(/^联系人电话/).fill(citizen.phone);
      await page.getByLabel(/^项目名称/).fill('云州市东城区污水处理厂扩建工程');
      await page.getByLabel(/^建设地点/).fill('青云省云州市东城区滨河路 1 号');
      await page.getByLabel(/^项目类别/).selectOption({ label: '水利' });
      await page.getByLabel(/^总投资/).fill('12000');
      await page.getByLabel(/^环保投资/).fill('3600');
      await page.getByLabel(/^用地面积/).fill('4.5');
      await page.getByLabel(/^计划开工日期/).fill(isoDaysAhead(120));
      await page.getByLabel(/^报告书编制单位\s*（/).fill('青云环境科学研究院');
      await page.getByLabel(/^编制单位统一社会信用代码/).fill(agencyCode);
      await page.getByRole('checkbox', { name: /本人承诺/ }).check();
      await page.getByLabel(/^环境影响报告书/).setInputFiles(pdfFile('eia-report.pdf'));
      await page.getByLabel(/^用地预审与选址意见书/).setInputFiles(pdfFile('land-pre-approval.pdf'));
      await page.getByLabel(/^公众参与说明/).setInputFiles(pdfFile('public-participation.pdf'));
      app = await submit(page);
    });

    it('ecology and environment accepts and reviews; natural resources reviews the land use from its own Tasks; two leaders countersign; the officer decides', async () => {
      const eco = await officer('eco.officer');
      await fromTasks(eco, app, '受理审查');
      await work(eco, '受理审查', 'accept');
      await work(eco, '环评技术审查', 'review', '报告书编制规范，结论可信');

      // Natural resources' step comes through the exchange into its own Tasks.
      const nr = await officer('nr.officer');
      await fromTasks(nr, app, '用地及生态保护红线审查');
      await work(nr, '用地及生态保护红线审查', 'review', '项目用地符合国土空间规划，不涉及生态保护红线');

      // The administrator countersigns from Tasks, then the officer countersigns and decides.
      const admin = await officer('eco.admin');
      await fromTasks(admin, app, '领导会签');
      await work(admin, '领导会签', 'countersign', '同意批复');
      await eco.reload();
      await work(eco, '领导会签', 'countersign', '同意批复');
      await work(eco, '审批决定', 'decide', '准予批复');
      await assertApprovedInDossier(eco);
      const history = eco.getByRole('region', { name: zh['dossier.history.title'] });
      await history.getByText(zh['dossier.event.joint_step'], { exact: true }).first().waitFor();
      assert.ok((await history.innerText()).includes('青云省自然资源厅'), "natural resources' review in the lead's history");
    });

    it('acting for the enterprise, the representative opens the approval, and it verifies', async () => {
      await licenceVerifies(citizen.page, app, NAME, enterprise.name, ECO);
      assert.deepEqual(pageErrors, []);
    });
  });
});
