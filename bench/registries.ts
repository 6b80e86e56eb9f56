// `npm run bench:registries [-- options]`: the base registries' figures, each next to a
// baseline measured in this same run on this same database, because absolute times are noisy.
//   1. Import: N generated persons (CSV) through egov's import (every field validated,
//      references checked, a record and a version with provenance per person), against a raw
//      COPY of the same rows into a bare table (goal ratio ≥ 0.3). Two bare tables are loaded:
//      the same rows as JSON documents keyed by ID number (what egov's records table keeps;
//      the goal's baseline) and one text column per field (the plain CSV bytes, for reference).
//   2. Lookup by ID number: GET /api/registries/population/records/:idNumber signed in as the
//      owner's officer (session, authorization, projection, and one row in registries.reads
//      per read), against a bare Fastify route doing the same indexed select without any of it;
//      50 connections over many different ID numbers (goal ratio ≥ 0.5, p99 ≤ 10 ms).
//   3. Sizes: the database, the records and versions tables (and the bare tables).
// Options:
//   --persons N           persons on PostgreSQL (default 1,000,000; with --scale 10,000,000);
//   --scale               the scale run: 10,000,000 persons on PostgreSQL only (takes long);
//   --pglite-persons N    persons on the embedded database (default 100,000; 0 skips it);
//   --only postgres|pglite
//   --seconds S           each lookup load (default 10, after a 3 s warm-up).
// BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server on
// which a fresh database is created for the run and dropped after it.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import autocannon from 'autocannon';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createPopulation, PERSON_FIELDS } from '../src/modules/registries/generate/generate.ts';
import { POPULATION } from '../src/modules/registries/index.ts';
import { writeRecords, type OutputFormat } from '../src/modules/registries/generate/output.ts';
import { createFreshPostgresDatabase } from '../src/test-support/database.ts';
import { freePort, signIn, startServer, stopServer, waitForHealth, type RunningServer } from '../test/support/egov-process.ts';
import { backendCpu, commits, processCpuMs } from './cpu.ts';
import { egovImport, prepareRegistry } from './registries-import.ts';

const { values: options } = parseArgs({
  options: {
    persons: { type: 'string' },
    scale: { type: 'boolean', default: false },
    'pglite-persons': { type: 'string' },
    only: { type: 'string' },
    seconds: { type: 'string' },
  },
});
const PG_PERSONS = Number(options.persons ?? (options.scale ? 10_000_000 : 1_000_000));
const PGLITE_PERSONS = Number(options['pglite-persons'] ?? 100_000);
const SECONDS = Number(options.seconds ?? 10);
const CONNECTIONS = 50;
const SAMPLE_IDS = 100_000;
const BASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const run = { postgres: options.only !== 'pglite', pglite: !options.scale && options.only !== 'postgres' && PGLITE_PERSONS > 0 };

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-bench-registries-'));
const servers: RunningServer[] = [];
const children: ChildProcess[] = [];
const drops: (() => Promise<void>)[] = [];

// The load average goes with every step: on a shared two-core machine it says whether a figure was measured alone.
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}, load ${os.loadavg()[0].toFixed(1)}] ${line}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const perSecond = (n: number, ms: number) => Math.round((n * 1000) / ms).toLocaleString('en');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** persons.csv and persons.jsonl: the same generated rows in both formats. */
async function generate(dir: string, persons: number): Promise<{ csv: string; jsonl: string }> {
  fs.mkdirSync(dir, { recursive: true });
  const population = createPopulation({ persons });
  const files = { csv: path.join(dir, 'persons.csv'), jsonl: path.join(dir, 'persons.jsonl') };
  for (const format of ['csv', 'jsonl'] as OutputFormat[]) {
    await writeRecords(fs.createWriteStream(files[format]), population.persons(), { format, fields: PERSON_FIELDS });
  }
  return files;
}

/** About `want` ID numbers spread evenly over the file. */
async function sampleIds(csv: string, persons: number, want: number): Promise<string[]> {
  const stride = Math.max(1, Math.floor(persons / want));
  const ids: string[] = [];
  let row = -1;
  for await (const line of readline.createInterface({ input: fs.createReadStream(csv) })) {
    if (row++ >= 0 && row % stride === 0) ids.push(line.slice(0, line.indexOf(',')));
  }
  return ids;
}

