// The message-log archive file format (docs/exchange-archives.md) and its offline check. A file
// is JSON Lines: a header, the timestamp batches (tokens included), the rows, an end line. It
// proves itself with nothing but the file: rows chain by hash from the header's prevHash,
// each batch's Merkle root over its rows is what its TSA token covers, and the TSA chains to
// the root certificate the header carries (pinned with --ca). Files chain too: each header
// names the SHA-256 of the file before it, so a removed or replaced file is noticed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { buildTree, readCertificate, type Suite, type SuiteName } from '../trust/index.ts';
import { batchTokenHolds, recordHash, type OfflineTrust, type RecordJson } from './evidence.ts';
import { ZERO_HASH } from './log-archive-records.ts';

export const ARCHIVE_FORMAT = 'egov-exchange-log-archive/1';
/** exchange-log-<first seq, 16 digits>.jsonl: a retried archive of the same rows gets the same name. */
export const ARCHIVE_FILE_PATTERN = /^exchange-log-(\d{16})\.jsonl$/;

export function archiveFileName(firstSeq: number): string {
  return `exchange-log-${String(firstSeq).padStart(16, '0')}.jsonl`;
}

export type ArchiveHeader = {
  type: 'header';
  format: typeof ARCHIVE_FORMAT;
  instance: string;
  createdAt: string;
  firstSeq: number;
  lastSeq: number;
  rows: number;
  batches: number;
  /** The hash row firstSeq links to (64 zeros for row 1). */
  prevHash: string;
  /** The previous archive file, by name and SHA-256 (null and 64 zeros for the first). */
  prevArchiveFile: string | null;
  prevArchiveSha256: string;
  /** DER, base64, by serial: the issuing CA and the root, for the TSA's chain. */
  certificates: Record<string, string>;
  rootSerial: string;
};
export type ArchiveBatch = { type: 'batch'; id: number; firstSeq: number; lastSeq: number; hash: 'sha256' | 'sm3'; root: string; token: string; createdAt: string };
export type ArchiveRow = { type: 'row' } & RecordJson;
export type ArchiveEnd = { type: 'end'; rows: number; lastHash: string };

export function archiveLine(record: ArchiveHeader | ArchiveBatch | ArchiveRow | ArchiveEnd): string {
  return `${JSON.stringify(record)}\n`;
}

export type ArchiveFileReport = {
  file: string;
  sha256: string;
  header?: ArchiveHeader;
  rows: number;
  batches: number;
  /** The last row's hash, as read. */
  lastHash?: string;
  /** The span of the batch timestamps that held. */
  timestamps?: { from: Date; to: Date };
  /** The first thing that does not hold; `row` when it is about a row (or the batch starting there). */
  problem?: { row?: number; reason: string };
};

type Trust = { suites: Record<SuiteName, Suite>; trustedRoot?: Buffer };

