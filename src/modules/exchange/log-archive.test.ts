// Message-log retention: calls go through /r1 to a real backend so the log has signed,
// timestamped rows; the manual clock ages them past the retention period; the archiver writes
// hash-linked files and purges the rows. Then: verify-log still holds, the files verify
// offline (also through the CLI), and a changed byte, a removed file, a direct DELETE and a
// crash mid-archive each end as they must; a tampered log is not archived at all.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { ConfigError, loadConfig } from '../../config.ts';
import { localOperator } from '../../platform/actor.ts';
import { createTestApp, type TestApp } from '../../test-support/test-app.ts';
import { ARCHIVE_FILE_PATTERN, archiveFileName, archiveFilesAt, verifyArchiveFiles } from './log-archive-file.ts';
import { ArchivedExchangeError, createLogArchiver } from './log-archive.ts';
import type { BatchChecker } from './message-log.ts';
import { buildTree } from '../trust/index.ts';

const DAY = 86_400_000;
const MAIN = path.resolve(import.meta.dirname, '../../main.ts');
let t: TestApp;
let backend: http.Server;
let dir: string;
let scratch: string;
let caPem: string;
let token: string;
let provider: string;
let client: string;
const ids: Record<string, string> = {};

before(async () => {
  backend = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ path: req.url }));
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  const backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-log-archive-'));
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-log-archive-copies-'));
  t = await createTestApp({ env: { EGOV_EXCHANGE_LOG_TIMESTAMP_SECONDS: '0', EGOV_EXCHANGE_LOG_RETENTION_DAYS: '1', EGOV_EXCHANGE_ARCHIVE_MINUTES: '0', EGOV_EXCHANGE_ARCHIVE_DIR: dir } });
  const directory = t.services.directory.service;
  provider = (await directory.createSubsystem(localOperator('test'), t.world.deptA.id, { code: 'hukou', nameZh: '户籍系统', nameEn: 'Household registration' })).identifier;
  client = (await directory.createSubsystem(localOperator('test'), t.world.deptB.id, { code: 'welfare', nameZh: '救助系统', nameEn: 'Welfare' })).identifier;
  const subsystemId = (await directory.findSubsystemByIdentifier(provider))!.id;
  const service = await t.request('POST', '/api/exchange/services', { as: t.world.adminA, body: { subsystemId, code: 'persons', backendUrl: `${backendUrl}/persons`, timeoutMs: 2000, maxBodyBytes: 1024 } });
  assert.equal(service.statusCode, 201, service.body);
  await t.request('POST', `/api/exchange/services/${service.json.id}/rights`, { as: t.world.adminA, body: { clientKind: 'subsystem', client, method: 'GET' } });
  token = (await t.request('POST', '/api/tokens', { as: t.world.adminB, body: { name: 'exchange client', expiresInDays: 60 } })).json.token;
  caPem = (await t.request('GET', '/api/trust/ca.pem')).body;
  assert.match(caPem, /BEGIN CERTIFICATE/);
});
after(async () => {
  await t.close();
  await new Promise<void>((resolve) => backend.close(() => resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** One exchange through /r1: two log rows (consumer, provider). */
async function call(name: string): Promise<string> {
  const res = await t.http.inject({ method: 'GET', url: `/r1/${provider}/persons/v1/${name}`, headers: { 'x-road-client': client, authorization: `Bearer ${token}` } });
  assert.equal(res.statusCode, 200, res.body);
  ids[name] = String(res.headers['x-road-id']);
  return ids[name];
}

const db = () => t.services.database.db;
const rowsIn = async () => (await db().selectFrom('exchange.message_log').select('seq').orderBy('seq').execute()).map((r) => Number(r.seq));
const suites = () => t.services.trust.suites;
const chainDer = () => t.services.trust.authority.chainDer();
/** A copy of the archive folder to damage. */
function copyOfArchives(name: string): string {
  const copy = path.join(scratch, name);
  fs.cpSync(dir, copy, { recursive: true });
  return copy;
}
function cli(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };
  delete env.DATABASE_URL; // offline: the command opens no database
  return spawnSync(process.execPath, [MAIN, ...args], { env, encoding: 'utf8', timeout: 60_000 });
}

test('configuration: retention is off by default, the folder is under the data folder, bad values are refused', () => {
  const config = loadConfig({ EGOV_DATA_DIR: '/srv/egov/data' });
  assert.deepEqual([config.exchangeLogRetentionDays, config.exchangeArchiveDir, config.exchangeArchiveMinutes], [0, path.resolve('/srv/egov/data/log-archive'), 60]);
  assert.equal(loadConfig({ EGOV_EXCHANGE_ARCHIVE_DIR: 'arch' }).exchangeArchiveDir, path.resolve('arch'));
  assert.throws(() => loadConfig({ EGOV_EXCHANGE_LOG_RETENTION_DAYS: '-1' }), (err: unknown) => err instanceof ConfigError && /EGOV_EXCHANGE_LOG_RETENTION_DAYS/.test(err.message));
  assert.throws(() => loadConfig({ EGOV_EXCHANGE_ARCHIVE_MINUTES: 'hourly' }), /EGOV_EXCHANGE_ARCHIVE_MINUTES/);
});

test('rows past the retention period are archived a whole timestamp batch at a time and purged; newer rows stay', async () => {
  // Day 0, 2 and 4: one exchange each, timestamped as its own batch, archived two days later.
  for (const [name, expectedFile] of [['one', 1], ['two', 3], ['three', 5]] as const) {
    await call(name);
    assert.equal(await t.services.exchange.timestampLog(), 2);
    t.clock.advance(2 * DAY);
    if (name === 'three') {
      await call('four'); // young: stays
      await t.services.exchange.timestampLog();
    }
    const run = await t.services.exchange.archiveLog();
    assert.deepEqual(run.written.map((w) => [w.file, w.firstSeq, w.lastSeq, w.rows, w.batches]), [[archiveFileName(expectedFile), expectedFile, expectedFile + 1, 2, 1]]);
    const written = run.written[0];
    assert.equal(crypto.createHash('sha256').update(fs.readFileSync(written.path)).digest('hex'), written.sha256, 'the recorded SHA-256 is the file as stored');
  }
  assert.deepEqual(await rowsIn(), [7, 8], 'rows 1–6 were purged; the young exchange stays');
  for (const name of ['one', 'two', 'three']) assert.deepEqual(await t.services.exchange.log.findByXRoadId(ids[name]), []);
  assert.equal((await t.services.exchange.log.findByXRoadId(ids.four)).length, 2);
  const batches = await db().selectFrom('exchange.log_batches').select(['first_seq', 'last_seq']).execute();
  assert.deepEqual(batches.map((b) => [Number(b.first_seq), Number(b.last_seq)]), [[7, 8]], 'the archived batches went with their rows');
  const records = await t.services.exchange.archiver.list();
  assert.deepEqual(records.map((r) => [r.fileName, r.firstSeq, r.lastSeq]), [1, 3, 5].map((s) => [archiveFileName(s), s, s + 1]));
  assert.equal(records[1].prevSha256, records[0].sha256, 'each record names the archive before it');
  assert.equal(records[0].prevSha256, '0'.repeat(64));
  assert.equal((await t.services.exchange.status()).messageLog.rows, 8, 'the head still counts every row ever written');
  assert.deepEqual((await t.services.exchange.archiveLog()).written, [], 'nothing more is due');
});

test('verify-log still holds after the purge: it starts after the last archive and links to its last row', async () => {
  const verified = await t.services.exchange.verifyLog();
  assert.deepEqual(verified, { ok: true, rows: 2, batches: 1, archives: 3, archivedRows: 6 });
  // The chain is still checked: a changed row after the archives is named.
  await sql`alter table exchange.message_log disable trigger user`.execute(db());
  await sql`update exchange.message_log set prev_hash = ${'f'.repeat(64)} where seq = 7`.execute(db());
  const broken = await t.services.exchange.verifyLog();
  await sql`update exchange.message_log set prev_hash = ${(await t.services.exchange.archiver.list()).at(-1)!.lastHash} where seq = 7`.execute(db());
  await sql`alter table exchange.message_log enable trigger user`.execute(db());
  assert.deepEqual([broken.ok, (broken as { firstBadSeq: number }).firstBadSeq], [false, 7]);
  assert.match((broken as { reason: string }).reason, /row 7 does not link/);
  assert.equal((await t.services.exchange.verifyLog()).ok, true);
});

test('a direct DELETE of a row no archive holds is refused; archive records cannot be changed or removed', async () => {
  await assert.rejects(sql`delete from exchange.message_log where seq = 7`.execute(db()), /append-only \(DELETE refused\)/);
  await assert.rejects(sql`update exchange.message_log set status = 500 where seq = 8`.execute(db()), /append-only \(UPDATE refused\)/);
  await assert.rejects(sql`truncate exchange.message_log`.execute(db()), /append-only/);
  await assert.rejects(sql`update exchange.log_archives set last_seq = 8 where first_seq = 5`.execute(db()), /append-only \(UPDATE refused\)/);
  await assert.rejects(sql`delete from exchange.log_archives`.execute(db()), /append-only \(DELETE refused\)/);
  assert.deepEqual(await rowsIn(), [7, 8]);
});

test('rows not yet timestamped, or in a batch with younger rows, wait for a later run', async () => {
  await call('five'); // rows 9–10, not timestamped
  t.clock.advance(2 * DAY);
  const run = await t.services.exchange.archiveLog();
  assert.deepEqual(run.written.map((w) => [w.firstSeq, w.lastSeq]), [[7, 8]], 'the batch of "four" is old now; "five" has no batch yet');
  assert.match(run.waiting ?? '', /row 9 .*not timestamped/);
  await call('six'); // rows 11–12, young, in the same batch as "five"
  assert.equal(await t.services.exchange.timestampLog(), 4);
  assert.deepEqual((await t.services.exchange.archiveLog()).written, [], 'a batch goes only when all its rows are past the retention period');
  assert.deepEqual(await rowsIn(), [9, 10, 11, 12]);
  assert.equal((await t.services.exchange.verifyLog()).ok, true);
});

test('the archive files verify offline, pinned to the root, through the library and the CLI', async () => {
  const files = archiveFilesAt(dir);
  assert.equal(files.length, 4);
  const root = (await chainDer())[1];
  const result = await verifyArchiveFiles(files, { suites: suites(), trustedRoot: root });
  assert.equal(result.firstBad, undefined, JSON.stringify(result.firstBad));
  assert.equal(result.ok, true);
  assert.deepEqual(result.files.map((f) => [f.header!.firstSeq, f.header!.lastSeq, f.rows, f.batches]), [[1, 2, 2, 1], [3, 4, 2, 1], [5, 6, 2, 1], [7, 8, 2, 1]]);
  assert.ok(result.files.every((f) => f.timestamps && f.timestamps.from <= f.timestamps.to));

  const ca = path.join(scratch, 'ca.pem');
  fs.writeFileSync(ca, caPem);
  const ok = cli(['exchange', 'verify-archive', dir, '--ca', ca]);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /Archives OK: 4 file\(s\), rows 1–8/);
  const single = cli(['exchange', 'verify-archive', files[2]]);
  assert.equal(single.status, 0, single.stdout + single.stderr);
  assert.match(single.stdout, /starts at row 5; the archive before it \(exchange-log-0000000000000003\.jsonl\) was not given/);
  // Another instance's root is not this archive's.
  const otherCa = path.join(scratch, 'other-ca.pem');
  fs.writeFileSync(otherCa, caPem.replace(/(-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\s*)$/, '') + (await otherRootPem()));
  const pinned = cli(['exchange', 'verify-archive', dir, '--ca', otherCa]);
  assert.equal(pinned.status, 1);
  assert.match(pinned.stdout, /not the trusted root/);
  const help = cli(['exchange', 'verify-archive', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Usage: egov exchange verify-archive <file\|folder>/);
  assert.equal(cli(['exchange', 'verify-archive']).status, 2);
  assert.match(cli(['exchange', 'archive', '--help']).stdout, /Usage: egov exchange archive/);
});

test('a changed byte in an archive file is named, with its row', async () => {
  const copy = copyOfArchives('changed-row');
  const file = path.join(copy, archiveFileName(3));
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.includes('"seq":4,'));
  lines[at] = lines[at].replace('"status":200', '"status":201'); // one byte
  fs.writeFileSync(file, lines.join('\n'));
  assert.equal(fs.statSync(file).size, Buffer.byteLength(text));
  const result = await verifyArchiveFiles(archiveFilesAt(copy), { suites: suites() });
  assert.equal(result.ok, false);
  assert.deepEqual([path.basename(result.firstBad!.file), result.firstBad!.row], [archiveFileName(3), 4]);
  assert.match(result.firstBad!.reason, /row 4 was changed after it was written/);
  const out = cli(['exchange', 'verify-archive', copy]);
  assert.equal(out.status, 1);
  assert.match(out.stdout, new RegExp(`first problem in .*${archiveFileName(3)} at row 4: row 4 was changed`));

  // A changed byte in a timestamp token, or a JSON-breaking one, is named too.
  const token = copyOfArchives('changed-token');
  const tokenFile = path.join(token, archiveFileName(5));
  // Near the token's end: its signature value.
  const damaged = fs.readFileSync(tokenFile, 'utf8').replace(/("token":"[A-Za-z0-9+/=]*?)([A-Za-z0-9+/])([A-Za-z0-9+/=]{12}")/, (_m, head: string, c: string, tail: string) => head + (c === 'A' ? 'B' : 'A') + tail);
  fs.writeFileSync(tokenFile, damaged);
  const tokenResult = await verifyArchiveFiles(archiveFilesAt(token), { suites: suites() });
  assert.deepEqual([path.basename(tokenResult.firstBad!.file), tokenResult.firstBad!.row], [archiveFileName(5), 5]);
  assert.match(tokenResult.firstBad!.reason, /rows 5–6.*timestamp/);
  const broken = copyOfArchives('broken-json');
  const brokenFile = path.join(broken, archiveFileName(1));
  fs.writeFileSync(brokenFile, fs.readFileSync(brokenFile, 'utf8').replace('"seq":2,', '"seq":2;'));
  const brokenResult = await verifyArchiveFiles(archiveFilesAt(broken), { suites: suites() });
  assert.deepEqual([path.basename(brokenResult.firstBad!.file), brokenResult.firstBad!.row], [archiveFileName(1), 2]);
  assert.match(brokenResult.firstBad!.reason, /is not JSON \(after row 1\)/);
});

test('a removed middle archive file, or a replaced one, breaks the link and is named', async () => {
  const removed = copyOfArchives('removed');
  fs.rmSync(path.join(removed, archiveFileName(3)));
  const result = await verifyArchiveFiles(archiveFilesAt(removed), { suites: suites() });
  assert.equal(result.ok, false);
  assert.deepEqual([path.basename(result.firstBad!.file), result.firstBad!.row], [archiveFileName(5), 5]);
  assert.match(result.firstBad!.reason, new RegExp(`rows 3–4 are missing: ${archiveFileName(3).replaceAll('.', '\\.')} was removed`));
  const out = cli(['exchange', 'verify-archive', removed]);
  assert.equal(out.status, 1);
  assert.match(out.stdout, /rows 3–4 are missing/);

  // The same rows, re-encoded (valid on their own), no longer have the SHA-256 the next file names.
  const replaced = copyOfArchives('replaced');
  const file = path.join(replaced, archiveFileName(3));
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"type":"end"', '"type": "end"'));
  const replacedResult = await verifyArchiveFiles(archiveFilesAt(replaced), { suites: suites() });
  assert.equal(replacedResult.files.find((f) => f.file === file)!.problem, undefined, 'the file itself still holds');
  assert.equal(path.basename(replacedResult.firstBad!.file), archiveFileName(5));
  assert.match(replacedResult.firstBad!.reason, new RegExp(`${archiveFileName(3).replaceAll('.', '\\.')} was changed or replaced`));
});

test('evidence for an archived exchange names the archive file instead of "not found"', async () => {
  await assert.rejects(t.services.exchange.exportEvidence(ids.two), (err: unknown) => {
    assert.ok(err instanceof ArchivedExchangeError);
    assert.equal(err.code, 'exchange_log_archived');
    assert.match(err.message, new RegExp(`rows \\(3, 4\\) were archived to ${path.join(dir, archiveFileName(3)).replaceAll('.', '\\.')}`));
    assert.match(err.messageZh ?? '', /已于 .*归档到/);
    return true;
  });
  assert.equal(await t.services.exchange.exportEvidence('00000000-0000-4000-8000-000000000000'), undefined, 'an id that never was is still just not there');
  assert.equal((await t.services.exchange.exportEvidence(ids.six))?.records.length, 2, 'rows still in the database export as before');
  // With the file moved away, the message says where the exchange may be.
  const moved = path.join(scratch, 'moved.jsonl');
  fs.renameSync(path.join(dir, archiveFileName(1)), moved);
  try {
    await assert.rejects(t.services.exchange.exportEvidence(ids.one), (err: unknown) => err instanceof ArchivedExchangeError && /1 archive file\(s\) are not in .*exchange-log-0000000000000001\.jsonl/.test(err.message));
  } finally {
    fs.renameSync(moved, path.join(dir, archiveFileName(1)));
  }
});

test('a crash between writing the file and the purge leaves a stray file that the next run replaces', async () => {
  t.clock.advance(2 * DAY); // the batch of "five" and "six" (rows 9–12) is due
  const settings = { dir, retentionDays: 1 };
  const base = { db: db(), clock: t.clock, instance: t.config.instance, caChainDer: chainDer, batchChecker };
  const crashing = createLogArchiver({
    ...base,
    settings,
    beforeCommit: () => {
      throw new Error('crash after the rename, before the commit');
    },
  });
  await assert.rejects(crashing.archiveNow(), /crash after the rename/);
  const stray = path.join(dir, archiveFileName(9));
  assert.ok(fs.existsSync(stray), 'the renamed file stays, unrecorded');
  assert.equal((await t.services.exchange.archiver.list()).length, 4, 'no record: the transaction rolled back');
  assert.deepEqual(await rowsIn(), [9, 10, 11, 12], 'no row was purged');
  assert.equal((await t.services.exchange.verifyLog()).ok, true);
  // A temporary file of a run that died before its rename: an old one is removed, a fresh one left.
  const staleTemp = path.join(dir, `.${archiveFileName(9)}.0123456789ab.tmp`);
  const freshTemp = path.join(dir, `.${archiveFileName(9)}.ba9876543210.tmp`);
  fs.writeFileSync(staleTemp, 'partial');
  fs.writeFileSync(freshTemp, 'partial');
  fs.utimesSync(staleTemp, new Date(Date.now() - 2 * 3_600_000), new Date(Date.now() - 2 * 3_600_000));

  // More rows are due by the next run, so it covers a longer range, under the same name.
  await call('seven'); // rows 13–14
  await t.services.exchange.timestampLog();
  t.clock.advance(2 * DAY);
  const strayBytes = fs.readFileSync(stray);
  const run = await t.services.exchange.archiveLog();
  assert.deepEqual(run.written.map((w) => [w.file, w.firstSeq, w.lastSeq, w.batches]), [[archiveFileName(9), 9, 14, 2]]);
  assert.notDeepEqual(fs.readFileSync(stray), strayBytes, 'the stray file was replaced');
  const record = (await t.services.exchange.archiver.list()).at(-1)!;
  assert.equal(crypto.createHash('sha256').update(fs.readFileSync(stray)).digest('hex'), record.sha256);
  assert.deepEqual([fs.existsSync(staleTemp), fs.existsSync(freshTemp)], [false, true]);
  fs.rmSync(freshTemp);
  assert.deepEqual(await rowsIn(), []);
  assert.deepEqual(await t.services.exchange.verifyLog(), { ok: true, rows: 0, batches: 0, archives: 5, archivedRows: 14 });
  const result = await verifyArchiveFiles(archiveFilesAt(dir), { suites: suites(), trustedRoot: (await chainDer())[1] });
  assert.equal(result.ok, true, JSON.stringify(result.firstBad));
  assert.ok(fs.readdirSync(dir).filter((n) => !n.startsWith('.')).every((n) => ARCHIVE_FILE_PATTERN.test(n)));
  // And the log goes on: a new row links to the last archived one.
  await call('eight');
  assert.deepEqual(await t.services.exchange.verifyLog(), { ok: true, rows: 2, batches: 0, archives: 5, archivedRows: 14 });
});

test('with retention 0 nothing is archived', async () => {
  const off = createLogArchiver({ db: db(), clock: t.clock, instance: t.config.instance, caChainDer: chainDer, batchChecker, settings: { dir: path.join(scratch, 'off'), retentionDays: 0 } });
  t.clock.advance(10 * DAY);
  assert.deepEqual(await off.archiveNow(), { written: [] });
  assert.deepEqual(await rowsIn(), [15, 16]);
  assert.equal(fs.existsSync(path.join(scratch, 'off')), false);
});

test('two archivers at once (two replicas): each range is archived once, and the files still link', async () => {
  await t.services.exchange.timestampLog(); // rows 15–16
  await call('nine'); // rows 17–18
  await t.services.exchange.timestampLog();
  t.clock.advance(2 * DAY);
  // One batch per file, so both compete for the same first file.
  const replica = () => createLogArchiver({ db: db(), clock: t.clock, instance: t.config.instance, caChainDer: chainDer, batchChecker, settings: { dir, retentionDays: 1, maxRowsPerFile: 2 } });
  const runs = await Promise.all([replica().archiveNow(), replica().archiveNow()]);
  const written = runs.flatMap((r) => r.written).sort((a, b) => a.firstSeq - b.firstSeq);
  assert.deepEqual(written.map((w) => [w.firstSeq, w.lastSeq]), [[15, 16], [17, 18]], 'no range twice, none left out');
  assert.deepEqual(await rowsIn(), []);
  const records = await t.services.exchange.archiver.list();
  for (const w of written) assert.equal(crypto.createHash('sha256').update(fs.readFileSync(w.path)).digest('hex'), records.find((r) => r.firstSeq === w.firstSeq)!.sha256);
  assert.deepEqual(await t.services.exchange.verifyLog(), { ok: true, rows: 0, batches: 0, archives: 7, archivedRows: 18 });
  const result = await verifyArchiveFiles(archiveFilesAt(dir), { suites: suites() });
  assert.equal(result.ok, true, JSON.stringify(result.firstBad));
  assert.deepEqual(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')), [], 'the loser removed its temporary file');
});

/** As the app wires it: the rows give the root, and the token is this TSA's, unrevoked. */
const batchChecker: BatchChecker = async (batch, hashes) => (buildTree(batch.hash, hashes).root.equals(batch.root) ? t.services.trust.verification.checkBatchToken(batch.token, batch.root) : 'the rows no longer give the timestamped root');

/** A root certificate of another instance, as PEM. */
async function otherRootPem(): Promise<string> {
  const suite = t.services.trust.suites['ecdsa-p256-sha256'];
  const key = suite.generateKeyPair();
  const name = { commonName: 'Another instance Root CA' };
  const { issueCertificate, newSerialNumber, toPem } = await import('../trust/x509.ts');
  return toPem(issueCertificate({ profile: 'root-ca', serialNumber: newSerialNumber(), subject: name, subjectPublicKeySpki: key.publicKeySpki, notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000), issuer: { name, key, suite } }));
}

test('a log that does not verify is not archived: the evidence of a changed row is never purged', async () => {
  await call('ten'); // rows 19–20
  await t.services.exchange.timestampLog();
  await sql`alter table exchange.message_log disable trigger user`.execute(db());
  await sql`update exchange.message_log set status = 500 where seq = 20`.execute(db());
  await sql`alter table exchange.message_log enable trigger user`.execute(db());
  t.clock.advance(2 * DAY);
  const before = fs.readdirSync(dir).sort();
  await assert.rejects(t.services.exchange.archiveLog(), /not archived: row 20 does not match its hash chain/);
  assert.deepEqual(await rowsIn(), [19, 20]);
  assert.equal((await t.services.exchange.archiver.list()).length, 7);
  assert.deepEqual(fs.readdirSync(dir).sort(), before, 'no file, not even a temporary one, is left');
});
