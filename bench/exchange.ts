// `npm run bench:exchange [seconds]`: what the exchange's security work costs, between TWO
// nodes on loopback. 1 KB JSON POSTs, 50 concurrent clients, all measured in this run:
//   - direct:  client → backend;
//   - bare:    client → a plain node:http proxy → another one → backend (the same two hops,
//              no security work);
//   - egov:    client → node A /r1 (client check, signing, durable hash-chained log) → mutual
//              TLS → central node (access right, verification, signing, log) → backend, and the
//              signed answer verified by A before the client sees it.
// Then a 100 MB body through A → central, with both node processes' resident memory sampled.
// Printed last: egov / bare (goal ≥ 0.5), egov / direct (goal ≥ 0.2), the p99 egov adds over
// direct (goal ≤ 10 ms) and the RSS growth for 100 MB (goal ≤ 64 MB).
// BENCH_DATABASE_URL runs both nodes on PostgreSQL (a fresh database each); EGOV_TRUST_SUITE
// picks the members' key suite (default sm2-sm3, as an instance's).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { DEMO_ORGS, demoCreditCode } from '../src/demo/dataset.ts';
import { createFreshPostgresDatabase } from '../src/test-support/database.ts';
import { freePort, MAIN, signIn, startServer, stopServer, type RunningServer } from '../test/support/egov-process.ts';

const DURATION_S = Number(process.argv[2] ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const body = JSON.stringify({ query: 'x'.repeat(1000) });
const suite = process.env.EGOV_TRUST_SUITE ?? 'sm2-sm3';

async function helper(args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bench/exchange-servers.ts', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`helper ${args[0]} exited with ${code}`)));
  });
  return child;
}

