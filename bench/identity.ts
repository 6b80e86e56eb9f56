// `npm run bench:identity [-- options]`: the identity figures of issue 7, each next to a
// baseline measured in this same run, because absolute times on this machine are noisy.
//   1. Token endpoint throughput, authorization code exchange. An `egov start` process on a
//      fresh database (a temp PGlite folder, or a new PostgreSQL database next to the one
//      DATABASE_URL names, dropped after) with EGOV_PUBLIC_URL at its own 127.0.0.1 address.
//      Setup, not measured: an organization admin registers a confidential client
//      (client_secret_basic) for a new business system through /api/identity/oidc-clients;
//      staff users sign in at the provider by posting its server-rendered form with a cookie
//      jar; then, with those sessions, each authorization code is one GET /oidc/auth (PKCE
//      S256, its own verifier, state and nonce; scope `openid profile org`). Measured:
//      POST /oidc/token (grant_type=authorization_code, HTTP Basic client secret,
//      code_verifier) over real HTTP (keep-alive, node:http) by CLIENTS concurrent clients,
//      each code used once: req/s, p50/p95/p99, and the server's CPU per exchange (plus the
//      PostgreSQL backends' and the commits on PostgreSQL). Codes live 60 s, so they are
//      prepared and spent in rounds (--batch codes or 20 s of preparing, whichever comes
//      first); only the exchanges are timed. A warm-up round comes first.
//      Baseline, in this process at the same concurrency: a bare `jose` SignJWT of the same
//      ID token (the header and claims of one the provider issued, ES256, fresh iat/exp)
//      plus an access token of the provider's format (opaque: 32 random bytes, base64url, as
//      oidc-provider's 43-character ids; if the provider issued a JWT, a second JWT of the
//      same claims). Goal: egov / baseline ≥ 0.3.
//   2. First-load JavaScript of the web app: the scripts web/dist/index.html loads first (its
//      module entry and any modulepreload), raw and gzipped, and the bytes egov actually sends
//      for them when asked with Accept-Encoding: gzip, br. Goal for the portal home page
//      ≤ 150 KB gzipped; the portal does not exist yet, so this is the workbench's entry.
//      Build first: `npm run build:web`.
// Options:
//   --codes N     exchanges measured (default 2,000)
//   --clients C   concurrent clients (default 8)
//   --batch B     codes prepared per round (default 1,000; a round prepares for 20 s at most)
//   --seconds S   baseline run time (default 5, after a 1 s warm-up)
//   --profile F   writes a CPU profile of the server during the measured exchanges to F
//                 (.cpuprofile; the server runs with --inspect, which costs it a little)
// BENCH_LOG_LEVEL sets the server's log level (default info: one line per request, to /dev/null).
import crypto from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import * as jose from 'jose';
import pg from 'pg';
import { createFreshPostgresDatabase } from '../src/test-support/database.ts';
import { backendCpu, commits, inspectorProfiler, processCpuMs } from './cpu.ts';
import { DEMO_PASSWORD, freePort, MAIN, ROOT, waitForHealth } from '../test/support/egov-process.ts';

