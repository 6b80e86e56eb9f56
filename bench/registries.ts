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
//   --persons N           persons on PostgreSQL (default 1,000,000);
//   --scale               10,000,000 persons on PostgreSQL (takes long);
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
import { writeRecords, type OutputFormat } from '../src/modules/registries/generate/output.ts';
import { createFreshPostgresDatabase } from '../src/test-support/database.ts';
import { freePort, signIn, startServer, stopServer, waitForHealth, type RunningServer } from '../test/support/egov-process.ts';
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
const PG_PERSONS = options.scale ? 10_000_000 : Number(options.persons ?? 1_000_000);
const PGLITE_PERSONS = Number(options['pglite-persons'] ?? 100_000);
const SECONDS = Number(options.seconds ?? 10);
const CONNECTIONS = 50;
const SAMPLE_IDS = 100_000;
const BASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const run = { postgres: options.only !== 'pglite', pglite: options.only !== 'postgres' && PGLITE_PERSONS > 0 };

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

type Load = { rps: number; p50: number; p99: number; requests: number };

/** Warm-up, then the measured load: CONNECTIONS clients, each request for a random ID number. */
async function lookupLoad(baseUrl: string, pathOf: (id: string) => string, ids: string[], headers: Record<string, string>): Promise<Load> {
  const options = (duration: number) => ({
    url: baseUrl,
    connections: CONNECTIONS,
    duration,
    headers,
    requests: [{ method: 'GET' as const, setupRequest: (request: autocannon.Request) => ({ ...request, path: pathOf(ids[Math.floor(Math.random() * ids.length)]) }) }],
  });
  await autocannon(options(3));
  const result = await autocannon(options(SECONDS));
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${baseUrl}: ${result.non2xx} non-2xx and ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, requests: result.requests.total };
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

async function egovLookup(env: Record<string, string>, ids: string[]) {
  const server = await startServer({ ...env, LOG_LEVEL: 'info' }, 120_000, { discardOutput: true });
  servers.push(server);
  try {
    const { cookie } = await signIn(server.baseUrl, 'psb.officer');
    const sample = await fetch(`${server.baseUrl}${egovPath(ids[0])}`, { headers: { cookie } });
    const body = await sample.text();
    if (sample.status !== 200 || !body.includes(ids[0])) throw new Error(`egov read did not answer as expected: ${sample.status} ${body.slice(0, 300)}`);
    return await lookupLoad(server.baseUrl, egovPath, ids, { cookie });
  } finally {
    await stopServer(server);
    servers.splice(servers.indexOf(server), 1);
  }
}

async function bareLookup(kind: 'postgres' | 'pglite', target: string, ids: string[]) {
  const bare = await startBaseline(kind, target);
  try {
    const sample = await fetch(`${bare.baseUrl}${barePath(ids[0])}`);
    if (sample.status !== 200) throw new Error(`the bare lookup did not answer 200 but ${sample.status}`);
    return await lookupLoad(bare.baseUrl, barePath, ids, {});
  } finally {
    await stopChild(bare.child);
  }
}

const BARE_SCHEMA = 'bench_bare';
const columnsTable = () => `create table ${BARE_SCHEMA}.persons_columns (${PERSON_FIELDS.map((f, i) => `"${f}" text${i === 0 ? ' primary key' : ''}`).join(', ')})`;
// The same document egov keeps in registries.records.data, keyed by the ID number inside it.
const jsonbTable = `create table ${BARE_SCHEMA}.persons_jsonb (data jsonb not null, id_number text generated always as (data->>'idNumber') stored primary key)`;
// JSON Lines pass through COPY's CSV mode untouched with a quote and a delimiter that never occur.
const COPY_JSONL = `copy ${BARE_SCHEMA}.persons_jsonb (data) from stdin with (format csv, quote e'\\x01', delimiter e'\\x02')`;
const COPY_CSV = `copy ${BARE_SCHEMA}.persons_columns from stdin with (format csv, header true)`;

