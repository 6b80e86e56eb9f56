// The workbench in a real browser against the real server on a fresh database: sign-in,
// creating and finding an organization, switching language, and the audit trail it leaves.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildCreditCode } from '../../src/platform/codes/credit-code.ts';
import { en } from '../../web/src/i18n/en.ts';
import { zhCN } from '../../web/src/i18n/zh-CN.ts';
import { assertControlsLabelled, ensureWebBuilt, launchChromium, startServer, type RunningServer } from './harness.ts';
import { DEMO_PASSWORD } from './harness.ts';
import { newPage, PROVIDER_ZH, signInAtProvider, signInPage, signOutPage } from './session.ts';

const zh = zhCN;

type TreeNode = { id: string; nameZh: string; nameEn: string; type: string; level: string; status: string; children: TreeNode[] };
type SessionBody = { user: { username: string; displayName: string; roles: string[] } };

let server: RunningServer | undefined;
let browser: Browser | undefined;
let page: Page;
const pageErrors: string[] = [];

// Unique per run, so a rerun against a reused database would still find exactly one match.
const suffix = String(Date.now()).slice(-8);
const newOrg = {
  nameZh: `端到端测试局${suffix}`,
  nameEn: `E2E Test Bureau ${suffix}`,
  creditCode: '',
  id: '',
};
let province: { id: string; nameZh: string; nameEn: string; divisionCode: string; divisionName: string };

async function signIn(username: string): Promise<void> {
  await signInPage(page, server!.baseUrl, username);
}

async function apiGet<T>(path: string): Promise<T> {
  const response = await page.request.get(`${server!.baseUrl}${path}`);
  assert.equal(response.status(), 200, `GET ${path} returned ${response.status()}: ${await response.text()}`);
  return (await response.json()) as T;
}

