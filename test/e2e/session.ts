// Signing in for the browser tests: a fresh browser context signed in the way a person does
// it (the workbench's sign-in page, then the platform's unified sign-in: the OpenID Connect
// provider's server-rendered form, then back in the workbench), and the API as a signed-in
// user outside the browser (for setup the page under test does not do itself). Not a test
// file itself.
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { zhCN as zh } from '../../web/src/i18n/zh-CN.ts';
import { DEMO_PASSWORD, demoTotp } from '../support/egov-process.ts';

/** How long one step (a click, a wait for text) may take before the test fails. */
export const STEP_TIMEOUT = 15_000;

export type PageOptions = {
  /** Collects the page's uncaught errors; the tests assert it stays empty. */
  pageErrors: string[];
  /** The browser's language: zh-CN unless told. */
  locale?: string;
  acceptDownloads?: boolean;
  /** The window's size: 1366×900 unless told. */
  viewport?: { width: number; height: number };
  /** Called with the new page before it goes anywhere, e.g. to watch its requests. */
  onPage?: (page: Page) => void;
};

export type BrowserPage = { context: BrowserContext; page: Page };

/** A page in a new browser context of its own (no cookies shared), at the workbench's size. */
export async function newPage(browser: Browser, options: PageOptions): Promise<BrowserPage> {
  const context = await browser.newContext({ locale: options.locale ?? 'zh-CN', viewport: options.viewport ?? { width: 1366, height: 900 }, ...(options.acceptDownloads ? { acceptDownloads: true } : {}) });
  context.setDefaultTimeout(STEP_TIMEOUT);
  const page = await context.newPage();
  page.on('pageerror', (error) => options.pageErrors.push(error.message));
  options.onPage?.(page);
  return { context, page };
}

/** The provider's sign-in page in Chinese (server-rendered, src/modules/identity/oidc/pages.ts and step-pages.ts). */
export const PROVIDER_ZH = { login: '用户名', password: '密码', submit: '登录', staff: '工作人员', signOut: '退出', code: '验证码', verify: '验证' };

/**
 * Fills in the provider's sign-in form the page is on (zh-CN) and submits it: staff as the
 * kind of account when there is a choice, the user name, the password. A demo administrator
 * (who has TOTP, as level 3 asks) then gets the code page: when the password was right, the
 * code of the demo secret is entered too.
 */
export async function signInAtProvider(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.waitForURL((url) => url.pathname.startsWith('/oidc/interaction/'));
  const staff = page.getByRole('radio', { name: PROVIDER_ZH.staff, exact: true });
  if ((await staff.count()) > 0) await staff.check();
  await page.getByLabel(PROVIDER_ZH.login).fill(username);
  await page.getByLabel(PROVIDER_ZH.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: PROVIDER_ZH.submit, exact: true }).click();
  if (password !== DEMO_PASSWORD) return;
  const totp = await demoTotp(username);
  if (!totp) return;
  const code = page.getByLabel(PROVIDER_ZH.code, { exact: true });
  await code.waitFor();
  await code.fill(totp);
  await page.getByRole('button', { name: PROVIDER_ZH.verify, exact: true }).click();
}

/**
 * Signs `page` in as a demo user (the page's language must be zh-CN): from the workbench's
 * sign-in page through the platform's unified sign-in, and waits until the workbench's
 * navigation shows. The context's cookies are cleared first, so a user signed in before (at
 * the workbench or at the provider) is not simply signed in again.
 */
export async function signInPage(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${baseUrl}/login`);
  await page.getByRole('link', { name: zh['signIn.platform.button'], exact: true }).click();
  await signInAtProvider(page, username);
  await page.waitForURL((url) => url.origin === baseUrl && !url.pathname.startsWith('/oidc/') && !url.pathname.startsWith('/api/') && url.pathname !== '/login');
  assert.notEqual(new URL(page.url()).pathname, '/account/password', `${username} was sent to change the password; demo accounts should be usable`);
  await page.getByRole('navigation', { name: zh['nav.label'] }).waitFor();
}

/** Signs out from the workbench's header, confirms at the provider, and waits for the sign-in page. */
export async function signOutPage(page: Page): Promise<void> {
  await page.getByRole('button', { name: zh['header.signOut'], exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/oidc/session/end');
  await page.getByRole('button', { name: PROVIDER_ZH.signOut, exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/login');
}

/** A new zh-CN browser context signed in as a demo user, on the page the sign-in leads to. */
export async function signedInPage(browser: Browser, baseUrl: string, username: string, options: PageOptions): Promise<BrowserPage> {
  const opened = await newPage(browser, options);
  await signInPage(opened.page, baseUrl, username);
  return opened;
}

export type ApiSession = {
  orgId: string;
  /** Calls the API with this session's cookie and CSRF token; fails the test on a status other than 2xx. */
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
};

/** The API as a signed-in demo user, outside the browser. */
export async function apiSession(baseUrl: string, username: string): Promise<ApiSession> {
  const totp = await demoTotp(username);
  const res = await fetch(`${baseUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD, ...(totp ? { totp } : {}) }) });
  assert.equal(res.status, 200, await res.clone().text());
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const session = (await res.json()) as { csrfToken: string; user: { orgId: string } };
  return {
    orgId: session.user.orgId,
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      const r = await fetch(`${baseUrl}${path}`, { method, headers: { cookie, 'x-csrf-token': session.csrfToken, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await r.text();
      assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}

/** The CSRF token of the browser's own session, for writes through `page.request` beside the page. */
export async function pageCsrfToken(page: Page, baseUrl: string): Promise<string> {
  const res = await page.request.get(`${baseUrl}/api/session`);
  return ((await res.json()) as { csrfToken: string }).csrfToken;
}