const { values: options } = parseArgs({
  options: {
    codes: { type: 'string', default: '2000' },
    clients: { type: 'string', default: '8' },
    batch: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '5' },
    profile: { type: 'string' },
  },
});
const CODES = Number(options.codes);
const CLIENTS = Number(options.clients);
const BATCH = Number(options.batch);
const BASELINE_SECONDS = Number(options.seconds);
const WARMUP_CODES = Math.min(300, BATCH);
const PREPARE_SESSIONS = 4; // signed-in sessions preparing codes side by side
/** Codes live 60 s (AuthorizationCode ttl): a round prepares for at most this long, then spends them. */
const PREPARE_BUDGET_MS = 20_000;
const CALLBACK = 'http://127.0.0.1:9/callback';
const SCOPE = 'openid profile org';
const STAFF_USER = 'psb.officer';
const ADMIN_USER = 'psb.admin';
/** The server stops by itself after this long, whatever happens to this process. */
const SERVER_MAX_SECONDS = 30 * 60;

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}, load ${os.loadavg()[0].toFixed(1)}] ${line}`);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const fmt = (n: number) => Math.round(n).toLocaleString('en');

// ---- HTTP with cookies ----------------------------------------------------------------------

type Page = { status: number; location: string | undefined; body: string };

/** A minimal browser: one cookie jar, redirects followed by hand, forms posted as a browser does. */
function browser() {
  const jar = new Map<string, string>();
  async function request(url: string, init: { form?: Record<string, string>; json?: unknown; headers?: Record<string, string>; method?: string } = {}): Promise<Page> {
    const headers: Record<string, string> = { 'accept-language': 'zh-CN', ...init.headers };
    if (jar.size > 0) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const res = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, redirect: 'manual' });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      if (pair.slice(eq + 1) === '' || attributes.some((a) => /^\s*max-age=0/i.test(a))) jar.delete(name);
      else jar.set(name, pair.slice(eq + 1));
    }
    const location = res.headers.get('location') ?? undefined;
    return { status: res.status, location: location && new URL(location, url).href, body: await res.text() };
  }
  return {
    request,
    /** Follows redirects until one leaves for CALLBACK (returned, not fetched) or a page answers. */
    async follow(url: string, init: { form?: Record<string, string> } = {}): Promise<Page & { url: string }> {
      let page = await request(url, init);
      let at = url;
      for (let hops = 0; page.location && hops < 10; hops++) {
        if (page.location.startsWith(CALLBACK)) return { ...page, url: at };
        at = page.location;
        page = await request(at);
      }
      return { ...page, url: at };
    },
  };
}

/** The first form of a page: its action and hidden inputs. */
function formOf(page: { body: string; url: string }): { action: string; fields: Record<string, string> } {
  const form = /<form([^>]*)>([\s\S]*?)<\/form>/.exec(page.body);
  if (!form) throw new Error(`no form on ${page.url}: ${page.body.slice(0, 300)}`);
  const action = /action="([^"]*)"/.exec(form[1])?.[1] ?? page.url;
  const fields: Record<string, string> = {};
  for (const input of form[2].matchAll(/<input([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(input[1])?.[1];
    if (name && /type="hidden"/.test(input[1])) fields[name] = /value="([^"]*)"/.exec(input[1])?.[1] ?? '';
  }
  return { action: new URL(action.replaceAll('&amp;', '&'), page.url).href, fields };
}

// ---- the server -------------------------------------------------------------------------------

type Server = { timeout: ChildProcess; nodePid: number; baseUrl: string; inspectUrl?: string };

/** `egov start` under coreutils `timeout`, so it stops by itself even if this process dies. */
async function startEgov(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const nodePort = await freePort();
  const inspectPort = options.profile ? await freePort() : undefined;
  const baseUrl = `http://127.0.0.1:${port}`;
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    EGOV_DEMO_PASSWORD: DEMO_PASSWORD,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    EGOV_COOKIE_SECURE: 'false',
    HOST: '127.0.0.1',
    PORT: String(port),
    EGOV_PUBLIC_URL: baseUrl,
    EGOV_NODE_PORT: String(nodePort),
    EGOV_NODE_URL: `https://127.0.0.1:${nodePort}`,
    ...env,
  };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const inspect = inspectPort ? [`--inspect=127.0.0.1:${inspectPort}`] : [];
  const timeout = spawn('timeout', ['--kill-after=10', String(SERVER_MAX_SECONDS), process.execPath, ...inspect, MAIN, 'start'], { cwd: ROOT, env: childEnv, stdio: 'ignore' });
  await waitForHealth(baseUrl, timeout, 120_000);
  const children = fs.readFileSync(`/proc/${timeout.pid}/task/${timeout.pid}/children`, 'utf8').trim().split(/\s+/);
  return { timeout, nodePid: Number(children[0]), baseUrl, inspectUrl: inspectPort ? `http://127.0.0.1:${inspectPort}` : undefined };
}

async function stopEgov(server: Server): Promise<void> {
  if (server.timeout.exitCode !== null) return;
  const exited = new Promise((resolve) => server.timeout.once('exit', resolve));
  server.timeout.kill('SIGTERM'); // timeout passes it on to egov
  await exited;
}

// ---- setup: a client, sessions, codes ------------------------------------------------------------

type Client = { clientId: string; clientSecret: string };

