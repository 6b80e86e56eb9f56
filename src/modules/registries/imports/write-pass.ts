// The second pass of a resumable import: the checked rows written from the work file in
// batches of BATCH_ROWS, each batch one multi-row statement into records and record_versions,
// committed on its own together with the import's committed_rows and resume_row, so after a
// crash the import row says exactly which rows are in (whole batches only) and a resume goes
// on after resume_row. (Atomic imports check and write in one pass: atomic-pass.ts.)
import type { Operator } from '../../../platform/actor.ts';
import type { Audit } from '../../../platform/audit.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db, Executor } from '../../../platform/db.ts';
import type { RegistryDefinition } from '../engine/definition.ts';
import { parseWorkLine, type Report, type WorkLine } from './check.ts';
import { readLines } from './files.ts';
import * as store from './store.ts';

export const BATCH_ROWS = 5000;

/** Shares of a progress bar: checking the file, then writing it. */
export const CHECK_SHARE = 0.3;

export type WriteCounts = { committed: number; created: number; updated: number; unchanged: number };

export type WriteInput = {
  db: Db;
  audit: Audit;
  clock: Clock;
  op: Operator;
  definition: RegistryDefinition;
  row: store.ImportRow;
  workFile: string;
  /** Rows of the work file refused after they were written there. */
  refused: Set<string>;
  /** Rows the check passed, in the whole file (a resumed import counts the earlier ones too). */
  toWrite: number;
  report: Report;
  /** The audit event's detail beyond the counts. */
  auditDetail: Record<string, unknown>;
  onBatch: (counts: WriteCounts & { written: number; progress: number }) => void;
};

type Batch = { lines: WorkLine[]; lastRow: number; rows: store.BatchRow[] };

/** The rows still to write, in file order, as JSON arrays of {"k": key, "d": data}. */
async function* batches(input: WriteInput): AsyncGenerator<Batch> {
  let lines: WorkLine[] = [];
  let lastRow = input.row.resume_row;
  const flush = (): Batch => {
    const batch = { lines, lastRow, rows: lines.map((l) => ({ key: l.key, json: `{"k":${l.keyJson},"d":${l.dataJson}}` })) };
    lines = [];
    return batch;
  };
  for await (const texts of readLines(input.workFile, BATCH_ROWS)) {
    for (const text of texts) {
      const line = parseWorkLine(text);
      if (line.row <= input.row.resume_row) continue;
      lastRow = line.row;
      if (input.refused.has(line.key)) continue;
      lines.push(line);
      if (lines.length >= BATCH_ROWS) yield flush();
    }
  }
  if (lines.length > 0 || lastRow > input.row.resume_row) yield flush();
}

const provenance = (input: WriteInput, at: Date): store.BatchProvenance => ({
  registry: input.definition.name,
  source: `import:${input.row.file_name}`,
  actorId: input.op.auditAs.id,
  actorName: input.op.auditAs.name,
  reason: input.row.reason,
  at,
  importId: input.row.id,
  update: input.row.on_existing === 'update',
});

/** Keys of the batch that were not written: existing=refuse, a record created since the check. */
const notWritten = (batch: Batch, written: { key: string }[]) => {
  const done = new Set(written.map((w) => w.key));
  return batch.lines.filter((l) => !done.has(l.key));
};

function count(counts: WriteCounts, batch: Batch, written: { version: number }[], update: boolean) {
  for (const w of written) if (w.version === 1) counts.created++;
  else counts.updated++;
  if (update) counts.unchanged += batch.lines.length - written.length;
  counts.committed = counts.created + counts.updated + counts.unchanged;
}

const progressOf = (input: WriteInput, done: number) => (input.toWrite === 0 ? 1 : CHECK_SHARE + ((1 - CHECK_SHARE) * Math.min(done, input.toWrite)) / input.toWrite);

async function auditImport(trx: Executor, input: WriteInput, detail: Record<string, unknown>) {
  await input.audit.record(trx, {
    actor: input.op.auditAs,
    action: 'registries.records.import',
    subjectType: 'registry',
    subjectId: input.definition.name,
    outcome: 'success',
    detail: { importId: input.row.id, ...input.auditDetail, ...detail },
    ip: input.op.ip,
    requestId: input.op.requestId,
  });
}

/**
 * Each batch commits with the import's counts and resume_row. The audit event goes with the
 * first write of this run (or with the end, when there is nothing to write), so no record is
 * ever in the registry without the import's event beside it.
 */
export async function writeResumable(input: WriteInput): Promise<WriteCounts> {
  const row = input.row;
  const counts: WriteCounts = { committed: row.committed_rows, created: row.created_rows, updated: row.updated_rows, unchanged: row.unchanged_rows };
  const update = row.on_existing === 'update';
  let audited = false;
  let raceProblems = 0;
  for await (const batch of batches(input)) {
    const commit = (upsertAll: boolean) => input.db.transaction().execute(async (trx) => {
      const at = input.clock.now();
      const rows = await store.writeBatch(trx, batch.rows, provenance(input, at), { upsertAll });
      const next = { ...counts };
      count(next, batch, rows, update);
      if (!update) {
        for (const line of notWritten(batch, rows)) {
          raceProblems++;
          input.report.add({ row: line.row, field: input.definition.keyField, code: 'record_exists', message: 'names a record created by someone else while the file was being imported; it was left as it is', messageZh: '所指记录在导入期间已被他人创建，未予覆盖' });
        }
      }
      await store.updateImport(trx, row.id, {
        committed_rows: next.committed,
        created_rows: next.created,
        updated_rows: next.updated,
        unchanged_rows: next.unchanged,
        resume_row: batch.lastRow,
        progress: progressOf(input, next.committed + raceProblems),
        updated_at: at,
      });
      if (!audited && batch.lines.length > 0) await auditImport(trx, input, {});
      Object.assign(counts, next);
    });
    // A key created by someone else since it was looked up: the batch again, each row by upsert.
    await commit(false).catch((err: unknown) => {
      if (store.isUniqueViolation(err)) return commit(true);
      throw err;
    });
    if (batch.lines.length > 0) audited = true;
    input.onBatch({ ...counts, written: counts.committed, progress: progressOf(input, counts.committed + raceProblems) });
  }
  await input.db.transaction().execute(async (trx) => {
    const now = input.clock.now();
    await store.updateImport(trx, row.id, { status: 'done', phase: 'finished', progress: 1, error_count: input.report.total, report: input.report.sorted(), updated_at: now, finished_at: now });
    if (!audited) await auditImport(trx, input, {});
  });
  return counts;
}