/** A lookup load's figures; CPU per request for the server process and its database backends. */
type Load = { rps: number; p50: number; p99: number; requests: number; serverCpuMs: number; databaseCpuMs?: number; commits?: number };
/** The database the server under load uses on PostgreSQL, seen from another connection. */
type Watch = { admin: pg.Client; database: string };

/**
 * Warm-up, then the measured load: CONNECTIONS clients, each request for a random ID number.
 * Around the measured part: the server's CPU and, on PostgreSQL, its backends' CPU and commits.
 */
async function lookupLoad(baseUrl: string, pathOf: (id: string) => string, ids: string[], headers: Record<string, string>, pid: number, watch?: Watch): Promise<Load> {
  const options = (duration: number) => ({
    url: baseUrl,
    connections: CONNECTIONS,
    duration,
    headers,
    requests: [{ method: 'GET' as const, setupRequest: (request: autocannon.Request) => ({ ...request, path: pathOf(ids[Math.floor(Math.random() * ids.length)]) }) }],
  });
  await autocannon(options(3));
  const backends = watch && backendCpu(watch.admin, watch.database);
  await backends?.start();
  const commitsBefore = watch && (await commits(watch.admin, watch.database));
  const cpuBefore = processCpuMs(pid);
  const result = await autocannon(options(SECONDS));
  const serverCpu = processCpuMs(pid) - cpuBefore;
  const databaseCpu = await backends?.stop();
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${baseUrl}: ${result.non2xx} non-2xx and ${result.errors} errors`);
  const n = result.requests.total;
  let committed: number | undefined;
  if (watch) {
    await new Promise((resolve) => setTimeout(resolve, 1500)); // statistics reach pg_stat_database within a second
    committed = (await commits(watch.admin, watch.database)) - commitsBefore!;
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, requests: n, serverCpuMs: serverCpu / n, databaseCpuMs: databaseCpu === undefined ? undefined : databaseCpu / n, commits: committed === undefined ? undefined : committed / n };
}

/** The bare lookup server of bench/registries-servers.ts; it stops when our stdin pipe closes. */
async function startBaseline(kind: 'postgres' | 'pglite', target: string): Promise<{ child: ChildProcess; baseUrl: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bench/registries-servers.ts', 'lookup', String(port), kind, target], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHealth(baseUrl, child, 60_000);
  return { child, baseUrl };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const egovPath = (id: string) => `/api/registries/population/records/${id}`;
const barePath = (id: string) => `/records/${id}`;

async function egovLookup(env: Record<string, string>, ids: string[], watch?: Watch) {
  const server = await startServer({ ...env, LOG_LEVEL: 'info' }, 120_000, { discardOutput: true });
  servers.push(server);
  try {
    const { cookie } = await signIn(server.baseUrl, 'psb.officer');
    const sample = await fetch(`${server.baseUrl}${egovPath(ids[0])}`, { headers: { cookie } });
    const body = await sample.text();
    if (sample.status !== 200 || !body.includes(ids[0])) throw new Error(`egov read did not answer as expected: ${sample.status} ${body.slice(0, 300)}`);
    return await lookupLoad(server.baseUrl, egovPath, ids, { cookie }, server.child.pid!, watch);
  } finally {
    await stopServer(server);
    servers.splice(servers.indexOf(server), 1);
  }
}

async function bareLookup(kind: 'postgres' | 'pglite', target: string, ids: string[], watch?: Watch) {
  const bare = await startBaseline(kind, target);
  try {
    const sample = await fetch(`${bare.baseUrl}${barePath(ids[0])}`);
    if (sample.status !== 200) throw new Error(`the bare lookup did not answer 200 but ${sample.status}`);
    return await lookupLoad(bare.baseUrl, barePath, ids, {}, bare.child.pid!, watch);
  } finally {
    await stopChild(bare.child);
  }
}

const BARE_SCHEMA = 'bench_bare';
const columnsTable = () => `create table ${BARE_SCHEMA}.persons_columns (${PERSON_FIELDS.map((f, i) => `"${f}" text${i === 0 ? ' primary key' : ''}`).join(', ')})`;
// The same document egov keeps in registries.records.data, keyed by the ID number inside it.
const jsonbTable = `create table ${BARE_SCHEMA}.persons_jsonb (data jsonb not null, id_number text generated always as (data->>'idNumber') stored primary key)`;
// The same, with the expression indexes egov keeps for the population registry's indexed
// fields (catalog.ts), for reference: how much of the gap is those indexes.
const jsonbIndexedTable = [
  `create table ${BARE_SCHEMA}.persons_indexed (data jsonb not null, id_number text generated always as (data->>'idNumber') stored primary key)`,
  ...POPULATION.fields.filter((f) => f.indexed && f.name !== POPULATION.keyField).map((f) => `create index on ${BARE_SCHEMA}.persons_indexed ((data->>'${f.name}'))`),
].join('; ');
// JSON Lines pass through COPY's CSV mode untouched with a quote and a delimiter that never occur.
const COPY_JSONL = `copy ${BARE_SCHEMA}.persons_jsonb (data) from stdin with (format csv, quote e'\\x01', delimiter e'\\x02')`;
const COPY_JSONL_INDEXED = COPY_JSONL.replace('persons_jsonb', 'persons_indexed');
const COPY_CSV = `copy ${BARE_SCHEMA}.persons_columns from stdin with (format csv, header true)`;

type Copy = { ms: number; cpuMs: number; bytes: number };
type Copies = { jsonb: Copy; indexed: Copy; columns: Copy };
const COPIES: [keyof Copies, string, 'csv' | 'jsonl'][] = [
  ['jsonb', COPY_JSONL, 'jsonl'],
  ['indexed', COPY_JSONL_INDEXED, 'jsonl'],
  ['columns', COPY_CSV, 'csv'],
];
const tableOf = (kind: keyof Copies) => `${BARE_SCHEMA}.persons_${kind}`;

/** Raw COPY of the same rows into the bare tables on PostgreSQL, each after a checkpoint; time and the backend's CPU. */
async function copyPostgres(url: string, files: { csv: string; jsonl: string }): Promise<Copies> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create schema ${BARE_SCHEMA}; ${jsonbTable}; ${jsonbIndexedTable}; ${columnsTable()}`);
    const pid = Number((await client.query('select pg_backend_pid() as pid')).rows[0].pid);
    const copies = {} as Copies;
    for (const [kind, sql, format] of COPIES) {
      await client.query('checkpoint');
      const cpu0 = processCpuMs(pid);
      const t0 = performance.now();
      await pipeline(fs.createReadStream(files[format], { highWaterMark: 1024 * 1024 }), client.query(copyFrom(sql)));
      const ms = performance.now() - t0;
      const cpuMs = processCpuMs(pid) - cpu0;
      const bytes = Number((await client.query(`select pg_total_relation_size('${tableOf(kind)}')::bigint as n`)).rows[0].n);
      copies[kind] = { ms, cpuMs, bytes };
      log(`COPY into ${tableOf(kind)}: ${seconds(ms)}`);
    }
    return copies;
  } finally {
    await client.end();
  }
}