async function registerClient(baseUrl: string): Promise<Client> {
  const admin = browser();
  const signIn = await admin.request(`${baseUrl}/api/session`, { json: { username: ADMIN_USER, password: DEMO_PASSWORD } });
  if (signIn.status !== 200) throw new Error(`admin sign-in: ${signIn.status} ${signIn.body}`);
  const session = JSON.parse(signIn.body) as { csrfToken: string; user: { orgId: string } };
  const headers = { 'x-csrf-token': session.csrfToken };
  const subsystem = await admin.request(`${baseUrl}/api/organizations/${session.user.orgId}/subsystems`, { headers, json: { code: `bench-rp-${Date.now()}`, nameZh: '基准测试业务系统', nameEn: 'Benchmark business system' } });
  if (subsystem.status !== 201) throw new Error(`subsystem: ${subsystem.status} ${subsystem.body}`);
  const created = await admin.request(`${baseUrl}/api/identity/oidc-clients`, {
    headers,
    json: { subsystemId: (JSON.parse(subsystem.body) as { id: string }).id, redirectUris: [CALLBACK], scopes: ['openid', 'profile', 'org'], authMethod: 'client_secret_basic' },
  });
  if (created.status !== 201) throw new Error(`client registration: ${created.status} ${created.body}`);
  const client = JSON.parse(created.body) as { clientId: string; clientSecret: string | null };
  if (!client.clientSecret) throw new Error('the client has no secret');
  return { clientId: client.clientId, clientSecret: client.clientSecret };
}

type Code = { code: string; verifier: string };

function authorizeUrl(baseUrl: string, client: Client) {
  const verifier = crypto.randomBytes(32).toString('base64url');
  const query = new URLSearchParams({
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: CALLBACK,
    scope: SCOPE,
    code_challenge: crypto.createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: crypto.randomBytes(12).toString('base64url'),
    nonce: crypto.randomBytes(12).toString('base64url'),
  });
  return { url: `${baseUrl}/oidc/auth?${query}`, verifier };
}

function codeOf(location: string | undefined): string {
  const url = location ? new URL(location) : undefined;
  const code = url?.searchParams.get('code');
  if (!url || !location!.startsWith(CALLBACK) || !code) throw new Error(`no code in the redirect: ${location}`);
  return code;
}

/** A staff user signed in at the provider: the first code comes with the sign-in. */
async function signedInSession(baseUrl: string, client: Client) {
  const b = browser();
  const first = authorizeUrl(baseUrl, client);
  const loginPage = await b.follow(first.url);
  if (loginPage.status !== 200) throw new Error(`login page: ${loginPage.status} ${loginPage.body.slice(0, 300)}`);
  const login = formOf(loginPage);
  const done = await b.follow(login.action, { form: { ...login.fields, kind: 'staff', login: STAFF_USER, password: DEMO_PASSWORD } });
  if (!done.location) throw new Error(`sign-in at the provider did not come back with a code: ${done.status} at ${done.url}: ${done.body.slice(0, 400)}`);
  return { browser: b, first: { code: codeOf(done.location), verifier: first.verifier } };
}

/**
 * Up to `n` codes from the signed-in sessions, each one GET /oidc/auth (and its redirects),
 * for at most PREPARE_BUDGET_MS, so that the oldest is still alive when the round spends it.
 */
async function prepareCodes(baseUrl: string, client: Client, sessions: ReturnType<typeof browser>[], n: number): Promise<Code[]> {
  const codes: Code[] = [];
  const start = performance.now();
  await Promise.all(
    sessions.map(async (b) => {
      while (codes.length < n && performance.now() - start < PREPARE_BUDGET_MS) {
        const { url, verifier } = authorizeUrl(baseUrl, client);
        const page = await b.follow(url);
        codes.push({ code: codeOf(page.location), verifier });
      }
    }),
  );
  return codes.slice(0, n);
}

// ---- the measured part --------------------------------------------------------------------------

type TokenResponse = { access_token: string; id_token: string; token_type: string; expires_in: number; scope: string };

function tokenRequest(agent: http.Agent, baseUrl: string, client: Client, code: Code): Promise<{ status: number; body: string }> {
  const url = new URL('/oidc/token', baseUrl);
  const body = new URLSearchParams({ grant_type: 'authorization_code', code: code.code, redirect_uri: CALLBACK, code_verifier: code.verifier }).toString();
  const basic = Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64');
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), accept: 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

