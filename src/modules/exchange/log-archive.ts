// Message-log retention. Rows older than the retention period leave the database, but never
// unproven: whole timestamp batches at a time, they are written to an archive file that proves
// itself (log-archive-file.ts), the file is recorded in exchange.log_archives, and only then,
// in the same transaction as that record, are the rows and their batches deleted. The
// append-only trigger allows a DELETE only of rows a recorded archive holds.
//
// Crash safety: the file is written under a temporary name and fsynced first; the rename to
// its final name happens inside the transaction, after a lock and a check that no other
// archiver (another replica) recorded this archive meanwhile. A crash before the commit leaves
// at worst a file that is not recorded; its name depends only on its first row, so the next
// run, which starts at that same row, replaces it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { DomainError } from '../../platform/errors.ts';
import { buildTree, readCertificate } from '../trust/index.ts';
import { recordOf } from './evidence.ts';
import { ARCHIVE_FORMAT, archiveFileName, archiveLine, type ArchiveBatch, type ArchiveRow } from './log-archive-file.ts';
import { findLatestArchive, insertArchive, listArchives, ZERO_HASH, type ArchiveRecord } from './log-archive-records.ts';
import { entryOf, rowHash, type BatchChecker, type LogRow } from './message-log.ts';

const DAY_MS = 86_400_000;
/** Rows per file, in whole batches (a bigger batch makes a bigger file): bounds each purge transaction. */
const DEFAULT_MAX_ROWS = 20_000;
/** A temporary file this old belongs to no archiver still running. */
const STALE_TEMP_MS = 3_600_000;

export type LogArchiveSettings = { dir: string; retentionDays: number; maxRowsPerFile?: number };
export type ArchiveWritten = { file: string; path: string; firstSeq: number; lastSeq: number; rows: number; batches: number; sha256: string };
export type ArchiveProgress = { file: string; firstSeq: number; lastSeq: number; rowsWritten: number };
/** `waiting`: why rows past the retention period stay for now (not yet timestamped). */
export type ArchiveRun = { written: ArchiveWritten[]; waiting?: string };

/** The refusal to archive a log that does not verify: purging would destroy the evidence. */
export class LogArchiveRefused extends Error {
  constructor(reason: string) {
    super(`Message-log rows were not archived: ${reason}. Run egov exchange verify-log to see what does not match.`);
  }
}

export class ArchivedExchangeError extends DomainError {
  constructor(message: string, messageZh: string) {
    super('exchange_log_archived', message, messageZh);
  }
}

type Candidate = { id: number; firstSeq: number; lastSeq: number; hash: 'sha256' | 'sm3'; root: string; token: Buffer; createdAt: Date };

export type LogArchiverDeps = {
  db: Db;
  clock: Clock;
  instance: string;
  settings: LogArchiveSettings;
  caChainDer: () => Promise<Buffer[]>;
  batchChecker: BatchChecker;
  /** Tests only: runs inside the purge transaction, after the rename, before the commit. */
  beforeCommit?: (file: string) => Promise<void> | void;
};