/** The same on the embedded database: COPY from a blob, on egov's data folder (egov stopped); CPU is this process's. */
async function copyPglite(dataDir: string, files: { csv: string; jsonl: string }): Promise<{ copies: Copies; sizes: Sizes }> {
  const db = await PGlite.create(dataDir, { postgresqlconf: ['shared_buffers = 32MB'] });
  try {
    await db.exec(`create schema ${BARE_SCHEMA}; ${jsonbTable}; ${jsonbIndexedTable}; ${columnsTable()};`);
    const copies = {} as Copies;
    for (const [kind, sql, format] of COPIES) {
      await db.exec('checkpoint');
      const blob = new Blob([fs.readFileSync(files[format])]);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await db.query(sql.replace('from stdin', "from '/dev/blob'"), [], { blob });
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const bytes = (await db.query<{ n: number }>(`select pg_total_relation_size('${tableOf(kind)}')::float8 as n`)).rows[0].n;
      copies[kind] = { ms, cpuMs: (cpu.user + cpu.system) / 1000, bytes };
      log(`COPY into ${tableOf(kind)}: ${seconds(ms)}`);
    }
    const egov = (await db.query<{ records: number; versions: number; db: number }>(`select pg_total_relation_size('registries.records')::float8 as records, pg_total_relation_size('registries.record_versions')::float8 as versions, pg_database_size(current_database())::float8 as db`)).rows[0];
    return { copies, sizes: { database: egov.db, records: egov.records, versions: egov.versions } };
  } finally {
    await db.close();
  }
}

