// Runs egov as a real child process on its own data (a temp PGlite folder, or a fresh
// PostgreSQL database when DATABASE_URL is set), for tests that need real processes:
// crash safety, the CLI and the browser tests.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DEMO_TOTP_SECRET, demoUsers } from '../../src/demo/dataset.ts';
import { mustUseTotp } from '../../src/modules/identity/policy.ts';
import { createFreshPostgresDatabase, testDatabaseUrl } from '../../src/test-support/database.ts';
import { sleep, totpCodes } from '../../src/test-support/totp-codes.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const MAIN = path.join(ROOT, 'src/main.ts');
export const DEMO_PASSWORD = 'Demo#2026pass';

// The demo's administrators sign in with a code of the documented demo secret (level 3).
// Codes are accepted once, so one account's next sign-in in this process waits, if need be,
// for a fresh code (at most one 30-second step).
const demoAdmins = new Set(demoUsers().filter((u) => mustUseTotp(u.roles)).map((u) => u.username));
const demoCode = totpCodes(DEMO_TOTP_SECRET, () => new Date(), sleep);

/** The TOTP code for a demo administrator's sign-in; undefined for other accounts. */
export async function demoTotp(username: string): Promise<string | undefined> {
  return demoAdmins.has(username) ? demoCode(username) : undefined;
}

export type DataHome = { env: Record<string, string>; describe: string; cleanup(): Promise<void> };

/** A fresh place for egov's data: env vars to pass to the child, and a cleanup. */
export async function freshDataHome(): Promise<DataHome> {
  const base = testDatabaseUrl();
  if (base) {
    const db = await createFreshPostgresDatabase(base);
    return { env: { DATABASE_URL: db.url }, describe: 'postgres', cleanup: db.drop };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-data-'));
  return { env: { EGOV_DATA_DIR: dir }, describe: 'pglite', cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', EGOV_DEMO_PASSWORD: DEMO_PASSWORD, LOG_LEVEL: 'warn', EGOV_COOKIE_SECURE: 'false', HOST: '127.0.0.1', ...extra };
  if (!extra.DATABASE_URL) delete env.DATABASE_URL;
  return env;
}

export function runCli(args: string[], extraEnv: Record<string, string>): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [MAIN, ...args], { env: childEnv(extraEnv), encoding: 'utf8', timeout: 120_000 });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export type RunningServer = { child: ChildProcess; baseUrl: string; output: () => string };

/** `discardOutput` sends the server's log to /dev/null, so reading it costs a benchmark nothing. */
export async function startServer(extraEnv: Record<string, string>, timeoutMs = 90_000, options: { discardOutput?: boolean } = {}): Promise<RunningServer> {
  const port = await freePort();
  // Every server also opens a node port; parallel tests must not share the default one.
  const nodePort = extraEnv.EGOV_NODE_PORT ?? String(await freePort());
  extraEnv = { EGOV_NODE_PORT: nodePort, EGOV_NODE_URL: `https://127.0.0.1:${nodePort}`, ...extraEnv };
  const stdio = options.discardOutput ? (['ignore', 'ignore', 'ignore'] as const) : (['ignore', 'pipe', 'pipe'] as const);
  const baseUrl = `http://127.0.0.1:${port}`;
  // The address the tests use is the public one: the workbench signs in through the provider
  // at EGOV_PUBLIC_URL, and its cookies must be the ones the tests' browser sends.
  const child = spawn(process.execPath, [MAIN, 'start'], { cwd: ROOT, env: childEnv({ EGOV_PUBLIC_URL: baseUrl, ...extraEnv, PORT: String(port) }), stdio: [...stdio] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  try {
    await waitForHealth(baseUrl, child, timeoutMs);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}:\n${output}`);
  }
  return { child, baseUrl, output: () => output };
}

/** Polls GET /api/health until it answers 200; fails if the process exits or time runs out. */
export async function waitForHealth(baseUrl: string, child: ChildProcess, timeoutMs: number, pollMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the process exited with ${child.exitCode} before it was healthy`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`GET /api/health did not answer 200 within ${timeoutMs} ms`);
}

/** Stops the server with `signal`, and with SIGKILL if it has not exited 10 s later. */
export async function stopServer(server: RunningServer, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (server.child.exitCode !== null) return server.child.exitCode;
  const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
  server.child.kill(signal);
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

export async function signIn(baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<{ cookie: string; csrf: string }> {
  const totp = await demoTotp(username);
  const res = await fetch(`${baseUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password, ...(totp ? { totp } : {}) }) });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}
