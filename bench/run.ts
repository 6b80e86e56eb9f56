// `npm run bench`: the foundation's three figures, each next to a baseline measured in
// this same run on this same machine, because absolute times are noisy here.
//   1. cold start to the first 200 on /api/health, on existing embedded data (goal ≤ 3 s);
//   2. throughput of GET /api/organizations?q=… signed in, as a ratio to a bare Fastify
//      route returning the same JSON from memory (goal ≥ 0.5);
//   3. resident memory after start (goal ≤ 300 MB).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { DEMO_PASSWORD, freePort, signIn, startServer, stopServer, waitForHealth } from '../test/support/egov-process.ts';

const DURATION_S = Number(process.argv[2] ?? 8);
const CONNECTIONS = 16;
const QUERY = `/api/organizations?q=${encodeURIComponent('公安')}`;

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function load(url: string, headers: Record<string, string>) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`load run had ${result.non2xx} non-2xx and ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-bench-'));
const env = { EGOV_DATA_DIR: dataDir, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info' }; // the default level: one log line per request, as in production
try {
  console.log(`egov benchmarks: ${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}, ${new Date().toISOString()}`);

  // Prepare existing embedded data: the first start creates, migrates and seeds it.
  const prepare = await startServer(env);
  await stopServer(prepare);

  // 1. Cold start on existing data, against a bare Fastify process as the baseline.
  const bodyFile = path.join(dataDir, 'body.json');
  fs.writeFileSync(bodyFile, '{}');
  const coldRuns: number[] = [];
  const bareRuns: number[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    let t0 = performance.now();
    const egov = spawn(process.execPath, ['src/main.ts', 'start'], { env: { ...process.env, ...env, PORT: String(port), EGOV_DEMO_PASSWORD: DEMO_PASSWORD }, stdio: 'ignore' });
    await waitForHealth(`http://127.0.0.1:${port}`, egov, 60_000);
    coldRuns.push(performance.now() - t0);
    await stopServer({ child: egov, baseUrl: '', output: () => '' });

    const barePort = await freePort();
    t0 = performance.now();
    const bare = spawn(process.execPath, ['bench/baseline-server.ts', bodyFile, String(barePort)], { stdio: 'ignore' });
    await waitForHealth(`http://127.0.0.1:${barePort}`, bare, 60_000);
    bareRuns.push(performance.now() - t0);
    await stopServer({ child: bare, baseUrl: '', output: () => '' });
  }
  const cold = median(coldRuns);
  const bareCold = median(bareRuns);

  // 2 and 3. Throughput and memory.
  const server = await startServer(env, 90_000, { discardOutput: true });
  await new Promise((r) => setTimeout(r, 1000));
  const egovRss = rssMb(server.child.pid!);
  const { cookie } = await signIn(server.baseUrl, 'psb.officer');
  const sample = await fetch(`${server.baseUrl}${QUERY}`, { headers: { cookie } });
  const body = await sample.text();
  if (sample.status !== 200 || !body.includes('公安')) throw new Error(`search did not answer as expected: ${sample.status}`);
  fs.writeFileSync(bodyFile, body);
  await load(`${server.baseUrl}${QUERY}`, { cookie }); // warm-up, not counted
  const egovLoad = await load(`${server.baseUrl}${QUERY}`, { cookie });
  await stopServer(server);

  const barePort = await freePort();
  const bare = spawn(process.execPath, ['bench/baseline-server.ts', bodyFile, String(barePort)], { stdio: 'ignore' });
  await waitForHealth(`http://127.0.0.1:${barePort}`, bare, 60_000);
  await new Promise((r) => setTimeout(r, 1000));
  const bareRss = rssMb(bare.pid!);
  await load(`http://127.0.0.1:${barePort}${QUERY}`, {});
  const bareLoad = await load(`http://127.0.0.1:${barePort}${QUERY}`, {});
  await stopServer({ child: bare, baseUrl: '', output: () => '' });

  const ratio = egovLoad.rps / bareLoad.rps;
  const verdict = (ok: boolean) => (ok ? 'meets goal' : 'MISSES goal');
  console.log('');
  console.log(`cold start to first 200 on /api/health (existing embedded data, median of 3): ${(cold / 1000).toFixed(2)} s; bare Fastify ${(bareCold / 1000).toFixed(2)} s; goal ≤ 3 s: ${verdict(cold <= 3000)}`);
  console.log(`GET ${decodeURIComponent(QUERY)} signed in: ${egovLoad.rps.toFixed(0)} req/s (p99 ${egovLoad.p99} ms); bare Fastify same JSON: ${bareLoad.rps.toFixed(0)} req/s (p99 ${bareLoad.p99} ms); ${CONNECTIONS} connections × ${DURATION_S} s`);
  console.log(`resident memory after start: ${egovRss.toFixed(0)} MB; bare Fastify ${bareRss.toFixed(0)} MB; goal ≤ 300 MB: ${verdict(egovRss <= 300)}`);
  console.log(`cold-start ratio to bare Fastify: ${(cold / bareCold).toFixed(2)}`);
  console.log(`throughput ratio to bare Fastify: ${ratio.toFixed(2)} (goal ≥ 0.5: ${verdict(ratio >= 0.5)})`);
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