async function load(url: string, headers: Record<string, string>) {
  const result = await autocannon({ url, method: 'POST', body, connections: CONNECTIONS, duration: DURATION_S, headers: { 'content-type': 'application/json', ...headers } });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx and ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function api(baseUrl: string, session: { cookie: string; csrf: string }, method: string, url: string, payload?: unknown) {
  const response = await fetch(`${baseUrl}${url}`, { method, headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json' }, body: payload === undefined ? undefined : JSON.stringify(payload) });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** Posts `bytes` of zeros through `url` while sampling the nodes' RSS; returns each node's growth. */
async function streamThrough(url: string, headers: Record<string, string>, bytes: number, pids: number[]) {
  const before = pids.map(rssMb);
  const peak = [...before];
  const sampler = setInterval(() => pids.forEach((pid, i) => (peak[i] = Math.max(peak[i], rssMb(pid)))), 20);
  const chunk = Buffer.alloc(64 * 1024);
  const answer = await new Promise<string>((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(bytes) } }, (response) => {
      let text = '';
      response.on('data', (c) => (text += c));
      response.on('end', () => (response.statusCode === 200 ? resolve(text) : reject(new Error(`${response.statusCode}: ${text}`))));
    });
    request.on('error', reject);
    let sent = 0;
    const write = () => {
      while (sent < bytes) {
        const part = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
        sent += part.length;
        if (!request.write(part)) return void request.once('drain', write);
      }
      request.end();
    };
    write();
  });
  clearInterval(sampler);
  return { answer, growth: peak.map((p, i) => p - before[i]) };
}

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-bench-exchange-'));
const children: ChildProcess[] = [];
const servers: RunningServer[] = [];
const drops: (() => Promise<void>)[] = [];
async function storage(name: string): Promise<Record<string, string>> {
  if (!process.env.BENCH_DATABASE_URL) return { EGOV_DATA_DIR: path.join(home, name) };
  const db = await createFreshPostgresDatabase(process.env.BENCH_DATABASE_URL);
  drops.push(db.drop);
  return { DATABASE_URL: db.url, EGOV_DATA_DIR: path.join(home, name) };
}

try {
  console.log(`egov exchange benchmark (two nodes, ${suite}, ${process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'embedded database'}): ${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}, ${new Date().toISOString()}`);
  const backendPort = await freePort();
  children.push(await helper(['backend', String(backendPort)]));
  const innerProxy = await freePort();
  children.push(await helper(['proxy', String(innerProxy), `http://127.0.0.1:${backendPort}`]));
  const outerProxy = await freePort();
  children.push(await helper(['proxy', String(outerProxy), `http://127.0.0.1:${innerProxy}`]));

  const serverOptions: Record<string, string> = process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {};
  // The central node hosts every demo department but civil affairs, whose welfare system calls
  // the public security department's household service from node A.
  const central = await startServer({ ...(await storage('central')), LOG_LEVEL: 'info', EGOV_TRUST_SUITE: suite, ...serverOptions }, 120_000, { discardOutput: true });
  servers.push(central);
  const psbIndex = DEMO_ORGS.findIndex((o) => o.key === 'psb');
  const caIndex = DEMO_ORGS.findIndex((o) => o.key === 'ca');
  const provider = `EGOV-DEMO/GOV/${demoCreditCode(DEMO_ORGS[psbIndex], psbIndex)}/hukou`;
  const civilAffairs = `EGOV-DEMO/GOV/${demoCreditCode(DEMO_ORGS[caIndex], caIndex)}`;
  const client = `${civilAffairs}/welfare`;
  const psb = await signIn(central.baseUrl, 'psb.admin');
  const psbOrg = (await (await fetch(`${central.baseUrl}/api/session`, { headers: { cookie: psb.cookie } })).json()).user.orgId;
  const subsystems = (await (await fetch(`${central.baseUrl}/api/organizations/${psbOrg}/subsystems`, { headers: { cookie: psb.cookie } })).json()).items;
  const service = await api(central.baseUrl, psb, 'POST', '/api/exchange/services', { subsystemId: subsystems[0].id, code: 'bench', backendUrl: `http://127.0.0.1:${backendPort}/query` });
  await api(central.baseUrl, psb, 'POST', `/api/exchange/services/${service.id}/rights`, { clientKind: 'subsystem', client });

  // Node A joins: anchor from the central operator, registration approved, certificates in.
  const admin = await signIn(central.baseUrl, 'dataadmin');
  const anchorFile = path.join(home, 'anchor.json');
  fs.writeFileSync(anchorFile, JSON.stringify(await api(central.baseUrl, admin, 'GET', '/api/exchange/anchor')));
  const nodePortA = await freePort();
  const nodeFile = path.join(home, 'dept-a.json');
  const storageA = await storage('dept-a');
  fs.writeFileSync(nodeFile, JSON.stringify({ nodeName: 'dept-a', nodeUrl: `https://127.0.0.1:${nodePortA}`, nodePort: nodePortA, nodeMembers: [civilAffairs], anchorFile, trustSuite: suite, dataDir: storageA.EGOV_DATA_DIR, ...(storageA.DATABASE_URL ? { databaseUrl: storageA.DATABASE_URL } : {}), globalConfRefreshSeconds: 2 }));
  // The welfare system authenticates to node A by its address, as X-Road's plain-HTTP clients do.
  const added = spawnSync(process.execPath, [MAIN, 'exchange', 'client', 'add', client, '--address', '127.0.0.1', '--node', nodeFile], { encoding: 'utf8', env: { ...process.env, EGOV_DEMO_PASSWORD: 'unused', LOG_LEVEL: 'warn' } });
  if (added.status !== 0) throw new Error(`client add failed: ${added.stderr}`);
  const nodeA = await startServer({ EGOV_NODE_FILE: nodeFile, LOG_LEVEL: 'info', ...serverOptions }, 120_000, { discardOutput: true });
  servers.push(nodeA);
  const registration = await until('the registration of dept-a', async () => ((await api(central.baseUrl, admin, 'GET', '/api/exchange/nodes/registrations?status=pending')) as { id: string; version: number }[])[0]);
  await api(central.baseUrl, admin, 'POST', `/api/exchange/nodes/registrations/${registration.id}/approve`, { version: registration.version });
  const egovUrl = `${nodeA.baseUrl}/r1/${provider}/bench/query`;
  const egovHeaders = { 'x-road-client': client };
  await until('a first call through dept-a', async () => ((await fetch(egovUrl, { method: 'POST', headers: egovHeaders, body })).status === 200 ? true : undefined));

  // Warm up each path, then measure them in turn.
  for (const [url, headers] of [[`http://127.0.0.1:${backendPort}/query`, {}], [`http://127.0.0.1:${outerProxy}/query`, {}], [egovUrl, egovHeaders]] as const) {
    await autocannon({ url, method: 'POST', body, connections: 10, duration: 2, headers: { 'content-type': 'application/json', ...headers } });
  }
  // BENCH_EGOV_ONLY=1 skips the baselines (for profiling the nodes).
  const egovOnly = process.env.BENCH_EGOV_ONLY === '1';
  const direct = egovOnly ? { rps: NaN, p50: NaN, p99: NaN } : await load(`http://127.0.0.1:${backendPort}/query`, {});
  const bare = egovOnly ? { rps: NaN, p50: NaN, p99: NaN } : await load(`http://127.0.0.1:${outerProxy}/query`, {});
  const exchange = await load(egovUrl, egovHeaders);

  const big = 100 * 1000 * 1000;
  const streamed = await streamThrough(egovUrl, egovHeaders, big, [nodeA.child.pid!, central.child.pid!]);
  console.log(`direct: ${direct.rps.toFixed(0)} req/s, p50 ${direct.p50} ms, p99 ${direct.p99} ms`);
  console.log(`bare two-hop proxy chain: ${bare.rps.toFixed(0)} req/s, p50 ${bare.p50} ms, p99 ${bare.p99} ms`);
  console.log(`egov A → central (two nodes): ${exchange.rps.toFixed(0)} req/s, p50 ${exchange.p50} ms, p99 ${exchange.p99} ms`);
  console.log(`100 MB body A → central → backend (answer ${streamed.answer.length} bytes): RSS growth node A ${streamed.growth[0].toFixed(1)} MB, central ${streamed.growth[1].toFixed(1)} MB`);
  console.log(`ratio egov / bare two-hop chain: ${(exchange.rps / bare.rps).toFixed(2)} (goal ≥ 0.5)`);
  console.log(`ratio egov / direct: ${(exchange.rps / direct.rps).toFixed(2)} (goal ≥ 0.2)`);
  console.log(`p99 added over direct: ${(exchange.p99 - direct.p99).toFixed(1)} ms (goal ≤ 10 ms)`);
  console.log(`RSS growth for 100 MB, worst node: ${Math.max(...streamed.growth).toFixed(1)} MB (goal ≤ 64 MB)`);
} finally {
  for (const server of servers.reverse()) await stopServer(server);
  for (const child of children) child.kill('SIGTERM');
  for (const drop of drops) await drop().catch(() => {});
  fs.rmSync(home, { recursive: true, force: true });
}