/** Reads and checks one archive file; the SHA-256 covers the file's bytes as stored. */
export async function checkArchiveFile(file: string, trust: Trust): Promise<ArchiveFileReport> {
  const report: ArchiveFileReport = { file, sha256: '', rows: 0, batches: 0 };
  const hash = crypto.createHash('sha256');
  const stream = fs.createReadStream(file);
  stream.on('data', (chunk) => hash.update(chunk));
  const fail = (reason: string, row?: number) => {
    report.problem ??= { row, reason };
  };
  const batches: (ArchiveBatch & { hashes: Buffer[] })[] = [];
  let header: ArchiveHeader | undefined;
  let ended = false;
  let expected = 0;
  let prev = '';
  let lineNo = 0;
  try {
    for await (const line of readline.createInterface({ input: stream, crlfDelay: Infinity })) {
      lineNo += 1;
      if (report.problem) continue; // read on, for the file's SHA-256
      let item: { type?: string };
      try {
        item = JSON.parse(line);
      } catch {
        fail(`line ${lineNo} is not JSON (after row ${expected - 1})`, expected || undefined);
        continue;
      }
      if (!header) {
        if (item.type !== 'header' || (item as ArchiveHeader).format !== ARCHIVE_FORMAT) fail(`not an archive of format ${ARCHIVE_FORMAT}`);
        else {
          header = item as ArchiveHeader;
          report.header = header;
          expected = header.firstSeq;
          prev = header.prevHash;
        }
      } else if (ended) fail(`line ${lineNo} follows the end line`);
      else if (item.type === 'batch') {
        const batch = item as ArchiveBatch;
        const lastBatch = batches.at(-1);
        if (batch.firstSeq !== (lastBatch ? lastBatch.lastSeq + 1 : header.firstSeq) || batch.lastSeq < batch.firstSeq) fail(`batch ${batch.id} does not follow the batch before it`, batch.firstSeq);
        batches.push({ ...batch, hashes: [] });
      } else if (item.type === 'row') {
        const row = item as ArchiveRow;
        if (row.seq !== expected) fail(`row ${expected} is missing (row ${row.seq} comes next)`, expected);
        else if (row.prevHash !== prev) fail(`row ${row.seq} does not link to the row before it`, row.seq);
        else if (safeHash(row) !== row.hash) fail(`row ${row.seq} was changed after it was written`, row.seq);
        else {
          const batch = batches.find((b) => b.firstSeq <= row.seq && row.seq <= b.lastSeq);
          if (!batch || batch.id !== row.batchId) fail(`row ${row.seq} is not in the timestamp batch it names`, row.seq);
          else batch.hashes.push(Buffer.from(row.hash, 'hex'));
          prev = row.hash;
          expected += 1;
          report.rows += 1;
        }
      } else if (item.type === 'end') {
        const end = item as ArchiveEnd;
        ended = true;
        if (end.rows !== report.rows || end.lastHash !== prev) fail(`the end line counts ${end.rows} rows; ${report.rows} were read`, expected);
      } else fail(`line ${lineNo} is of an unknown type ${String(item.type)}`);
    }
  } catch (err) {
    report.problem = { reason: `cannot be read (${(err as Error).message})` };
  }
  report.sha256 = hash.digest('hex');
  if (report.problem) return report;
  if (!header) return { ...report, problem: { reason: 'the file is empty' } };
  if (!ended) return { ...report, problem: { row: expected, reason: `the file is cut short after row ${expected - 1}: its end line is missing` } };
  if (expected - 1 !== header.lastSeq || report.rows !== header.rows) return { ...report, problem: { row: expected, reason: `the header says rows ${header.firstSeq}–${header.lastSeq}; rows up to ${expected - 1} are here` } };
  report.lastHash = prev;
  report.batches = batches.length;
  checkBatches(report, header, batches, trust);
  return report;
}

function safeHash(row: ArchiveRow): string | undefined {
  try {
    return recordHash(row);
  } catch {
    return undefined; // a field of the wrong type: the row does not match
  }
}

/** Each batch: its rows give the root its token covers, and the token verifies up to the root. */
function checkBatches(report: ArchiveFileReport, header: ArchiveHeader, batches: (ArchiveBatch & { hashes: Buffer[] })[], trust: Trust): void {
  let offline: OfflineTrust;
  try {
    const root = Buffer.from(header.certificates[header.rootSerial] ?? '', 'base64');
    if (trust.trustedRoot && !trust.trustedRoot.equals(root)) {
      report.problem = { reason: "the archive's root certificate is not the trusted root given (--ca)" };
      return;
    }
    offline = { certificates: Object.values(header.certificates).map((b64) => readCertificate(Buffer.from(b64, 'base64'))), rootSerial: header.rootSerial, suites: trust.suites, problems: [] };
  } catch (err) {
    report.problem = { reason: `the certificates in the header cannot be read (${(err as Error).message})` };
    return;
  }
  if (header.batches !== batches.length || batches.at(-1)?.lastSeq !== header.lastSeq) {
    report.problem = { row: header.firstSeq, reason: `the batches do not cover rows ${header.firstSeq}–${header.lastSeq}` };
    return;
  }
  for (const batch of batches) {
    const label = `rows ${batch.firstSeq}–${batch.lastSeq}`;
    if (batch.hashes.length !== batch.lastSeq - batch.firstSeq + 1 || !buildTree(batch.hash, batch.hashes).root.equals(Buffer.from(batch.root, 'hex'))) {
      report.problem = { row: batch.firstSeq, reason: `${label}: the rows no longer give the timestamped root` };
      return;
    }
    const genTime = batchTokenHolds(Buffer.from(batch.token, 'base64'), Buffer.from(batch.root, 'hex'), label, offline);
    if (offline.problems.length > 0 || !genTime) {
      report.problem = { row: batch.firstSeq, reason: offline.problems[0] ?? `${label}: the timestamp does not hold` };
      return;
    }
    report.timestamps = { from: report.timestamps && report.timestamps.from < genTime ? report.timestamps.from : genTime, to: report.timestamps && report.timestamps.to > genTime ? report.timestamps.to : genTime };
  }
}

