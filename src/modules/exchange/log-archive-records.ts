// The exchange.log_archives table: one row per archive file, written in the transaction that
// purged the file's rows. The message log's verify() reads it to know where the rows still in
// the database start, and the archiver reads it to know where the next archive starts.
import type { Executor } from '../../platform/db.ts';

/** The hash the first row links to, and the "previous archive" of the first archive. */
export const ZERO_HASH = '0'.repeat(64);

export type ArchiveRecord = {
  firstSeq: number;
  lastSeq: number;
  fileName: string;
  sha256: string;
  prevSha256: string;
  prevHash: string;
  lastHash: string;
  rowCount: number;
  batchCount: number;
  createdAt: Date;
};

function recordOf(row: Record<string, unknown>): ArchiveRecord {
  return {
    firstSeq: Number(row.first_seq),
    lastSeq: Number(row.last_seq),
    fileName: String(row.file_name),
    sha256: String(row.sha256),
    prevSha256: String(row.prev_sha256),
    prevHash: String(row.prev_hash),
    lastHash: String(row.last_hash),
    rowCount: Number(row.row_count),
    batchCount: Number(row.batch_count),
    createdAt: new Date(row.created_at as string | Date),
  };
}

export async function listArchives(db: Executor, order: 'asc' | 'desc' = 'asc'): Promise<ArchiveRecord[]> {
  return (await db.selectFrom('exchange.log_archives').selectAll().orderBy('first_seq', order).execute()).map(recordOf);
}

export async function findLatestArchive(db: Executor): Promise<ArchiveRecord | undefined> {
  const row = await db.selectFrom('exchange.log_archives').selectAll().orderBy('first_seq', 'desc').limit(1).executeTakeFirst();
  return row && recordOf(row);
}

export async function insertArchive(db: Executor, record: ArchiveRecord): Promise<void> {
  await db
    .insertInto('exchange.log_archives')
    .values({
      first_seq: record.firstSeq,
      last_seq: record.lastSeq,
      file_name: record.fileName,
      sha256: record.sha256,
      prev_sha256: record.prevSha256,
      prev_hash: record.prevHash,
      last_hash: record.lastHash,
      row_count: record.rowCount,
      batch_count: record.batchCount,
      created_at: record.createdAt,
    })
    .execute();
}

export type ArchivedPrefix =
  | { ok: true; archives: number; lastSeq: number; lastHash: string }
  | { ok: false; firstBadSeq: number; reason: string };

/**
 * Where the rows still in the database must start: after the last archived row, linking to
 * its hash. The records must follow each other with no gap, each naming the one before it.
 */
export async function archivedPrefix(db: Executor): Promise<ArchivedPrefix> {
  let next = 1;
  let prevSha = ZERO_HASH;
  let lastHash = ZERO_HASH;
  const archives = await listArchives(db);
  for (const a of archives) {
    if (a.firstSeq !== next) return { ok: false, firstBadSeq: next, reason: `archive ${a.fileName} holds rows ${a.firstSeq}–${a.lastSeq} but the archives before it end at row ${next - 1}: an archive record is missing` };
    if (a.prevSha256 !== prevSha) return { ok: false, firstBadSeq: a.firstSeq, reason: `archive ${a.fileName} does not name the archive before it (SHA-256 ${a.prevSha256.slice(0, 12)}…, expected ${prevSha.slice(0, 12)}…)` };
    if (a.prevHash !== lastHash) return { ok: false, firstBadSeq: a.firstSeq, reason: `archive ${a.fileName} does not link to the last row of the archive before it` };
    next = a.lastSeq + 1;
    prevSha = a.sha256;
    lastHash = a.lastHash;
  }
  return { ok: true, archives: archives.length, lastSeq: next - 1, lastHash };
}