/** Raw COPY of the same rows into the bare tables on PostgreSQL; milliseconds each. */
async function copyPostgres(url: string, files: { csv: string; jsonl: string }) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create schema ${BARE_SCHEMA}`);
    await client.query(jsonbTable);
    await client.query(columnsTable());
    const timed = async (sql: string, file: string) => {
      await client.query('checkpoint');
      const t0 = performance.now();
      await pipeline(fs.createReadStream(file, { highWaterMark: 1024 * 1024 }), client.query(copyFrom(sql)));
      return performance.now() - t0;
    };
    const jsonbMs = await timed(COPY_JSONL, files.jsonl);
    const columnsMs = await timed(COPY_CSV, files.csv);
    const sizes = (await client.query(`select pg_total_relation_size('${BARE_SCHEMA}.persons_jsonb')::bigint as jsonb, pg_total_relation_size('${BARE_SCHEMA}.persons_columns')::bigint as columns`)).rows[0];
    return { jsonbMs, columnsMs, jsonbBytes: Number(sizes.jsonb), columnsBytes: Number(sizes.columns) };
  } finally {
    await client.end();
  }
}

/** The same on the embedded database: COPY from a blob, on egov's data folder (egov stopped). */
async function copyPglite(dataDir: string, files: { csv: string; jsonl: string }) {
  const db = await PGlite.create(dataDir, { postgresqlconf: ['shared_buffers = 32MB'] });
  try {
    await db.exec(`create schema ${BARE_SCHEMA}; ${jsonbTable}; ${columnsTable()};`);
    const timed = async (sql: string, file: string) => {
      await db.exec('checkpoint');
      const blob = new Blob([fs.readFileSync(file)]);
      const t0 = performance.now();
      await db.query(sql.replace('from stdin', "from '/dev/blob'"), [], { blob });
      return performance.now() - t0;
    };
    const jsonbMs = await timed(COPY_JSONL, files.jsonl);
    const columnsMs = await timed(COPY_CSV, files.csv);
    const sizes = (await db.query<{ jsonb: number; columns: number }>(`select pg_total_relation_size('${BARE_SCHEMA}.persons_jsonb')::float8 as jsonb, pg_total_relation_size('${BARE_SCHEMA}.persons_columns')::float8 as columns`)).rows[0];
    const egov = (await db.query<{ records: number; versions: number; db: number }>(`select pg_total_relation_size('registries.records')::float8 as records, pg_total_relation_size('registries.record_versions')::float8 as versions, pg_database_size(current_database())::float8 as db`)).rows[0];
    return { jsonbMs, columnsMs, jsonbBytes: Number(sizes.jsonb), columnsBytes: Number(sizes.columns), egov: { records: Number(egov.records), versions: Number(egov.versions), database: Number(egov.db) } };
  } finally {
    await db.close();
  }
}

type Figures = {
  database: string;
  persons: number;
  importMs: number;
  checkMs: number;
  imported: number;
  copy: { jsonbMs: number; columnsMs: number; jsonbBytes: number; columnsBytes: number };
  sizes: { database: number; records: number; versions: number };
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
  const env = { DATABASE_URL: fresh.url, EGOV_DATA_DIR: path.join(home, 'pg-egov') };
  await prepareRegistry(env);
  const sql = new pg.Client({ connectionString: fresh.url });
  await sql.connect();
  try {
    await sql.query('checkpoint');
    log('egov import…');
    const imported = await egovImport(env, files.csv);
    log(`egov import: ${imported.count.toLocaleString('en')} records in ${seconds(imported.ms)} (check ${seconds(imported.checkMs)}, write ${seconds(imported.ms - imported.checkMs)})`);
    const sizeRow = (await sql.query(`select pg_database_size(current_database())::bigint as db, pg_total_relation_size('registries.records')::bigint as records, pg_total_relation_size('registries.record_versions')::bigint as versions`)).rows[0];
    const sizes = { database: Number(sizeRow.db), records: Number(sizeRow.records), versions: Number(sizeRow.versions) };
    log('raw COPY baselines…');
    const copy = await copyPostgres(fresh.url, files);
    log(`COPY jsonb ${seconds(copy.jsonbMs)}, columns ${seconds(copy.columnsMs)}`);
    await sql.query('vacuum analyze');
    const readsBefore = Number((await sql.query('select count(*) as n from registries.reads')).rows[0].n);
    log('lookups through egov…');
    const egov = await egovLookup(env, ids);
    const readsAfter = Number((await sql.query('select count(*) as n from registries.reads')).rows[0].n);
    log('lookups through the bare server…');
    const bare = await bareLookup('postgres', fresh.url, ids);
    return { database: 'PostgreSQL 15', persons, importMs: imported.ms, checkMs: imported.checkMs, imported: imported.count, copy, sizes, egov, bare, readsLogged: readsAfter - readsBefore };
  } finally {
    await sql.end();
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
  log(`egov import: ${imported.count.toLocaleString('en')} records in ${seconds(imported.ms)} (check ${seconds(imported.checkMs)}, write ${seconds(imported.ms - imported.checkMs)})`);
  log('raw COPY baselines…');
  const copy = await copyPglite(dataDir, files);
  log(`COPY jsonb ${seconds(copy.jsonbMs)}, columns ${seconds(copy.columnsMs)}`);
  log('lookups through egov…');
  const egov = await egovLookup(env, ids);
  log('lookups through the bare server…');
  const bare = await bareLookup('pglite', dataDir, ids);
  return { database: 'PGlite 0.5.16', persons, importMs: imported.ms, checkMs: imported.checkMs, imported: imported.count, copy, sizes: copy.egov, egov, bare, readsLogged: undefined };
}

function report(f: Figures) {
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const importRatio = f.copy.jsonbMs / f.importMs;
  const lookupRatio = f.egov.rps / f.bare.rps;
  console.log('');
  console.log(`${f.database}, ${f.persons.toLocaleString('en')} persons`);
  console.log('| figure | egov | baseline | ratio | goal |');
  console.log('| --- | --- | --- | --- | --- |');
  console.log(`| import, validated | ${seconds(f.importMs)} (${perSecond(f.imported, f.importMs)} rows/s; check ${seconds(f.checkMs)}, write ${seconds(f.importMs - f.checkMs)}) | COPY into jsonb table ${seconds(f.copy.jsonbMs)} (${perSecond(f.persons, f.copy.jsonbMs)} rows/s) | ${importRatio.toFixed(2)} | ≥ 0.3: ${verdict(importRatio >= 0.3)} |`);
  console.log(`| (same import, against COPY into one column per field) | | ${seconds(f.copy.columnsMs)} (${perSecond(f.persons, f.copy.columnsMs)} rows/s) | ${(f.copy.columnsMs / f.importMs).toFixed(2)} | (reference) |`);
  console.log(`| lookup by ID number, ${CONNECTIONS} clients | ${Math.round(f.egov.rps).toLocaleString('en')} req/s, p50 ${f.egov.p50} ms, p99 ${f.egov.p99} ms | ${Math.round(f.bare.rps).toLocaleString('en')} req/s, p50 ${f.bare.p50} ms, p99 ${f.bare.p99} ms | ${lookupRatio.toFixed(2)} | ≥ 0.5: ${verdict(lookupRatio >= 0.5)}; p99 ≤ 10 ms: ${verdict(f.egov.p99 <= 10)} |`);
  console.log(`sizes: database ${mb(f.sizes.database)}, records ${mb(f.sizes.records)}, record_versions ${mb(f.sizes.versions)}; bare jsonb table ${mb(f.copy.jsonbBytes)}, bare columns table ${mb(f.copy.columnsBytes)}`);
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