type Measured = { done: number; wallMs: number; latencies: number[] };

/** Runs `work` for each item (or until `untilMs`) with `concurrency` workers; per-call latency. */
async function concurrently<T>(concurrency: number, work: (item: T | undefined) => Promise<void>, items: T[] | undefined, untilMs?: number): Promise<Measured> {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        if (items ? next >= items.length : performance.now() - start >= untilMs!) return;
        const item = items?.[next++];
        const t0 = performance.now();
        await work(item);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { done: latencies.length, wallMs: performance.now() - start, latencies };
}

type Figures = { rps: number; p50: number; p95: number; p99: number; n: number };
function figures(m: Measured): Figures {
  const sorted = [...m.latencies].sort((a, b) => a - b);
  return { rps: (m.done * 1000) / m.wallMs, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), n: m.done };
}

// ---- first-load JavaScript ------------------------------------------------------------------------

type FirstLoad = { files: string[]; raw: number; gzip6: number; gzip9: number; builtAt: Date; css: number };

function firstLoadJs(): FirstLoad | undefined {
  const dist = path.join(ROOT, 'web/dist');
  const indexFile = path.join(dist, 'index.html');
  if (!fs.existsSync(indexFile)) return undefined;
  const html = fs.readFileSync(indexFile, 'utf8');
  const scripts = [...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]);
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
  const styles = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
  const files = [...new Set([...scripts, ...preloads])];
  let raw = 0;
  let gzip6 = 0;
  let gzip9 = 0;
  for (const file of files) {
    const bytes = fs.readFileSync(path.join(dist, file.replace(/^\//, '')));
    raw += bytes.length;
    gzip6 += zlib.gzipSync(bytes).length;
    gzip9 += zlib.gzipSync(bytes, { level: 9 }).length;
  }
  const css = styles.reduce((sum, file) => sum + zlib.gzipSync(fs.readFileSync(path.join(dist, file.replace(/^\//, '')))).length, 0);
  return { files, raw, gzip6, gzip9, builtAt: fs.statSync(indexFile).mtime, css };
}

/** What egov sends for a path when the browser offers gzip and brotli: bytes on the wire and encoding. */
function served(baseUrl: string, pathname: string): Promise<{ status: number; bytes: number; encoding: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(new URL(pathname, baseUrl), { headers: { 'accept-encoding': 'gzip, deflate, br' } }, (res) => {
        let bytes = 0;
        res.on('data', (d: Buffer) => (bytes += d.length));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, encoding: String(res.headers['content-encoding'] ?? 'none') }));
      })
      .on('error', reject);
  });
}

// ---- the run ------------------------------------------------------------------------------------

const databaseUrl = process.env.DATABASE_URL || undefined;
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-bench-identity-'));
let fresh: Awaited<ReturnType<typeof createFreshPostgresDatabase>> | undefined;
let server: Server | undefined;
let admin: pg.Client | undefined;
try {
  console.log(`egov identity benchmark: ${os.cpus().length} × ${os.cpus()[0].model}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, ${new Date().toISOString()}`);
  const env: Record<string, string> = { EGOV_DATA_DIR: path.join(home, 'data') };
  let databaseName: string | undefined;
  if (databaseUrl) {
    fresh = await createFreshPostgresDatabase(databaseUrl);
    env.DATABASE_URL = fresh.url;
    databaseName = new URL(fresh.url).pathname.slice(1);
    admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    const version = (await admin.query<{ server_version: string }>('show server_version')).rows[0].server_version;
    log(`database: PostgreSQL ${version}, fresh database ${databaseName}`);
  } else {
    log('database: embedded PGlite, fresh data folder');
  }
  log(`${CLIENTS} clients, ${fmt(CODES)} measured exchanges in rounds of ${fmt(BATCH)} after ${WARMUP_CODES} for warm-up; server log level ${process.env.BENCH_LOG_LEVEL ?? 'info'}`);

  server = await startEgov(env);
  const { baseUrl } = server;
  log(`egov started at ${baseUrl} (pid ${server.nodePid})`);
  const discovery = (await (await fetch(`${baseUrl}/.well-known/openid-configuration`)).json()) as { issuer: string; token_endpoint: string; jwks_uri: string };
  if (discovery.issuer !== baseUrl || discovery.token_endpoint !== `${baseUrl}/oidc/token`) throw new Error(`unexpected discovery document: ${JSON.stringify(discovery)}`);

  const client = await registerClient(baseUrl);
  const sessions = await Promise.all(Array.from({ length: PREPARE_SESSIONS }, () => signedInSession(baseUrl, client)));
  log(`client ${client.clientId} registered; ${PREPARE_SESSIONS} sessions of ${STAFF_USER} signed in at the provider`);

  // One exchange checked in full: what the provider issues is what the baseline signs.
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const sample = await tokenRequest(agent, baseUrl, client, sessions[0].first);
  if (sample.status !== 200) throw new Error(`token exchange: ${sample.status} ${sample.body}`);
  const issued = JSON.parse(sample.body) as TokenResponse;
  const idHeader = jose.decodeProtectedHeader(issued.id_token);
  const idClaims = jose.decodeJwt(issued.id_token);
  const jwks = jose.createRemoteJWKSet(new URL(discovery.jwks_uri));
  await jose.jwtVerify(issued.id_token, jwks, { issuer: baseUrl, audience: client.clientId });
  const accessIsJwt = issued.access_token.split('.').length === 3;
  log(`issued: ID token ${idHeader.alg}, ${issued.id_token.length} chars, claims ${Object.keys(idClaims).join(', ')}; access token ${accessIsJwt ? 'JWT' : 'opaque'}, ${issued.access_token.length} chars; token response ${sample.body.length} bytes`);

  const prepared = sessions.map((s) => s.browser);
  const exchange = async (code: Code | undefined) => {
    const res = await tokenRequest(agent, baseUrl, client, code!);
    if (res.status !== 200 || !res.body.includes('"id_token"')) throw new Error(`token exchange: ${res.status} ${res.body}`);
  };
  // Warm-up round.
  await concurrently(CLIENTS, exchange, await prepareCodes(baseUrl, client, prepared, WARMUP_CODES));

  const pgCpu = admin && databaseName ? backendCpu(admin, databaseName) : undefined;
  // Profiles the first measured round only.
  let profiler = server.inspectUrl ? await inspectorProfiler(server.inspectUrl) : undefined;
  const all: Measured = { done: 0, wallMs: 0, latencies: [] };
  let serverCpu = 0;
  let databaseCpu = 0;
  let prepareMs = 0;
  let transactions = 0;
  for (let round = 1; all.done < CODES; round++) {
    const t0 = performance.now();
    const codes = await prepareCodes(baseUrl, client, prepared, Math.min(BATCH, CODES - all.done));
    const prepMs = performance.now() - t0;
    prepareMs += prepMs;
    await pgCpu?.start();
    const commits0 = admin && databaseName ? await commits(admin, databaseName) : 0;
    const cpu0 = processCpuMs(server.nodePid);
    await profiler?.start();
    const m = await concurrently(CLIENTS, exchange, codes);
    serverCpu += processCpuMs(server.nodePid) - cpu0;
    await profiler?.stop(options.profile!);
    profiler = undefined;
    databaseCpu += (await pgCpu?.stop()) ?? 0;
    if (admin && databaseName) {
      await new Promise((r) => setTimeout(r, 1500)); // statistics are flushed within a second or so
      transactions += (await commits(admin, databaseName)) - commits0;
    }
    all.done += m.done;
    all.wallMs += m.wallMs;
    all.latencies.push(...m.latencies);
    log(`round ${round}: ${codes.length} codes prepared in ${(prepMs / 1000).toFixed(1)} s, exchanged in ${(m.wallMs / 1000).toFixed(2)} s (${fmt((m.done * 1000) / m.wallMs)} req/s)`);
  }
  const egov = figures(all);
  const egovCpu = { server: serverCpu / all.done, database: pgCpu ? databaseCpu / all.done : undefined, commits: pgCpu ? transactions / all.done : undefined };

  // First-load JavaScript, and what egov sends for it.
  const firstLoad = firstLoadJs();
  const wire = firstLoad ? await Promise.all(firstLoad.files.map((file) => served(baseUrl, file))) : [];
  agent.destroy();
  await stopEgov(server);
  server = undefined;

  // Baseline: the same tokens signed with bare jose, at the same concurrency, in this process.
  const { privateKey } = await jose.generateKeyPair('ES256');
  const header = { ...idHeader, alg: 'ES256' };
  const lifetime = (idClaims.exp ?? 0) - (idClaims.iat ?? 0);
  const signOnce = async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { ...idClaims, iat: now, exp: now + lifetime, nonce: crypto.randomBytes(12).toString('base64url') };
    const idToken = await new jose.SignJWT(claims).setProtectedHeader(header).sign(privateKey);
    const accessToken = accessIsJwt ? await new jose.SignJWT({ ...claims, jti: crypto.randomBytes(16).toString('base64url') }).setProtectedHeader(header).sign(privateKey) : crypto.randomBytes(32).toString('base64url');
    if (idToken.length < 10 || accessToken.length < 10) throw new Error('nothing signed');
  };
  await concurrently(CLIENTS, signOnce, undefined, 1000);
  const cpuBefore = process.cpuUsage();
  const bareRun = await concurrently(CLIENTS, signOnce, undefined, BASELINE_SECONDS * 1000);
  const cpuUsed = process.cpuUsage(cpuBefore);
  const bare = figures(bareRun);
  const bareCpu = (cpuUsed.user + cpuUsed.system) / 1000 / bare.n;

  // ---- report ----
  const ratio = egov.rps / bare.rps;
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log('');
  console.log(`database: ${databaseUrl ? 'PostgreSQL' : 'PGlite (embedded)'}; ${CLIENTS} concurrent clients`);
  console.log(`what is compared: ID token ${header.alg} with ${Object.keys(idClaims).length} claims (${Object.keys(idClaims).join(', ')}), ${issued.id_token.length} chars; access token ${accessIsJwt ? 'a JWT (signed again in the baseline)' : `opaque, ${issued.access_token.length} chars (32 random bytes in the baseline; the provider also stores it)`}`);
  console.log(`egov POST /oidc/token (authorization code + PKCE, client_secret_basic), ${fmt(egov.n)} exchanges: ${fmt(egov.rps)} req/s, p50 ${ms(egov.p50)} ms, p95 ${ms(egov.p95)} ms, p99 ${ms(egov.p99)} ms; CPU per exchange ${egovCpu.server.toFixed(2)} ms server${egovCpu.database === undefined ? '' : ` + ${egovCpu.database.toFixed(2)} ms PostgreSQL, ${egovCpu.commits!.toFixed(1)} commits`} (codes prepared in ${(prepareMs / 1000).toFixed(1)} s, not counted)`);
  console.log(`bare jose sign of the same tokens, ${fmt(bare.n)} in ${BASELINE_SECONDS} s: ${fmt(bare.rps)} /s, p50 ${ms(bare.p50)} ms, p95 ${ms(bare.p95)} ms, p99 ${ms(bare.p99)} ms; CPU per sign ${bareCpu.toFixed(3)} ms`);
  if (firstLoad) {
    const onWire = wire.reduce((sum, w) => sum + w.bytes, 0);
    const encodings = [...new Set(wire.map((w) => w.encoding))].join(', ');
    console.log(
      `first-load JavaScript (web/dist built ${firstLoad.builtAt.toISOString()}, the workbench; there is no portal page yet): ${firstLoad.files.join(', ')}: ${kb(firstLoad.raw)} raw, ${kb(firstLoad.gzip6)} gzipped (level 6; ${kb(firstLoad.gzip9)} at level 9); egov sends ${kb(onWire)} for it (content-encoding: ${encodings}); CSS ${kb(firstLoad.css)} gzipped besides; portal goal ≤ 150 KB gzipped: the workbench's entry would ${firstLoad.gzip6 <= 150 * 1024 ? 'meet' : 'MISS'} it`,
    );
  } else {
    console.log('first-load JavaScript: web/dist/index.html not found; run `npm run build:web` first');
  }
  console.log(`token endpoint ratio (egov exchanges/s ÷ bare jose signs/s, ${CLIENTS} clients): ${ratio.toFixed(3)} (goal ≥ 0.3: ${verdict(ratio >= 0.3)})`);
} finally {
  if (server) await stopEgov(server);
  await admin?.end();
  await fresh?.drop();
  fs.rmSync(home, { recursive: true, force: true });
}
