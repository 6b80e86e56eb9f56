// The app under test: a real HTTP stack (through app.inject) on a fresh database, with a
// small world: a provincial government, two departments and one account per role. The
// administrators have TOTP on with TEST_TOTP_SECRET, as level 3 asks, and signIn gives
// their code.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type EgovApp } from '../app.ts';
import { loadConfig, type Config } from '../config.ts';
import type { Clock } from '../platform/clock.ts';
import { manualClock } from '../platform/clock.ts';
import type { Organization } from '../modules/directory/index.ts';
import { mustUseTotp } from '../modules/identity/index.ts';
import { localOperator } from '../platform/actor.ts';
import { openTestDatabase } from './database.ts';
import { TEST_MASTER_KEY, TEST_PASSWORD, buildOrganization, buildUser, newCreditCode } from './factories.ts';
import { sleep, totpCodes } from './totp-codes.ts';

/** The test world's administrators' TOTP secret (base32). */
export const TEST_TOTP_SECRET = 'TESTTOTPSECRETFORADMINS234567ABC';

export type TestUser = { id: string; username: string; orgId: string };

export type World = {
  province: Organization;
  deptA: Organization;
  deptB: Organization;
  platformAdmin: TestUser;
  securityAdmin: TestUser;
  auditor: TestUser;
  adminA: TestUser;
  officerA: TestUser;
  adminB: TestUser;
};

type InjectOptions = { as?: TestUser; body?: unknown; headers?: Record<string, string>; csrf?: boolean };

export type TestApp = EgovApp & {
  config: Config;
  clock: ReturnType<typeof manualClock>;
  world: World;
  request(method: string, url: string, options?: InjectOptions): Promise<{ statusCode: number; body: string; json: any; headers: Record<string, unknown> }>;
  signIn(user: TestUser): Promise<{ cookie: string; csrfToken: string }>;
  forgetSessions(): void;
};

export async function createTestApp(options: { env?: Record<string, string>; clock?: Clock } = {}): Promise<TestApp> {
  const { database, drop } = await openTestDatabase();
  // Files a node keeps beside its database (spooled bodies, log archives) go to a folder of its own.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-test-'));
  const config = loadConfig({ NODE_ENV: 'test', EGOV_DATA_DIR: dataDir, EGOV_COOKIE_SECURE: 'true', EGOV_SIGNIN_RATE_LIMIT: '1000', EGOV_MASTER_KEY: TEST_MASTER_KEY, ...options.env });
  const clock = manualClock(new Date());
  const app = await createApp(config, { database, clock: options.clock ?? clock });

  const s = app.services;
  const province = await buildOrganization(s, { nameZh: '浙江省人民政府', nameEn: 'Zhejiang Provincial Government', type: 'government', divisionCode: '330000', creditCode: newCreditCode('330000') });
  const deptA = await buildOrganization(s, { parentId: province.id, nameZh: '浙江省公安厅', nameEn: 'Zhejiang Public Security Department' });
  const deptB = await buildOrganization(s, { parentId: province.id, nameZh: '浙江省民政厅', nameEn: 'Zhejiang Civil Affairs Department' });
  const mk = async (username: string, orgId: string, roles: Parameters<typeof buildUser>[1]['roles']) => {
    const u = await buildUser(s, { username, orgId, roles });
    if (mustUseTotp(roles)) await s.identity.staffTotp.installKnownSecret(localOperator('test'), u.id, TEST_TOTP_SECRET);
    return { id: u.id, username: u.username, orgId };
  };
  const [platformAdmin, securityAdmin, auditor, adminA, officerA, adminB] = await Promise.all([
    mk('platform', deptA.id, ['platform_admin']),
    mk('security', deptA.id, ['security_admin']),
    mk('auditor', deptA.id, ['audit_admin']),
    mk('admin-a', deptA.id, ['org_admin']),
    mk('officer-a', deptA.id, ['officer']),
    mk('admin-b', deptB.id, ['org_admin']),
  ]);
  const world: World = { province, deptA, deptB, platformAdmin, securityAdmin, auditor, adminA, officerA, adminB };

  // The world's administrators sign in with a code; when none is fresh, a manual clock moves
  // on to the next step (a clock of the test's own that cannot be moved: real time passes).
  const appClock = options.clock ?? clock;
  const codeFor = totpCodes(TEST_TOTP_SECRET, () => appClock.now(), (ms) => ('advance' in appClock && typeof appClock.advance === 'function' ? appClock.advance(ms) : sleep(ms)));
  // Any account with two-step sign-in on signs in with a code of TEST_TOTP_SECRET: the
  // world's administrators, and those a test turns it on for (enableTestTotp).
  const hasTotp = async (user: TestUser) =>
    (await app.services.database.db.selectFrom('identity.staff_totp').select('user_id').where('user_id', '=', user.id).where('enabled_at', 'is not', null).executeTakeFirst()) !== undefined;

  const sessions = new Map<string, { cookie: string; csrfToken: string }>();
  async function signIn(user: TestUser) {
    const totp = (await hasTotp(user)) ? { totp: await codeFor(user.username) } : {};
    const res = await app.http.inject({ method: 'POST', url: '/api/session', payload: { username: user.username, password: TEST_PASSWORD, ...totp } });
    if (res.statusCode !== 200) throw new Error(`sign-in of ${user.username} failed: ${res.statusCode} ${res.body}`);
    const cookie = String(res.headers['set-cookie']).split(';')[0];
    const session = { cookie, csrfToken: res.json().csrfToken as string };
    sessions.set(user.username, session);
    return session;
  }

  async function request(method: string, url: string, opts: InjectOptions = {}) {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.as) {
      const session = sessions.get(opts.as.username) ?? (await signIn(opts.as));
      headers.cookie = session.cookie;
      if (opts.csrf !== false) headers['x-csrf-token'] = session.csrfToken;
    }
    const res = await app.http.inject({ method: method as 'GET', url, headers, ...(opts.body !== undefined ? { payload: opts.body as object } : {}) });
    let json: any;
    try {
      json = res.json();
    } catch {
      json = undefined;
    }
    return { statusCode: res.statusCode, body: res.body, json, headers: res.headers };
  }

  return {
    ...app,
    config,
    clock,
    world,
    request,
    signIn,
    forgetSessions: () => sessions.clear(),
    // Call from a top-level after(): a hook registered inside before() would run too early.
    async close() {
      await app.close();
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Turns two-step sign-in on for a user a test built (administrators must have it) with TEST_TOTP_SECRET, which signIn answers. */
export async function enableTestTotp(t: TestApp, user: { id: string }): Promise<void> {
  await t.services.identity.staffTotp.installKnownSecret(localOperator('test'), user.id, TEST_TOTP_SECRET);
}
