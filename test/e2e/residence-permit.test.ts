// The residence permit from application to verified licence, in a real browser against the
// real server on the demo world (issue 8's story): a living person of the demo population
// registers on the portal, signs in, opens the residence permit's guide and applies — name, ID
// number, date of birth and household address come from the population registry, shown as
// text with the registry named and no input to change them; sending the form with the phone
// left out is refused at the top and beside the field; then the PDFs (written to a temp
// folder) are uploaded and the application sent, with the reference number, the acceptance
// due date and the receipt. Public security's officer finds the acceptance step in the
// workbench's inbox with its deadline, opens the dossier and asks for one supplement (in
// Chinese and English, naming the proof of residence). The citizen is told in My messages,
// reads the request on the application's page (in English too) and answers it with the
// corrected file. The officer accepts, agrees at the police station's verification and
// approves. The citizen sees it approved, opens the licence in my space (its data and the QR
// code), and follows its link to the public verification page: valid, issued by the PSB, the
// seal verifies — also for anyone, signed out, in English. axe-core checks every applicant page.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { zhCN as zh } from '../../web/src/i18n/zh-CN.ts';
import { signIn as apiSignIn } from '../support/egov-process.ts';
import { assertAccessible } from './axe.ts';
import { ensureWebBuilt, fill, launchChromium, startServer, type RunningServer } from './harness.ts';
import { newPage, signedInPage } from './session.ts';

const SERVICE = 'psb.residence-permit';
const PASSWORD = 'Citizen#2026pw';
const PHONE = '13700137456';
const PSB_ZH = '青云省公安厅';
const PSB_EN = 'Qingyun Provincial Department of Public Security';
const PROOF_ZH = '居住证明（租赁合同或房产证明）';
const ITEM_ZH = '租赁合同须有出租人签字并在有效期内';
const ITEM_EN = 'The tenancy agreement must be signed by the landlord and still in force';

let server: RunningServer | undefined;
let browser: Browser | undefined;
let citizenContext: BrowserContext | undefined;
let officerContext: BrowserContext | undefined;
let citizen: Page;
let officer: Page;
const pageErrors: string[] = [];
const scripts: string[] = [];
let tmp: string;
let person: { idNumber: string; name: string; birthDate: string; hukouAddress: string };
let application: { id: string; number: string };
let verificationUrl: string;
let currentAddress: string;

/** A small PDF in the temp folder, as a person's file to upload. */
function pdfFile(name: string, size = 4096): string {
  const body = Buffer.alloc(size, 0x20);
  Buffer.from('%PDF-1.7\n').copy(body);
  const file = path.join(tmp, name);
  fs.writeFileSync(file, body);
  return file;
}

const act = () => officer.getByRole('region', { name: new RegExp(`^(${zh['dossier.act.title']}|${zh['dossier.act.yourStep'].replace('{step}', '.+')})$`) });
const yourStep = (step: string) => act().getByRole('heading', { name: fill(zh['dossier.act.yourStep'], { step }) });
const summary = () => officer.getByRole('region', { name: zh['dossier.summary'] });
const main = () => citizen.locator('main');

