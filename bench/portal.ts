// `npm run bench:portal [-- seconds]`: the portal home page's figures of issue 7, next to a
// baseline measured in this same run, because absolute times on this machine are noisy.
//   1. Server time of GET / (the province's home: events, the newest open datasets, the
//      cities; server-rendered, brotli when asked) on an `egov start` process over the demo
//      world (a temp PGlite folder, or a new PostgreSQL database next to DATABASE_URL's,
//      dropped after), CONNECTIONS keep-alive clients for SECONDS: req/s, p50/p95/p99.
//      Baseline: a bare node:http server in this process sending the very bytes egov sent
//      (the same compressed page, from memory), same clients, same time. Ratio egov/baseline.
//   2. Bytes transferred for the home page: the HTML raw, as sent with Accept-Encoding br, and
//      with gzip; and what else the page loads first (scripts: none; the stylesheet is inline).
//   3. First-load JavaScript of the home page, counted from the HTML's <script> elements
//      (goal ≤ 150 KB gzipped).
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import autocannon from 'autocannon';
import { createFreshPostgresDatabase } from '../src/test-support/database.ts';
import { startServer, stopServer } from '../test/support/egov-process.ts';

const SECONDS = Number(process.argv[2] ?? 10);
const CONNECTIONS = 16;
const HEADERS = { 'accept-encoding': 'br, gzip', 'accept-language': 'zh-CN,zh;q=0.9' };

type Run = { rps: number; p50: number; p95: number; p99: number; bytesPerReq: number };

async function load(url: string): Promise<Run> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers: HEADERS });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`load run had ${result.non2xx} non-2xx and ${result.errors} errors`);
  // autocannon's latency has p97_5 and p99; p95 is read from its histogram percentiles when present.
  const latency = result.latency as unknown as Record<string, number>;
  return { rps: result.requests.average, p50: latency.p50, p95: latency.p95 ?? latency.p97_5, p99: latency.p99, bytesPerReq: result.throughput.total / result.requests.total };
}

async function fetchBytes(url: string, encoding: string): Promise<{ body: Buffer; encoding: string | undefined; type: string | undefined }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { ...HEADERS, 'accept-encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ body: Buffer.concat(chunks), encoding: res.headers['content-encoding'], type: res.headers['content-type'] }));
    }).on('error', reject);
  });
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const ms = (n: number) => `${n.toFixed(1)} ms`;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-bench-portal-'));
let dropDatabase: (() => Promise<void>) | undefined;
const env: Record<string, string> = { EGOV_DATA_DIR: dataDir, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info' };
if (process.env.DATABASE_URL) {
  const fresh = await createFreshPostgresDatabase(process.env.DATABASE_URL);
  env.DATABASE_URL = fresh.url;
  dropDatabase = fresh.drop;
}
const database = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
let server: Awaited<ReturnType<typeof startServer>> | undefined;
let baseline: http.Server | undefined;
try {
  console.log(`portal benchmark: ${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}, ${database}, ${new Date().toISOString()}`);
  server = await startServer(env, 300_000, { discardOutput: true });
  const home = `${server.baseUrl}/`;

  // 2 and 3: what the page is.
  const raw = await fetchBytes(home, 'identity');
  const br = await fetchBytes(home, 'br');
  const gz = await fetchBytes(home, 'gzip');
  if (br.encoding !== 'br' || gz.encoding !== 'gzip') throw new Error(`the home page was not compressed (br: ${br.encoding}, gzip: ${gz.encoding})`);
  if (!zlib.brotliDecompressSync(br.body).equals(raw.body)) throw new Error('the brotli page does not decompress to the raw page');
  const html = raw.body.toString('utf8');
  const scripts = [...html.matchAll(/<script\b[^>]*>/gi)].length;
  const stylesheets = [...html.matchAll(/<link\b[^>]*rel="stylesheet"/gi)].length;
  console.log(`home page: ${kb(raw.body.length)} HTML raw, ${kb(br.body.length)} sent with brotli, ${kb(gz.body.length)} with gzip; ${scripts} scripts, ${stylesheets} external stylesheets`);
  console.log(`first-load JavaScript of the home page: ${scripts === 0 ? '0 KB (no scripts)' : `${scripts} scripts`} (goal ≤ 150 KB gzipped)`);

  // 1. Server time, egov then the baseline.
  await load(home); // warm-up: caches, JIT
  const egov = await load(home);
  baseline = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'br', vary: 'accept-encoding', 'cache-control': 'no-cache' });
    res.end(br.body);
  });
  await new Promise<void>((resolve) => baseline!.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(baseline.address() as { port: number }).port}/`;
  await load(baseUrl);
  const bare = await load(baseUrl);
  console.log(`egov GET / (${CONNECTIONS} clients, ${SECONDS} s): ${egov.rps.toFixed(0)} req/s, p50 ${ms(egov.p50)}, p95 ${ms(egov.p95)}, p99 ${ms(egov.p99)}, ${kb(egov.bytesPerReq)} per response with headers`);
  console.log(`baseline, the same bytes from memory (node:http): ${bare.rps.toFixed(0)} req/s, p50 ${ms(bare.p50)}, p95 ${ms(bare.p95)}, p99 ${ms(bare.p99)}`);
  console.log(`ratio egov/baseline throughput: ${(egov.rps / bare.rps).toFixed(3)}`);
} finally {
  baseline?.close();
  if (server) await stopServer(server);
  await dropDatabase?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