export type ArchiveSetResult = {
  ok: boolean;
  files: ArchiveFileReport[];
  /** The first file, and row, that does not hold (files in row order). */
  firstBad?: { file: string; row?: number; reason: string };
  notes: string[];
};

/** The archive files in a folder (by name), or the one file given. */
export function archiveFilesAt(target: string): string[] {
  if (!fs.statSync(target).isDirectory()) return [target];
  return fs
    .readdirSync(target)
    .filter((name) => ARCHIVE_FILE_PATTERN.test(name))
    .sort()
    .map((name) => path.join(target, name));
}

/** Checks each file, then that consecutive files link by SHA-256 and by row hash. */
export async function verifyArchiveFiles(files: string[], trust: Trust, onFile?: (report: ArchiveFileReport) => void): Promise<ArchiveSetResult> {
  const reports: ArchiveFileReport[] = [];
  for (const file of files) {
    const report = await checkArchiveFile(file, trust);
    onFile?.(report);
    reports.push(report);
  }
  reports.sort((a, b) => (a.header?.firstSeq ?? Infinity) - (b.header?.firstSeq ?? Infinity));
  const notes: string[] = [];
  let firstBad: ArchiveSetResult['firstBad'];
  for (const [i, report] of reports.entries()) {
    const name = path.basename(report.file);
    if (report.problem) {
      firstBad ??= { file: report.file, row: report.problem.row, reason: report.problem.reason };
      continue;
    }
    const header = report.header!;
    const before = reports[i - 1];
    if (!before) {
      if (header.firstSeq === 1 && (header.prevArchiveSha256 !== ZERO_HASH || header.prevHash !== ZERO_HASH)) firstBad ??= { file: report.file, row: 1, reason: 'it holds row 1 but names an archive before it' };
      else if (header.firstSeq !== 1) notes.push(`${name} starts at row ${header.firstSeq}; the archive before it (${header.prevArchiveFile}) was not given, so the link to it is not checked`);
      continue;
    }
    if (!before.header) continue; // named above
    const previous = path.basename(before.file);
    if (header.firstSeq !== before.header.lastSeq + 1) {
      const gap = header.firstSeq > before.header.lastSeq + 1 ? `rows ${before.header.lastSeq + 1}–${header.firstSeq - 1} are missing: ${header.prevArchiveFile ?? 'an archive'} was removed` : `it overlaps ${previous}`;
      firstBad ??= { file: report.file, row: header.firstSeq, reason: `it does not follow ${previous}: ${gap}` };
    } else if (header.prevArchiveSha256 !== before.sha256) {
      firstBad ??= { file: report.file, row: header.firstSeq, reason: `it names a previous archive with SHA-256 ${header.prevArchiveSha256.slice(0, 16)}…, but ${previous} has ${before.sha256.slice(0, 16)}…: ${previous} was changed or replaced` };
    } else if (header.prevHash !== before.lastHash) {
      firstBad ??= { file: report.file, row: header.firstSeq, reason: `row ${header.firstSeq} does not link to the last row of ${previous}` };
    }
  }
  return { ok: reports.length > 0 && !firstBad, files: reports, firstBad, notes };
}