type Sizes = { database: number; records: number; versions: number };
type Figures = {
  database: string;
  persons: number;
  imported: Awaited<ReturnType<typeof egovImport>>;
  copies: Copies;
  sizes: Sizes;
  egov: Load;
  bare: Load;
  readsLogged: number | undefined;
};

async function benchPostgres(persons: number): Promise<Figures> {
  log(`PostgreSQL: generating ${persons.toLocaleString('en')} persons (CSV and JSON Lines)…`);
  const files = await generate(path.join(home, 'pg-data'), persons);
  const ids = await sampleIds(files.csv, persons, SAMPLE_IDS);
  const fresh = await createFreshPostgresDatabase(BASE_URL);
  drops.push(fresh.drop);
  const database = new URL(fresh.url).pathname.slice(1);
  const env = { DATABASE_URL: fresh.url, EGOV_DATA_DIR: path.join(home, 'pg-egov') };
  await prepareRegistry(env);
  const sql = new pg.Client({ connectionString: fresh.url });
  const admin = new pg.Client({ connectionString: BASE_URL });
  await sql.connect();
  await admin.connect();
  try {
    await sql.query('checkpoint');
    log('egov import…');
    const imported = await egovImport(env, files.csv, { backends: backendCpu(admin, database) });
    log(`egov import: ${imported.count.toLocaleString('en')} records in ${seconds(imported.ms)} (one pass, writes overlapping the check: ${seconds(imported.checkMs)} to the last row checked, ${seconds(imported.ms - imported.checkMs)} more to the commit)`);
    const sizeRow = (await sql.query(`select pg_database_size(current_database())::bigint as db, pg_total_relation_size('registries.records')::bigint as records, pg_total_relation_size('registries.record_versions')::bigint as versions`)).rows[0];
    const sizes = { database: Number(sizeRow.db), records: Number(sizeRow.records), versions: Number(sizeRow.versions) };
    log('raw COPY baselines…');
    const copies = await copyPostgres(fresh.url, files);
    await sql.query('vacuum analyze');
    const readsBefore = Number((await sql.query('select count(*) as n from registries.reads')).rows[0].n);
    log('lookups through egov…');
    const watch = { admin, database };
    const egov = await egovLookup(env, ids, watch);
    const readsAfter = Number((await sql.query('select count(*) as n from registries.reads')).rows[0].n);
    log('lookups through the bare server…');
    const bare = await bareLookup('postgres', fresh.url, ids, watch);
    return { database: 'PostgreSQL 15', persons, imported, copies, sizes, egov, bare, readsLogged: readsAfter - readsBefore };
  } finally {
    await sql.end();
    await admin.end();
    fs.rmSync(path.join(home, 'pg-data'), { recursive: true, force: true });
  }
}

async function benchPglite(persons: number): Promise<Figures> {
  log(`Embedded database: generating ${persons.toLocaleString('en')} persons…`);
  const files = await generate(path.join(home, 'pglite-data'), persons);
  const ids = await sampleIds(files.csv, persons, SAMPLE_IDS);
  const dataDir = path.join(home, 'pglite-egov');
  const env = { EGOV_DATA_DIR: dataDir };
  await prepareRegistry(env);
  log('egov import…');
  const imported = await egovImport(env, files.csv);
  log(`egov import: ${imported.count.toLocaleString('en')} records in ${seconds(imported.ms)} (one pass, writes overlapping the check: ${seconds(imported.checkMs)} to the last row checked, ${seconds(imported.ms - imported.checkMs)} more to the commit)`);
  log('raw COPY baselines…');
  const { copies, sizes } = await copyPglite(dataDir, files);
  log('lookups through egov…');
  const egov = await egovLookup(env, ids);
  log('lookups through the bare server…');
  const bare = await bareLookup('pglite', dataDir, ids);
  return { database: 'PGlite 0.5.16', persons, imported, copies, sizes, egov, bare, readsLogged: undefined };
}