export function createLogArchiver(deps: LogArchiverDeps) {
  const { db, clock, settings } = deps;
  const maxRows = settings.maxRowsPerFile ?? DEFAULT_MAX_ROWS;

  /** Whole batches after the last archive, every row older than the cutoff, up to maxRows. */
  async function candidates(nextSeq: number, cutoff: Date): Promise<{ batches: Candidate[]; waiting?: string }> {
    const batches: Candidate[] = [];
    let rows = 0;
    let expected = nextSeq;
    const found = await db.selectFrom('exchange.log_batches').selectAll().where('first_seq', '>=', nextSeq).orderBy('first_seq').limit(1000).execute();
    for (const b of found) {
      const [firstSeq, lastSeq] = [Number(b.first_seq), Number(b.last_seq)];
      if (firstSeq !== expected) break;
      if (rows > 0 && rows + (lastSeq - firstSeq + 1) > maxRows) break;
      const newest = await db.selectFrom('exchange.message_log').select((eb) => eb.fn.max('at').as('at')).where('seq', '>=', firstSeq).where('seq', '<=', lastSeq).executeTakeFirst();
      if (!newest?.at || new Date(newest.at) >= cutoff) break;
      batches.push({ id: Number(b.id), firstSeq, lastSeq, hash: b.hash, root: b.root, token: Buffer.from(b.token), createdAt: new Date(b.created_at) });
      rows += lastSeq - firstSeq + 1;
      expected = lastSeq + 1;
    }
    if (batches.length > 0) return { batches };
    const old = await db.selectFrom('exchange.message_log').select('seq').where('seq', '=', nextSeq).where('batch_id', 'is', null).where('at', '<', cutoff).executeTakeFirst();
    return { batches, waiting: old ? `row ${nextSeq} is past the retention period but not timestamped yet; it is archived once its batch is` : undefined };
  }

  /** Writes rows first–last to `fd`, checking each as it goes: a log that does not verify is not archived. */
  async function writeRows(fd: number, hash: crypto.Hash, batches: Candidate[], prevHash: string, onRows: (n: number) => void): Promise<string> {
    const write = (line: string) => {
      const bytes = Buffer.from(line);
      fs.writeSync(fd, bytes);
      hash.update(bytes);
    };
    let prev = prevHash;
    let expected = batches[0].firstSeq;
    for (const batch of batches) {
      const hashes: Buffer[] = [];
      while (expected <= batch.lastSeq) {
        const page = (await db.selectFrom('exchange.message_log').selectAll().where('seq', '>=', expected).where('seq', '<=', batch.lastSeq).orderBy('seq').limit(2000).execute()) as LogRow[];
        if (page.length === 0) throw new LogArchiveRefused(`row ${expected} is missing`);
        for (const row of page) {
          const seq = Number(row.seq);
          if (seq !== expected) throw new LogArchiveRefused(`row ${expected} is missing`);
          if (row.prev_hash !== prev || rowHash(seq, new Date(row.at), entryOf(row), prev) !== row.hash) throw new LogArchiveRefused(`row ${seq} does not match its hash chain`);
          if (Number(row.batch_id) !== batch.id) throw new LogArchiveRefused(`row ${seq} is not in batch ${batch.id}`);
          write(archiveLine({ type: 'row', ...recordOf(row) } satisfies ArchiveRow));
          hashes.push(Buffer.from(row.hash, 'hex'));
          prev = row.hash;
          expected += 1;
        }
        onRows(expected - batches[0].firstSeq);
      }
      const root = Buffer.from(batch.root, 'hex');
      const problem = buildTree(batch.hash, hashes).root.equals(root) ? await deps.batchChecker({ hash: batch.hash, root, token: batch.token }, hashes) : 'the rows no longer give the timestamped root';
      if (problem) throw new LogArchiveRefused(`the timestamp of rows ${batch.firstSeq}–${batch.lastSeq} does not hold: ${problem}`);
    }
    write(archiveLine({ type: 'end', rows: expected - batches[0].firstSeq, lastHash: prev }));
    return prev;
  }

  /** Writes the archive under a temporary name, fsynced; returns it with the record it will get. */
  async function writeTemp(base: ArchiveRecord | undefined, batches: Candidate[], onProgress?: (p: ArchiveProgress) => void): Promise<{ tempPath: string; record: ArchiveRecord }> {
    const firstSeq = batches[0].firstSeq;
    const lastSeq = batches.at(-1)!.lastSeq;
    const fileName = archiveFileName(firstSeq);
    const prevHash = base?.lastHash ?? ZERO_HASH;
    const tempPath = path.join(settings.dir, `.${fileName}.${crypto.randomBytes(6).toString('hex')}.tmp`);
    const chain = await deps.caChainDer();
    const hash = crypto.createHash('sha256');
    const fd = fs.openSync(tempPath, 'wx');
    try {
      const header = archiveLine({
        type: 'header',
        format: ARCHIVE_FORMAT,
        instance: deps.instance,
        createdAt: clock.now().toISOString(),
        firstSeq,
        lastSeq,
        rows: lastSeq - firstSeq + 1,
        batches: batches.length,
        prevHash,
        prevArchiveFile: base?.fileName ?? null,
        prevArchiveSha256: base?.sha256 ?? ZERO_HASH,
        certificates: Object.fromEntries(chain.map((der) => [readCertificate(der).serial, der.toString('base64')])),
        rootSerial: readCertificate(chain.at(-1)!).serial,
      });
      const batchLines = batches.map((b) => archiveLine({ type: 'batch', id: b.id, firstSeq: b.firstSeq, lastSeq: b.lastSeq, hash: b.hash, root: b.root, token: b.token.toString('base64'), createdAt: b.createdAt.toISOString() } satisfies ArchiveBatch));
      for (const line of [header, ...batchLines]) {
        fs.writeSync(fd, line);
        hash.update(line);
      }
      const lastHash = await writeRows(fd, hash, batches, prevHash, (n) => onProgress?.({ file: fileName, firstSeq, lastSeq, rowsWritten: n }));
      fs.fsyncSync(fd);
      const record = { firstSeq, lastSeq, fileName, sha256: hash.digest('hex'), prevSha256: base?.sha256 ?? ZERO_HASH, prevHash, lastHash, rowCount: lastSeq - firstSeq + 1, batchCount: batches.length, createdAt: clock.now() };
      return { tempPath, record };
    } catch (err) {
      fs.rmSync(tempPath, { force: true });
      throw err;
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Renames the file into place, records it and purges its rows, in one transaction; false when another archiver was first. */
  async function commit(base: ArchiveRecord | undefined, tempPath: string, record: ArchiveRecord, batchIds: number[]): Promise<boolean> {
    const finalPath = path.join(settings.dir, record.fileName);
    const committed = await db
      .transaction()
      .execute(async (trx) => {
        // One archiver at a time across replicas; plain reads (verify-log, search) still go on.
        await sql`lock table exchange.log_archives in exclusive mode`.execute(trx);
        const latest = await findLatestArchive(trx);
        if (latest?.firstSeq !== base?.firstSeq) return false; // another archiver recorded these rows first
        fs.renameSync(tempPath, finalPath);
        syncDir(settings.dir);
        await deps.beforeCommit?.(finalPath);
        await insertArchive(trx, record);
        const rows = await trx.deleteFrom('exchange.message_log').where('seq', '>=', record.firstSeq).where('seq', '<=', record.lastSeq).executeTakeFirst();
        if (Number(rows.numDeletedRows) !== record.rowCount) throw new LogArchiveRefused(`expected to purge ${record.rowCount} rows, found ${rows.numDeletedRows}`);
        await trx.deleteFrom('exchange.log_batches').where('id', 'in', batchIds).execute();
        // Kept bodies live as long as their exchange's rows: they are not archived.
        await sql`delete from exchange.message_bodies b where not exists (select 1 from exchange.message_log l where l.x_road_id = b.x_road_id)`.execute(trx);
        return true;
      })
      .catch((err: unknown) => {
        // Gone already if it was renamed: the final file then stays, unrecorded, for the next run to replace.
        fs.rmSync(tempPath, { force: true });
        throw err;
      });
    if (!committed) fs.rmSync(tempPath, { force: true });
    return committed;
  }

  /** One archive file, recorded and purged; `written` undefined when nothing (more) is due. */
  async function archiveOne(onProgress?: (p: ArchiveProgress) => void): Promise<{ written?: ArchiveWritten; waiting?: string; raced?: true }> {
    const base = await findLatestArchive(db);
    const cutoff = new Date(clock.now().getTime() - settings.retentionDays * DAY_MS);
    const { batches, waiting } = await candidates(base ? base.lastSeq + 1 : 1, cutoff);
    if (batches.length === 0) return { waiting };
    const { tempPath, record } = await writeTemp(base, batches, onProgress);
    if (!(await commit(base, tempPath, record, batches.map((b) => b.id)))) return { raced: true };
    const { fileName: file, firstSeq, lastSeq, rowCount: rows, sha256 } = record;
    return { written: { file, path: path.join(settings.dir, file), firstSeq, lastSeq, rows, batches: batches.length, sha256 } };
  }

  let running: Promise<ArchiveRun> | undefined;

  async function run(onProgress?: (p: ArchiveProgress) => void): Promise<ArchiveRun> {
    fs.mkdirSync(settings.dir, { recursive: true });
    removeStaleTemps(settings.dir);
    const written: ArchiveWritten[] = [];
    for (;;) {
      const result = await archiveOne(onProgress);
      if (result.raced) continue; // another replica archived these rows; go on after them
      if (!result.written) return { written, waiting: result.waiting };
      written.push(result.written);
    }
  }

  return {
    settings,

    /** Archives and purges everything past the retention period; a no-op when retention is 0. */
    archiveNow(onProgress?: (p: ArchiveProgress) => void): Promise<ArchiveRun> {
      if (settings.retentionDays <= 0) return Promise.resolve({ written: [] });
      // The timer and the CLI in one process share one run.
      running ??= run(onProgress).finally(() => {
        running = undefined;
      });
      return running;
    },

    list: () => listArchives(db),

    /**
     * An exchange not in the database may have been archived: if so, says in which file (the
     * archive folder is searched newest first), so the caller is not told "not found".
     */
    async assertNotArchived(xRoadId: string): Promise<void> {
      const archives = await listArchives(db, 'desc');
      if (archives.length === 0) return;
      const missing: string[] = [];
      for (const archive of archives) {
        const file = path.join(settings.dir, archive.fileName);
        if (!fs.existsSync(file)) {
          missing.push(archive.fileName);
          continue;
        }
        const seqs = await seqsOf(file, xRoadId);
        if (seqs.length === 0) continue;
        const date = archive.createdAt.toISOString().slice(0, 10);
        throw new ArchivedExchangeError(
          `Exchange ${xRoadId} is no longer in the database: its log rows (${seqs.join(', ')}) were archived to ${file} on ${date}, after the retention period. Check that file offline with: egov exchange verify-archive ${file}`,
          `交换 ${xRoadId} 已不在数据库中：其日志记录（第 ${seqs.join('、')} 行）已于 ${date} 超过保留期后归档到 ${file}。可用 egov exchange verify-archive ${file} 离线校验该文件。`,
        );
      }
      if (missing.length > 0) {
        const last = archives[0].lastSeq;
        throw new ArchivedExchangeError(
          `No exchange ${xRoadId} in this node's message log. Rows 1–${last} were archived; ${missing.length} archive file(s) are not in ${settings.dir} (e.g. ${missing[0]}), so it may be in one of them. Put the files back there, or search them with: grep ${xRoadId} <file>`,
          `本节点消息日志中没有交换 ${xRoadId}。第 1–${last} 行已归档，其中 ${missing.length} 个归档文件不在 ${settings.dir}（如 ${missing[0]}），该交换可能在其中。请将文件放回该目录，或用 grep ${xRoadId} <文件> 查找。`,
        );
      }
    },
  };
}

export type LogArchiver = ReturnType<typeof createLogArchiver>;

/** The rows of an exchange in one archive file (a cheap substring test before parsing). */
async function seqsOf(file: string, xRoadId: string): Promise<number[]> {
  const seqs: number[] = [];
  for await (const line of readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity })) {
    if (!line.includes(xRoadId)) continue;
    try {
      const item = JSON.parse(line);
      if (item.type === 'row' && item.xRoadId === xRoadId) seqs.push(Number(item.seq));
    } catch {
      // A damaged line: verify-archive names it.
    }
  }
  return seqs;
}

/** A rename is durable once the folder's entry is on disk. */
function syncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Temporary files of runs that crashed before their transaction; never final names. */
function removeStaleTemps(dir: string): void {
  const now = Date.now();
  for (const name of fs.readdirSync(dir)) {
    if (!/^\.exchange-log-\d{16}\.jsonl\.[0-9a-f]+\.tmp$/.test(name)) continue;
    const file = path.join(dir, name);
    if (now - fs.statSync(file).mtimeMs > STALE_TEMP_MS) fs.rmSync(file, { force: true });
  }
}
