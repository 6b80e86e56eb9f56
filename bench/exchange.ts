// `npm run bench:exchange [seconds]`: the cost of the exchange's security work, on ONE node
// for now (issue 4 is in progress; the two-node figures need the node-to-node transport).
// 1 KB JSON POSTs, 50 concurrent clients, all measured in this run:
//   - direct:  client → backend;
//   - bare:    client → a plain node:http proxy → backend (no security work);
//   - egov:    client → egov /r1 (token, access right, signing both sides, durable hash-
//              chained log of both sides) → backend.
// Printed last: egov / bare (goal ≥ 0.5 for the two-node chain), egov / direct (goal ≥ 0.2),
// and the p99 latency egov adds over direct (goal ≤ 10 ms).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { DEMO_ORGS, demoCreditCode } from '../src/demo/dataset.ts';
import { freePort, signIn, startServer, stopServer } from '../test/support/egov-process.ts';

const DURATION_S = Number(process.argv[2] ?? 8);
const CONNECTIONS = 50;
const body = JSON.stringify({ query: 'x'.repeat(1000) });

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

async function api(baseUrl: string, session: { cookie: string; csrf: string }, method: string, url: string, payload: unknown) {
  const response = await fetch(`${baseUrl}${url}`, { method, headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-bench-exchange-'));
const children: ChildProcess[] = [];
try {
  console.log(`egov exchange benchmark (one node): ${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}, ${new Date().toISOString()}`);
  const backendPort = await freePort();
  children.push(await helper(['backend', String(backendPort)]));
  const proxyPort = await freePort();
  children.push(await helper(['proxy', String(proxyPort), `http://127.0.0.1:${backendPort}`]));

  // EGOV_TRUST_SUITE picks the suite the members' exchange keys use (default sm2-sm3, as an instance's).
  const egov = await startServer({ ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : { EGOV_DATA_DIR: dataDir }), LOG_LEVEL: 'info', EGOV_TRUST_SUITE: process.env.EGOV_TRUST_SUITE ?? 'sm2-sm3', ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}) });
  try {
    // A service of the public security department's household system; the civil affairs department's welfare system may call it.
    const psbIndex = DEMO_ORGS.findIndex((o) => o.key === 'psb');
    const caIndex = DEMO_ORGS.findIndex((o) => o.key === 'ca');
    const provider = `EGOV-DEMO/GOV/${demoCreditCode(DEMO_ORGS[psbIndex], psbIndex)}/hukou`;
    const client = `EGOV-DEMO/GOV/${demoCreditCode(DEMO_ORGS[caIndex], caIndex)}/welfare`;
    const psb = await signIn(egov.baseUrl, 'psb.admin');
    const psbOrg = (await (await fetch(`${egov.baseUrl}/api/session`, { headers: { cookie: psb.cookie } })).json()).user.orgId;
    const subsystems = (await (await fetch(`${egov.baseUrl}/api/organizations/${psbOrg}/subsystems`, { headers: { cookie: psb.cookie } })).json()).items;
    const service = await api(egov.baseUrl, psb, 'POST', '/api/exchange/services', { subsystemId: subsystems[0].id, code: 'bench', backendUrl: `http://127.0.0.1:${backendPort}/query` });
    await api(egov.baseUrl, psb, 'POST', `/api/exchange/services/${service.id}/rights`, { clientKind: 'subsystem', client });
    const ca = await signIn(egov.baseUrl, 'ca.admin');
    const token = (await api(egov.baseUrl, ca, 'POST', '/api/tokens', { name: 'bench', expiresInDays: 1 })).token as string;
    const egovUrl = `${egov.baseUrl}/r1/${provider}/bench/query`;
    const egovHeaders = { 'x-road-client': client, authorization: `Bearer ${token}` };

    // Warm up each path, then measure them in turn.
    for (const [url, headers] of [[`http://127.0.0.1:${backendPort}/query`, {}], [`http://127.0.0.1:${proxyPort}/query`, {}], [egovUrl, egovHeaders]] as const) {
      await autocannon({ url, method: 'POST', body, connections: 10, duration: 2, headers: { 'content-type': 'application/json', ...headers } });
    }
    const direct = await load(`http://127.0.0.1:${backendPort}/query`, {});
    const bare = await load(`http://127.0.0.1:${proxyPort}/query`, {});
    const exchange = await load(egovUrl, egovHeaders);
    console.log(`direct: ${direct.rps.toFixed(0)} req/s, p50 ${direct.p50} ms, p99 ${direct.p99} ms`);
    console.log(`bare one-hop proxy: ${bare.rps.toFixed(0)} req/s, p50 ${bare.p50} ms, p99 ${bare.p99} ms`);
    console.log(`egov /r1 (one node): ${exchange.rps.toFixed(0)} req/s, p50 ${exchange.p50} ms, p99 ${exchange.p99} ms`);
    console.log(`ratio egov / bare proxy: ${(exchange.rps / bare.rps).toFixed(2)} (goal ≥ 0.5, for the two-node chain)`);
    console.log(`ratio egov / direct: ${(exchange.rps / direct.rps).toFixed(2)} (goal ≥ 0.2)`);
    console.log(`p99 added over direct: ${(exchange.p99 - direct.p99).toFixed(1)} ms (goal ≤ 10 ms)`);
  } finally {
    await stopServer(egov);
  }
} finally {
  for (const child of children) child.kill('SIGTERM');
  fs.rmSync(dataDir, { recursive: true, force: true });
}
