// Test support: a minimal browser for the provider's pages over real HTTP. It keeps cookies
// (per name, as one host's jar), follows redirects by hand and posts forms as a browser would.
import assert from 'node:assert/strict';
import net from 'node:net';
import { localOperator } from '../../../platform/actor.ts';
import type { TestApp, TestUser } from '../../../test-support/test-app.ts';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export type Page = { status: number; url: string; location: string | undefined; body: string };

export function createBrowser(acceptLanguage = 'zh-CN,zh;q=0.9,en;q=0.5') {
  const jar = new Map<string, string>();
  async function request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Page> {
    const headers: Record<string, string> = { 'accept-language': acceptLanguage };
    if (jar.size > 0) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(url, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const expired = attributes.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a)) || pair.slice(eq + 1) === '';
      if (expired) jar.delete(name);
      else jar.set(name, pair.slice(eq + 1));
    }
    const location = res.headers.get('location') ?? undefined;
    return { status: res.status, url, location: location && new URL(location, url).href, body: await res.text() };
  }
  return {
    jar,
    request,
    /** Follows redirects until one leaves for `stopAt` (returned, not fetched) or a page answers. */
    async follow(url: string, stopAt: string, init: { form?: Record<string, string> } = {}): Promise<Page> {
      let page = await request(url, init);
      for (let hops = 0; page.location && hops < 10; hops++) {
        if (page.location.startsWith(stopAt)) return page;
        page = await request(page.location);
      }
      return page;
    },
  };
}

/** The form of a page: its action and hidden inputs. */
export function formOf(page: Page, id?: string): { action: string; fields: Record<string, string> } {
  const forms = [...page.body.matchAll(/<form([^>]*)>([\s\S]*?)<\/form>/g)];
  const form = id ? forms.find((f) => f[1].includes(`id="${id}"`)) : forms[0];
  assert.ok(form, `no form on ${page.url}: ${page.body.slice(0, 300)}`);
  const action = /action="([^"]*)"/.exec(form[1])?.[1] ?? page.url;
  const fields: Record<string, string> = {};
  for (const input of form[2].matchAll(/<input([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(input[1])?.[1];
    const type = /type="([^"]*)"/.exec(input[1])?.[1];
    if (name && type === 'hidden') fields[name] = /value="([^"]*)"/.exec(input[1])?.[1] ?? '';
  }
  return { action: new URL(action.replaceAll('&amp;', '&'), page.url).href, fields };
}

let counter = 0;
/** A business system of the user's organization and a sign-in client for it, registered through the API. */
export async function registerClient(t: TestApp, admin: TestUser, overrides: Record<string, unknown> = {}) {
  const subsystem = await t.services.directory.service.createSubsystem(localOperator('test'), admin.orgId, { code: `rp${++counter}-${Date.now()}`, nameZh: '测试业务系统', nameEn: 'Test business system' });
  const res = await t.request('POST', '/api/identity/oidc-clients', {
    as: admin,
    body: {
      subsystemId: subsystem.id,
      redirectUris: ['http://127.0.0.1:9/callback'],
      postLogoutRedirectUris: ['http://127.0.0.1:9/signed-out'],
      scopes: ['openid', 'profile', 'org', 'offline_access'],
      authMethod: 'client_secret_basic',
      ...overrides,
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  return { subsystem, client: res.json as { clientId: string; clientSecret: string | null; version: number } };
}