describe('the residence permit: applied, supplemented, approved, verified', { timeout: 300_000 }, () => {
  before(async () => {
    ensureWebBuilt();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-e2e-residence-'));
    server = await startServer();
    browser = await launchChromium();
    // A living person of the demo population with the details the form prefills.
    const psb = await apiSignIn(server.baseUrl, 'psb.officer');
    const res = await fetch(`${server.baseUrl}/api/registries/population/records?where.status=living&pageSize=20&purpose=${encodeURIComponent('户籍核查')}`, { headers: { cookie: psb.cookie } });
    assert.equal(res.status, 200, await res.clone().text());
    const found = ((await res.json()) as { results: { key: string; data: Record<string, string>; masked?: string[] }[] }).results.find((r) => !r.masked?.length && r.data.name && r.data.birthDate && r.data.hukouAddress);
    assert.ok(found, 'the demo population has a living person with a birth date and a household address');
    person = { idNumber: found.key, name: found.data.name, birthDate: found.data.birthDate, hukouAddress: found.data.hukouAddress };
    ({ context: citizenContext, page: citizen } = await newPage(browser, { pageErrors, viewport: { width: 1280, height: 900 }, onPage: (p) => p.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url())) }));
  });

  after(async () => {
    await citizenContext?.close().catch(() => {});
    await officerContext?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the citizen registers, signs in, and opens the residence permit guide', async () => {
    await citizen.goto(`${server!.baseUrl}/`);
    await citizen.getByRole('link', { name: '注册', exact: true }).click();
    await citizen.getByRole('heading', { level: 1, name: '注册个人账户' }).waitFor();
    await citizen.getByLabel('姓名').fill(person.name);
    await citizen.getByLabel('公民身份号码').fill(person.idNumber);
    await citizen.getByLabel('手机号码').fill(PHONE);
    await citizen.getByLabel('密码').fill(PASSWORD);
    await citizen.getByRole('button', { name: '注册并核验' }).click();
    await citizen.getByRole('heading', { level: 1, name: '注册成功，已通过实名核验' }).waitFor();
    await citizen.getByRole('link', { name: '登录并进入我的空间' }).click();
    await citizen.waitForURL((url) => url.pathname.startsWith('/oidc/interaction/'));
    await citizen.getByRole('radio', { name: '个人或企业办事人' }).check();
    await citizen.locator('#login').fill(PHONE);
    await citizen.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await citizen.getByRole('button', { name: '登录', exact: true }).click();
    await citizen.waitForURL((url) => url.pathname === '/me');
    await citizen.getByRole('heading', { level: 1, name: '我的空间' }).waitFor();

    // Home, the life event "moving", the guide.
    await citizen.goto(`${server!.baseUrl}/`);
    await citizen.getByRole('link', { name: '居住迁移' }).click();
    await citizen.getByRole('heading', { level: 1, name: '居住迁移' }).waitFor();
    await citizen.getByRole('link', { name: '居住证申领' }).click();
    await citizen.getByRole('heading', { level: 1, name: '居住证申领' }).waitFor();
    const guide = await main().innerText();
    assert.ok(guide.includes(PSB_ZH), 'handled by the PSB');
    assert.match(guide, /无需提交：平台从基础信息库调取/);
    await assertAccessible(citizen, 'the residence permit guide');
  });

  it('applies: the identity comes from the population registry and is locked; a missing phone is refused; the PDFs are uploaded and it is sent', async () => {
    await citizen.getByRole('link', { name: '在线申请', exact: true }).click();
    await citizen.waitForURL((url) => url.pathname === `/services/${SERVICE}/apply`);
    await citizen.getByRole('heading', { level: 1, name: '居住证申领' }).waitFor();
    // Name, ID number, date of birth and household address: as text, with the registry named, no input.
    for (const [key, label, value] of [
      ['name', '姓名', person.name],
      ['idNumber', '公民身份号码', person.idNumber],
      ['birthDate', '出生日期', person.birthDate],
      ['hukouAddress', '户籍地址', person.hukouAddress],
    ] as const) {
      const field = citizen.locator(`#f-${key}`);
      assert.equal(await field.locator('.label').innerText(), label);
      assert.equal(await field.locator('.value').innerText(), value, `${label} from the registry`);
      assert.match(await field.locator('.hint').innerText(), /^来自人口基础信息库（.+读取），不能在此修改/);
      assert.equal(await citizen.locator(`[name="fd.${key}"]`).count(), 0, `${label} cannot be changed`);
      assert.equal(await field.locator('input, textarea, select').count(), 0);
    }
    assert.match(await main().innerText(), /以下材料由平台从基础信息库调取，您无需上传/);
    await assertAccessible(citizen, 'the application form');

    // Everything but the phone.
    const current = citizen.getByLabel(/^现居住地址/);
    if (!(await current.inputValue())) await current.fill('青云省云州市东城区人民路 8 号 3 单元 201 室');
    currentAddress = await current.inputValue();
    await citizen.getByRole('radio', { name: '就业' }).check();
    await citizen.getByLabel(/^就业单位或就读学校/).fill('云州市东城区图书馆');
    await citizen.getByLabel(/^来本地居住日期/).fill('2024-03-01');
    await citizen.getByRole('checkbox', { name: /本人承诺/ }).check();
    await citizen.getByRole('button', { name: '提交申请' }).click();
    const alert = citizen.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /申请未能提交[\s\S]*联系电话/);
    assert.match(await citizen.title(), /^错误：居住证申领/);
    assert.equal(await citizen.getByLabel(/^联系电话/).getAttribute('aria-invalid'), 'true');
    assert.equal(await citizen.getByLabel(/^就业单位或就读学校/).inputValue(), '云州市东城区图书馆', 'the answers are kept');
    assert.equal(await citizen.locator('#f-name .value').innerText(), person.name, 'the registry values are still shown');
    await assertAccessible(citizen, 'the application form with a problem');
    await alert.getByRole('link', { name: /联系电话/ }).click();
    assert.equal(await citizen.evaluate(() => document.activeElement?.id), 'f-phone', 'the summary link goes to the field');

    await citizen.getByLabel(/^联系电话/).fill(PHONE);
    await citizen.getByLabel(/^近期免冠证件照/).setInputFiles(pdfFile('photo.pdf'));
    await citizen.getByLabel(new RegExp(`^${PROOF_ZH.replace(/[()（）]/g, '.')}`)).setInputFiles(pdfFile('租赁合同.pdf'));
    await citizen.getByRole('button', { name: '提交申请' }).click();

    await citizen.getByRole('heading', { level: 1, name: '申请已提交' }).waitFor();
    const confirmation = new URL(citizen.url()).pathname.match(/^\/me\/applications\/([0-9a-f-]{36})\/confirmation$/);
    assert.ok(confirmation, citizen.url());
    const number = (await citizen.locator('.big').innerText()).trim();
    assert.match(number, /^\d{14}$/);
    application = { id: confirmation[1], number };
    const due = citizen.getByRole('row', { name: /受理决定期限/ });
    assert.match(await due.innerText(), /受理决定期限\s+\d{4}年\d{1,2}月\d{1,2}日/);
    assert.match(await main().innerText(), /前决定是否受理；逾期未决定的，自收到申请之日起即为受理/);
    await assertAccessible(citizen, 'the confirmation');

    await citizen.getByRole('link', { name: '查看和打印回执' }).click();
    await citizen.getByRole('heading', { level: 1, name: '申请材料接收回执' }).waitFor();
    const receipt = await main().innerText();
    assert.ok(receipt.includes(number));
    assert.match(receipt, /居住证申领/);
    assert.match(receipt, /租赁合同\.pdf/);
    assert.match(receipt, /photo\.pdf/);
    assert.ok(receipt.includes(PSB_ZH), 'issued by the PSB');
    assert.ok(!receipt.includes(person.idNumber), 'the ID number is masked');
    await assertAccessible(citizen, 'the receipt');
  });

  it('the PSB officer finds the acceptance step with its deadline and asks for a supplement', async () => {
    ({ context: officerContext, page: officer } = await signedInPage(browser!, server!.baseUrl, 'psb.officer', { pageErrors }));
    await officer.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh['nav.tasks'], exact: true }).click();
    await officer.getByRole('heading', { level: 1, name: zh['tasks.title'] }).waitFor();
    const row = officer.getByRole('region', { name: zh['tasks.list'] }).getByRole('row').filter({ hasText: application.number });
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(`${SERVICE.replace('.', '\\.')}\\s+${person.name}\\s+受理审查\\s+${zh['tasks.unassigned']}`));
    const deadline = row.locator('[data-warning]');
    assert.equal(await deadline.getAttribute('data-warning'), 'none');
    assert.match(await deadline.innerText(), /正常：剩余 \d+ 个工作日（.+到期）/);

    await row.getByRole('link', { name: `${zh['tasks.open']} ${application.number} 受理审查`, exact: true }).click();
    await officer.getByRole('heading', { level: 1, name: fill(zh['dossier.title'], { number: application.number }) }).waitFor();
    await summary().getByText('已提交，待受理').waitFor();
    await officer.getByRole('region', { name: zh['dossier.files.title'] }).getByRole('link', { name: fill(zh['dossier.files.download'], { name: '租赁合同.pdf' }) }).waitFor();
    await yourStep('受理审查').waitFor();
    await act().getByLabel(zh['dossier.accept.supplement'], { exact: true }).check();
    await act().getByLabel(fill(zh['dossier.accept.itemZh'], { n: 1 }), { exact: true }).fill(ITEM_ZH);
    await act().getByLabel(fill(zh['dossier.accept.itemEn'], { n: 1 }), { exact: true }).fill(ITEM_EN);
    await act().getByLabel(fill(zh['dossier.accept.itemMaterial'], { n: 1 }), { exact: true }).selectOption('residenceProof');
    await act().getByRole('button', { name: zh['dossier.accept.submit'], exact: true }).click();
    await officer.getByRole('status').filter({ hasText: zh['dossier.act.done'] }).waitFor();
    await summary().getByText('待补正材料').waitFor();
    const request = officer.getByRole('region', { name: zh['dossier.supplement.title'] });
    await request.getByText(ITEM_ZH).waitFor();
    assert.ok((await request.innerText()).includes(PROOF_ZH), 'the item names the material');
    await act().getByText(zh['dossier.act.noStep']).waitFor();
  });

  it('the citizen is told, reads the request (in English too) and sends the corrected file', async () => {
    await citizen.goto(`${server!.baseUrl}/me`);
    await citizen.getByRole('heading', { level: 1, name: '我的空间' }).waitFor();
    const messages = await main().innerText();
    assert.ok(messages.includes(`您的办件 ${application.number} 有新进展`), 'the message about the supplement request');
    assert.match(messages, /需要补正材料，请按补正通知一次性补齐/);
    await citizen.getByRole('table', { name: '我的办件' }).getByRole('link', { name: '居住证申领' }).click();
    await citizen.waitForURL((url) => url.pathname === `/me/applications/${application.id}`);
    await citizen.getByRole('heading', { level: 2, name: '状态: 待补正材料' }).waitFor();
    await citizen.getByRole('heading', { level: 2, name: '需要补正的内容' }).waitFor();
    await citizen.getByRole('listitem').filter({ hasText: ITEM_ZH }).waitFor();
    await citizen.getByLabel(PROOF_ZH, { exact: true }).waitFor();
    await assertAccessible(citizen, 'the application page with the supplement request');

    // The same page in English, where the citizen answers.
    await citizen.getByRole('link', { name: 'English', exact: true }).click();
    await citizen.getByRole('heading', { level: 2, name: 'What the department asks for' }).waitFor();
    assert.equal(await citizen.locator('html').getAttribute('lang'), 'en');
    await citizen.getByRole('heading', { level: 2, name: 'Status: Supplements requested' }).waitFor();
    await citizen.getByRole('listitem').filter({ hasText: ITEM_EN }).waitFor();
    await assertAccessible(citizen, 'the application page with the supplement request, in English');
    await citizen.getByLabel('Proof of residence (tenancy agreement or property certificate)', { exact: true }).setInputFiles(pdfFile('tenancy-signed.pdf', 6144));
    await citizen.getByRole('button', { name: 'Send the corrections', exact: true }).click();
    await citizen.getByRole('status').filter({ hasText: 'Your corrections were sent' }).waitFor();
    await citizen.getByRole('heading', { level: 2, name: 'Status: Submitted, awaiting acceptance' }).waitFor();
    assert.match(await main().innerText(), /tenancy-signed\.pdf/);
    await assertAccessible(citizen, 'the application page after the answer, in English');
    await citizen.getByRole('link', { name: '中文', exact: true }).click();
    await citizen.getByRole('heading', { level: 2, name: '状态: 已提交，待受理' }).waitFor();
  });

  it('the officer accepts, agrees at the verification and approves', async () => {
    await officer.reload();
    await yourStep('补正后受理审查').waitFor();
    await officer.getByRole('region', { name: zh['dossier.files.title'] }).getByRole('link', { name: fill(zh['dossier.files.download'], { name: 'tenancy-signed.pdf' }) }).waitFor();
    await act().getByLabel(zh['dossier.accept.accept'], { exact: true }).check();
    await act().getByRole('button', { name: zh['dossier.accept.submit'], exact: true }).click();
    await summary().getByText('已受理，审查中').waitFor();

    await yourStep('派出所核查居住信息').waitFor();
    await act().getByLabel(zh['dossier.review.agree'], { exact: true }).check();
    await act().getByLabel(zh['dossier.review.comment'], { exact: true }).fill('经核查，申请人在现居住地址实际居住');
    await act().getByRole('button', { name: zh['dossier.review.submit'], exact: true }).click();

    await yourStep('审批').waitFor();
    await act().getByLabel(zh['dossier.decide.approve'], { exact: true }).check();
    await act().getByLabel(zh['dossier.decide.comment'], { exact: true }).fill('符合居住证申领条件');
    await act().getByRole('button', { name: zh['dossier.decide.submit'], exact: true }).click();
    await summary().getByText(zh['dossier.decision.licence']).waitFor();
    await summary().getByText('准予许可', { exact: true }).first().waitFor();
    const history = officer.getByRole('region', { name: zh['dossier.history.title'] });
    for (const key of ['dossier.event.supplement_request', 'dossier.event.supplement_answer', 'dossier.event.accept', 'dossier.event.review_step', 'dossier.event.approve'] as const) await history.getByText(zh[key], { exact: true }).first().waitFor();
  });

  it('the citizen sees it approved, opens the licence with its QR code, and verifies it', async () => {
    await citizen.reload();
    await citizen.getByRole('heading', { level: 2, name: '状态: 准予许可' }).waitFor();
    await citizen.getByRole('link', { name: '查看电子证照' }).click();
    await citizen.waitForURL((url) => /^\/me\/licences\/[0-9a-f-]{36}$/.test(url.pathname));
    await citizen.getByRole('heading', { level: 1, name: '居住证申领' }).waitFor();
    const licence = await main().innerText();
    assert.match(licence, /状态: 有效/);
    assert.ok(licence.includes(person.name), 'the holder');
    assert.ok(licence.includes(person.idNumber), "the holder's ID number, in full for the holder");
    assert.ok(licence.includes(PSB_ZH), 'issued by the PSB');
    assert.match(licence, /电子印章验证通过/);
    // The licence's particulars: the application's answers.
    for (const [label, value] of [
      ['户籍地址', person.hukouAddress],
      ['现居住地址', currentAddress],
      ['居住事由', '就业 / Work'],
      ['就业单位或就读学校', '云州市东城区图书馆'],
      ['来本地居住日期', '2024-03-01'],
    ]) assert.ok(licence.includes(`${label}\t${value}`), `${label}: ${value} on the licence`);
    const qr = citizen.getByRole('img', { name: '证照核验二维码' });
    assert.equal(await qr.evaluate((el) => el.tagName.toLowerCase()), 'svg');
    assert.ok((await qr.locator('path').getAttribute('d'))!.length > 100, 'the QR code has its modules');
    await assertAccessible(citizen, 'the licence in my space');

    const link = citizen.locator('figure figcaption').getByRole('link');
    verificationUrl = (await link.getAttribute('href'))!;
    assert.match(verificationUrl, new RegExp(`^${server!.baseUrl.replace(/\./g, '\\.')}/licences/1\\.2\\.156\\.`));
    await link.click();
    await citizen.waitForURL((url) => url.pathname.startsWith('/licences/'));
    await citizen.getByRole('heading', { level: 1, name: '电子证照核验' }).waitFor();
    await citizen.getByRole('heading', { level: 2, name: '状态: 有效' }).waitFor();
    await citizen.getByRole('heading', { level: 2, name: '电子印章验证通过' }).waitFor();
    const verification = await main().innerText();
    assert.ok(verification.includes(PSB_ZH), 'issued by the PSB');
    assert.ok(verification.includes(`${PSB_ZH}行政审批专用章`), 'sealed with the PSB’s seal');
    assert.match(verification, /居住证申领/);
    await assertAccessible(citizen, 'the verification page');

    // Anyone, signed out, in English.
    const { context, page } = await newPage(browser!, { pageErrors, locale: 'en' });
    try {
      await page.goto(`${verificationUrl}?lang=en`);
      await page.getByRole('heading', { level: 1, name: 'Licence verification' }).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      await page.getByRole('heading', { level: 2, name: 'Status: Valid' }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'The seal verifies' }).waitFor();
      await page.getByRole('link', { name: 'Sign in', exact: true }).waitFor();
      const text = await page.locator('main').innerText();
      assert.ok(text.includes(PSB_EN), 'issued by the PSB');
      assert.ok(!text.includes(person.idNumber), "the holder's ID number is masked for the public");
      assert.ok(!text.includes(person.name), "the holder's name is masked for the public");
      assert.ok(!text.includes(person.hukouAddress) && !text.includes(currentAddress), "the holder's addresses are not shown to the public");
      assert.match(text, /partly hidden/);
      await assertAccessible(page, 'the verification page, signed out, in English');
    } finally {
      await context.close();
    }
    assert.deepEqual(scripts, [], 'no portal page loads JavaScript');
    assert.deepEqual(pageErrors, []);
  });
});