describe('web workbench', { timeout: 180_000 }, () => {
  before(async () => {
    ensureWebBuilt();
    server = await startServer();
    browser = await launchChromium();
    ({ page } = await newPage(browser, { pageErrors }));
  });

  after(async () => {
    // Runs after failures too: never leave the server or the browser behind.
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('serves the app for deep links and asks to sign in', async () => {
    await page.goto(`${server!.baseUrl}/organizations`);
    await page.waitForURL((url) => url.pathname === '/login');
    assert.equal(new URL(page.url()).searchParams.get('next'), '/organizations');
    await page.getByRole('heading', { level: 1, name: zh['signIn.title'] }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    assert.equal(await page.title(), `${zh['signIn.title']} - ${zh['app.name']}`);
    // The skip link is the first thing a keyboard user reaches.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), zh['app.skipToContent']);
    await assertControlsLabelled(page);
  });

  it('signs in through the platform sign-in, which shows a readable error for a wrong password, tied to the field', async () => {
    await page.getByRole('link', { name: zh['signIn.platform.button'], exact: true }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/oidc/interaction/'));
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    await assertControlsLabelled(page);
    await signInAtProvider(page, 'dataadmin', 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /用户名或密码错误/);
    const password = page.getByLabel(PROVIDER_ZH.password, { exact: true });
    assert.equal(await password.getAttribute('aria-invalid'), 'true');
    const describedBy = await password.getAttribute('aria-describedby');
    assert.match(await page.locator(`#${describedBy}`).innerText(), /用户名或密码错误/, 'the password field is described by the error');
    // The right password now: back in the workbench, on the page first asked for.
    await signInAtProvider(page, 'dataadmin', DEMO_PASSWORD);
    await page.waitForURL((url) => url.pathname === '/organizations');
    await page.getByRole('navigation', { name: zh['nav.label'] }).waitFor();
  });

  it('signs in as the platform administrator and shows the modules for the roles', async () => {
    await signIn('dataadmin');
    const session = await apiGet<SessionBody>('/api/session');
    assert.ok(session.user.roles.includes('platform_admin'), `dataadmin roles: ${session.user.roles.join(',')}`);
    const nav = page.getByRole('navigation', { name: zh['nav.label'] });
    await nav.getByRole('link', { name: zh['nav.organizations'], exact: true }).waitFor();
    await nav.getByRole('link', { name: zh['nav.tokens'], exact: true }).waitFor();
    const roles = session.user.roles;
    const expectUsers = roles.includes('security_admin') || roles.includes('org_admin');
    assert.equal(await nav.getByRole('link', { name: zh['nav.users'], exact: true }).count(), expectUsers ? 1 : 0);
    assert.equal(await nav.getByRole('link', { name: zh['nav.audit'], exact: true }).count(), roles.includes('audit_admin') ? 1 : 0);
    assert.match(await page.locator('header').innerText(), new RegExp(session.user.displayName));
  });

  it('reads the province government from the tree, keyboard-operable', async () => {
    const tree = await apiGet<{ roots: TreeNode[] }>('/api/organizations/tree?status=active');
    const root = tree.roots.find((node) => node.type === 'government' && node.level === 'province');
    assert.ok(root, `no province government among the roots: ${JSON.stringify(tree.roots.map((r) => [r.nameZh, r.type, r.level]))}`);
    assert.ok(root.children.length > 0, 'the demo province government has departments under it');

    await page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh['nav.organizations'], exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/organizations');
    const treePanel = page.getByRole('region', { name: zh['org.tree.title'] });
    const toggle = treePanel.getByRole('button', { name: zh['org.tree.collapse'].replace('{name}', root.nameZh), exact: true });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const firstChild = treePanel.getByRole('link', { name: root.children[0].nameZh, exact: true });
    await firstChild.waitFor();
    await toggle.focus();
    await page.keyboard.press('Enter');
    const expandButton = treePanel.getByRole('button', { name: zh['org.tree.expand'].replace('{name}', root.nameZh), exact: true });
    assert.equal(await expandButton.getAttribute('aria-expanded'), 'false');
    await firstChild.waitFor({ state: 'hidden' });
    await page.keyboard.press('Space');
    await firstChild.waitFor({ state: 'visible' });

    await treePanel.getByRole('link', { name: root.nameZh, exact: true }).click();
    await page.waitForURL((url) => url.pathname === `/organizations/${root.id}`);
    await page.getByRole('heading', { level: 1, name: root.nameZh }).waitFor();
    const field = (name: string) => page.locator(`[data-field="${name}"] dd`);
    assert.equal(await field('type').innerText(), zh['orgType.government']);
    assert.equal(await field('level').innerText(), zh['level.province']);
    const divisionCode = (await field('divisionCode').innerText()).trim();
    assert.match(divisionCode, /^\d{2}0000$/, 'a province division code');
    province = { id: root.id, nameZh: root.nameZh, nameEn: root.nameEn, divisionCode, divisionName: (await field('divisionName').innerText()).trim() };
  });

  it('creates a child organization under the province government', async () => {
    assert.ok(province, 'the previous step read the province government');
    newOrg.creditCode = buildCreditCode('1', '1', province.divisionCode, suffix);
    await page.getByRole('link', { name: zh['org.action.addChild'], exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/organizations/new' && url.searchParams.get('parentId') === province.id);
    await page.getByRole('heading', { level: 1, name: zh['org.form.createTitle'] }).waitFor();
    const parent = page.getByLabel(zh['org.field.parent'], { exact: true });
    assert.equal(await parent.inputValue(), province.id, 'the parent is preselected');

    await page.getByLabel(zh['org.field.nameZh'], { exact: true }).fill(newOrg.nameZh);
    await page.getByLabel(zh['org.field.nameEn'], { exact: true }).fill(newOrg.nameEn);
    await page.getByLabel(zh['org.field.creditCode'], { exact: true }).fill(newOrg.creditCode);
    await page.getByLabel(zh['org.field.divisionCode'], { exact: true }).fill(province.divisionCode);
    // The division lookup names the code that was typed.
    await page.locator('.division-status', { hasText: province.divisionName || province.divisionCode }).waitFor();
    await page.getByLabel(zh['org.field.type'], { exact: true }).selectOption('organ');
    await assertControlsLabelled(page);
    await page.getByRole('button', { name: zh['common.create'], exact: true }).click();

    await page.waitForURL((url) => /^\/organizations\/[0-9a-f-]{36}$/.test(url.pathname));
    newOrg.id = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByRole('heading', { level: 1, name: newOrg.nameZh }).waitFor();
    await page.getByRole('status').filter({ hasText: zh['org.created'] }).waitFor();
    const field = (name: string) => page.locator(`[data-field="${name}"] dd`);
    assert.equal((await field('creditCode').innerText()).trim(), newOrg.creditCode);
    assert.equal((await field('parent').innerText()).trim(), province.nameZh);
    assert.equal(await field('type').innerText(), zh['orgType.organ']);
    assert.equal(await field('status').innerText(), zh['status.active']);

    const stored = await apiGet<{ parentId: string; creditCode: string; nameEn: string }>(`/api/organizations/${newOrg.id}`);
    assert.deepEqual([stored.parentId, stored.creditCode, stored.nameEn], [province.id, newOrg.creditCode, newOrg.nameEn]);
  });

  it('shows server field errors next to the field', async () => {
    await page.goto(`${server!.baseUrl}/organizations/new?parentId=${province.id}`);
    await page.getByLabel(zh['org.field.nameZh'], { exact: true }).fill(`${newOrg.nameZh}乙`);
    await page.getByLabel(zh['org.field.nameEn'], { exact: true }).fill(`${newOrg.nameEn} B`);
    // Wrong check character: the last one of a valid code, changed.
    const bad = newOrg.creditCode.slice(0, 17) + (newOrg.creditCode[17] === '0' ? '1' : '0');
    await page.getByLabel(zh['org.field.creditCode'], { exact: true }).fill(bad);
    await page.getByLabel(zh['org.field.divisionCode'], { exact: true }).fill(province.divisionCode);
    await page.getByRole('button', { name: zh['common.create'], exact: true }).click();
    await page.getByRole('alert').waitFor();
    const creditInput = page.getByLabel(zh['org.field.creditCode'], { exact: true });
    assert.equal(await creditInput.getAttribute('aria-invalid'), 'true');
    const describedBy = (await creditInput.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
    assert.ok(errorId, `the credit code field points at its error: ${describedBy}`);
    assert.notEqual((await page.locator(`#${errorId}`).innerText()).trim(), '');
    assert.equal(new URL(page.url()).pathname, '/organizations/new', 'nothing was created');
  });

  it('finds the new organization by name and by credit code', async () => {
    await page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh['nav.organizations'], exact: true }).click();
    const results = page.getByRole('region', { name: zh['org.results.title'] });
    const keyword = page.getByLabel(zh['org.search.q'], { exact: true });
    for (const query of [newOrg.nameZh.slice(0, -2), newOrg.creditCode]) {
      await keyword.fill(query);
      await page.getByRole('button', { name: zh['common.search'], exact: true }).click();
      await page.waitForURL((url) => url.searchParams.get('q') === query);
      // The region is busy until the results for this query have arrived.
      await page.locator('section[aria-busy="false"]', { has: page.getByRole('heading', { name: zh['org.results.title'] }) }).waitFor();
      await results.getByRole('link', { name: newOrg.nameZh, exact: true }).waitFor();
      assert.equal(await results.locator('tbody tr').count(), 1, `exactly one result for ${query}`);
      assert.equal(await results.getByText(zh['org.results.count'].replace('{total}', '1'), { exact: true }).count(), 1);
    }
    await page.screenshot({ path: '/tmp/egov-e2e-organizations.png', fullPage: true });
  });

  it('switches to English and back, and remembers the choice', async () => {
    const nav = page.getByRole('navigation', { name: zh['nav.label'] });
    await page.getByRole('group', { name: zh['lang.label'] }).getByRole('button', { name: 'English', exact: true }).click();
    const enNav = page.getByRole('navigation', { name: en['nav.label'] });
    await enNav.getByRole('link', { name: en['nav.organizations'], exact: true }).waitFor();
    assert.equal(await nav.count(), 0, 'the Chinese navigation label is gone');
    assert.equal(await page.getByRole('link', { name: zh['nav.organizations'], exact: true }).count(), 0);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    // Organization names follow the language too.
    await page.getByRole('region', { name: en['org.results.title'] }).getByRole('link', { name: newOrg.nameEn, exact: true }).waitFor();

    await page.reload();
    await enNav.getByRole('link', { name: en['nav.organizations'], exact: true }).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('egov.lang')), 'en');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await page.title(), `${en['org.title']} - ${en['app.name']}`);

    await page.getByRole('group', { name: en['lang.label'] }).getByRole('button', { name: '中文', exact: true }).click();
    await nav.getByRole('link', { name: zh['nav.organizations'], exact: true }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    assert.equal(await page.evaluate(() => localStorage.getItem('egov.lang')), 'zh-CN');
  });

  it('signs out, of the platform sign-in too', async () => {
    await signOutPage(page);
    await page.getByRole('status').filter({ hasText: zh['signIn.signedOut'] }).waitFor();
    const response = await page.request.get(`${server!.baseUrl}/api/session`);
    assert.equal(response.status(), 401, 'the session is gone on the server');
  });

  it('lets the auditor find the creation in the audit log, export it and verify the chain', async () => {
    await signIn('auditor');
    const nav = page.getByRole('navigation', { name: zh['nav.label'] });
    assert.equal(await nav.getByRole('link', { name: zh['nav.users'], exact: true }).count(), 0, 'auditors do not manage users');
    await nav.getByRole('link', { name: zh['nav.audit'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: zh['audit.title'] }).waitFor();
    await assertControlsLabelled(page);

    // The action filter suggests every known action by name, and module prefixes.
    const actionInput = page.getByLabel(zh['audit.filter.action'], { exact: true });
    const suggestions = await page.locator(`datalist#${await actionInput.getAttribute('list')} option`).evaluateAll((options) =>
      (options as HTMLOptionElement[]).map((o) => [o.value, o.textContent]),
    );
    assert.deepEqual(
      suggestions.find(([value]) => value === 'directory.organization.create'),
      ['directory.organization.create', zh['audit.action.directory.organization.create']],
    );
    assert.ok(suggestions.some(([value]) => value === 'directory.'), 'a module prefix is offered');
    await actionInput.fill('directory.organization.create');
    await page.getByRole('button', { name: zh['common.search'], exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('action') === 'directory.organization.create');
    // The subject links to the organization, by its name.
    const subject = page.getByRole('link', { name: newOrg.nameZh, exact: true });
    await subject.waitFor();
    assert.equal(await subject.getAttribute('href'), `/organizations/${newOrg.id}`);
    const row = page.locator('tbody tr', { has: subject });
    const cells = await row.locator('td').allInnerTexts();
    // The action in words, with its code underneath for searching.
    const actionCell = row.locator('td.action-cell');
    assert.equal(await actionCell.innerText(), `${zh['audit.action.directory.organization.create']}\ndirectory.organization.create`, `row: ${cells.join(' | ')}`);
    assert.equal(await actionCell.locator('.mono').innerText(), 'directory.organization.create');
    assert.ok(cells.includes('dataadmin'), `the actor is shown: ${cells.join(' | ')}`);
    assert.ok(cells.includes(zh['audit.outcome.success']), `the outcome is translated: ${cells.join(' | ')}`);

    const exportLink = page.getByRole('link', { name: zh['audit.export'], exact: true });
    const href = (await exportLink.getAttribute('href')) ?? '';
    assert.match(href, /^\/api\/audit\/export\.csv\?/);
    assert.equal(new URL(href, server!.baseUrl).searchParams.get('action'), 'directory.organization.create');
    const csv = await page.request.get(`${server!.baseUrl}${href}`);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()['content-type'] ?? '', /text\/csv/);
    assert.match(await csv.text(), new RegExp(newOrg.id));

    await page.screenshot({ path: '/tmp/egov-e2e-audit.png', fullPage: true });

    await page.getByRole('button', { name: zh['audit.verify'], exact: true }).click();
    const ok = zh['audit.verify.ok'].split('{rows}')[0];
    await page.getByRole('status').filter({ hasText: ok }).waitFor();
  });

  it('raised no uncaught errors in the page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