function report(f: Figures) {
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const i = f.imported;
  const importRatio = f.copies.jsonb.ms / i.ms;
  const lookupRatio = f.egov.rps / f.bare.rps;
  const us = (ms: number) => `${Math.round((ms * 1000) / f.persons)} µs`;
  const cpuOfImport = i.databaseCpuMs === undefined ? `${us(i.nodeCpuMs)} CPU/row (one process)` : `CPU/row ${us(i.nodeCpuMs)} Node + ${us(i.databaseCpuMs)} database`;
  const cpuOfCopy = (c: Copy) => `CPU/row ${us(c.cpuMs)}${i.databaseCpuMs === undefined ? '' : ' database'}`;
  const cpuOfLoad = (l: Load) => `CPU/request ${l.serverCpuMs.toFixed(2)} ms server${l.databaseCpuMs === undefined ? '' : ` + ${l.databaseCpuMs.toFixed(2)} ms database, ${l.commits?.toFixed(1)} commits`}`;
  console.log('');
  console.log(`${f.database}, ${f.persons.toLocaleString('en')} persons`);
  console.log('| figure | egov | baseline | ratio | goal |');
  console.log('| --- | --- | --- | --- | --- |');
  console.log(`| import, validated | ${seconds(i.ms)} (${perSecond(i.count, i.ms)} rows/s; last row checked at ${seconds(i.checkMs)}, committed ${seconds(i.ms - i.checkMs)} later); ${cpuOfImport} | COPY into a jsonb table: ${seconds(f.copies.jsonb.ms)} (${perSecond(f.persons, f.copies.jsonb.ms)} rows/s); ${cpuOfCopy(f.copies.jsonb)} | ${importRatio.toFixed(2)} | ≥ 0.3: ${verdict(importRatio >= 0.3)} |`);
  console.log(`| (reference) | | COPY into the jsonb table with egov's expression indexes: ${seconds(f.copies.indexed.ms)}; ${cpuOfCopy(f.copies.indexed)} | ${(f.copies.indexed.ms / i.ms).toFixed(2)} | |`);
  console.log(`| (reference) | | COPY into one text column per field: ${seconds(f.copies.columns.ms)}; ${cpuOfCopy(f.copies.columns)} | ${(f.copies.columns.ms / i.ms).toFixed(2)} | |`);
  console.log(`| lookup by ID number, ${CONNECTIONS} clients | ${Math.round(f.egov.rps).toLocaleString('en')} req/s, p50 ${f.egov.p50} ms, p99 ${f.egov.p99} ms; ${cpuOfLoad(f.egov)} | ${Math.round(f.bare.rps).toLocaleString('en')} req/s, p50 ${f.bare.p50} ms, p99 ${f.bare.p99} ms; ${cpuOfLoad(f.bare)} | ${lookupRatio.toFixed(2)} | ≥ 0.5: ${verdict(lookupRatio >= 0.5)}; p99 ≤ 10 ms: ${verdict(f.egov.p99 <= 10)} |`);
  console.log(`sizes: database ${mb(f.sizes.database)}, records ${mb(f.sizes.records)}, record_versions ${mb(f.sizes.versions)}; bare tables: jsonb ${mb(f.copies.jsonb.bytes)}, jsonb with indexes ${mb(f.copies.indexed.bytes)}, columns ${mb(f.copies.columns.bytes)}`);
  if (f.readsLogged !== undefined) console.log(`reads logged during the egov lookups (warm-up included): ${f.readsLogged.toLocaleString('en')} for ${f.egov.requests.toLocaleString('en')} measured requests`);
  console.log(`import ratio (COPY jsonb time / egov import time): ${importRatio.toFixed(2)} (goal ≥ 0.3: ${verdict(importRatio >= 0.3)})`);
  console.log(`lookup ratio (egov / bare req/s): ${lookupRatio.toFixed(2)} (goal ≥ 0.5: ${verdict(lookupRatio >= 0.5)}), egov p99 ${f.egov.p99} ms (goal ≤ 10 ms: ${verdict(f.egov.p99 <= 10)})`);
}

try {
  console.log(`egov registries benchmark: ${os.cpus().length} × ${os.cpus()[0].model}, ${Math.round(os.totalmem() / 1024 ** 3)} GB, Node ${process.version}, ${new Date().toISOString()}`);
  const results: Figures[] = [];
  if (run.postgres) results.push(await benchPostgres(PG_PERSONS));
  if (run.pglite) results.push(await benchPglite(PGLITE_PERSONS));
  for (const figures of results) report(figures);
} finally {
  for (const server of servers) await stopServer(server);
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  for (const drop of drops) await drop().catch(() => {});
  fs.rmSync(home, { recursive: true, force: true });
}
