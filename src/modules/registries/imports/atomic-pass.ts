// An atomic import in one pass and ONE transaction: each batch of rows is checked (the
// engine's checkRecord, keys given twice) and, while the file is still clean, written at once
// inside the transaction, so the database inserts one batch while the next is being checked.
// References are settled at the end against the file's keys and the registry; then the
// transaction commits with the import's final state and its audit event, or, when any row
// had a problem, it is rolled back whole and the report comes back. Nothing is visible to
// anyone before the commit, and a crash anywhere leaves nothing: the same guarantee as
// "check everything, then write", without reading the file twice.
//
// On the embedded database (one connection) the import holds the database for its whole
// length; large files on a busy embedded node go better as resumable imports.
import type { Operator } from '../../../platform/actor.ts';
import type { Audit } from '../../../platform/audit.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db.ts';
import { ConflictError } from '../../../platform/errors.ts';
import type { RegistryDefinition } from '../engine/definition.ts';
import { checkRecord, type ValidationContext } from '../engine/validate.ts';
import { duplicateKey, missing, noSuchPerson, recordExists, Report, type Pending } from './check.ts';
import { readRows } from './read.ts';
import * as store from './store.ts';
import type { WriteCounts } from './write-pass.ts';

export type AtomicInput = {
  db: Db;
  audit: Audit;
  clock: Clock;
  op: Operator;
  definition: RegistryDefinition;
  row: store.ImportRow;
  file: string;
  ctx: ValidationContext;
  auditDetail: Record<string, unknown>;
  /** PostgreSQL: the import row's heartbeat from another connection while the transaction runs. */
  heartbeat: boolean;
  onProgress: (state: { rows: number; bytes: number; written: number; finishing: boolean }) => void;
  afterBatch?: (written: number) => void;
};

/** The file had problems: the transaction is rolled back and the report goes to the caller. */
export class FileRefused extends Error {
  readonly report: Report;
  readonly totalRows: number;
  constructor(report: Report, totalRows: number) {
    super('the file has problems');
    this.report = report;
    this.totalRows = totalRows;
  }
}

const raced = () =>
  new ConflictError(
    'record_exists',
    'Nothing was imported: a record of the file was created by someone else while it was being imported. Import the file again.',
    '未导入任何数据：导入期间文件中的某条记录已被他人创建。请重新导入。',
  );

/** Rows checked between two turns of the event loop. */
const YIELD_EVERY = 500;

export async function importAtomic(input: AtomicInput): Promise<WriteCounts & { totalRows: number }> {
  const { definition, row } = input;
  const name = definition.name;
  const update = row.on_existing === 'update';
  const counts: WriteCounts = { committed: 0, created: 0, updated: 0, unchanged: 0 };
  return input.db.transaction().execute(async (trx) => {
    const at = input.clock.now();
    const provenance: store.BatchProvenance = { registry: name, source: `import:${row.file_name}`, actorId: input.op.auditAs.id, actorName: input.op.auditAs.name, reason: row.reason, at, importId: row.id, update };
    const report = new Report();
    /** Every key of the file that passed its own checks → its row. */
    const keyRows = new Map<string, number>();
    // References the file itself may still answer, by the key they wait for: dropped as soon
    // as that key's row passes, so only the open ones are held (a spouse or a child later in
    // the file), not one object per reference of a ten-million-row file.
    const waiting = new Map<string, Pending[]>();
    /** References to other registries, and to keys the file never had: checked against the database at the end. */
    const pending: Pending[] = [];
    const reading = { bytes: 0 };
    let totalRows = 0;
    let written = 0;
    let beat = Date.now();
    let writing: Promise<void> | undefined;
    let sinceYield = 0;

    const write = async (rows: { row: number; key: string; json: string }[]) => {
      const result = await store.writeBatch(trx, rows, provenance).catch((err: unknown) => {
        // Created by someone else since it was looked up: the transaction is lost, the file is fine.
        if (store.isUniqueViolation(err)) throw raced();
        throw err;
      });
      for (const w of result) if (w.version === 1) counts.created++;
      else counts.updated++;
      if (update) counts.unchanged += rows.length - result.length;
      else if (result.length < rows.length) {
        const done = new Set(result.map((w) => w.key));
        for (const r of rows) if (!done.has(r.key)) report.add(recordExists(r.row, definition, r.key));
      }
      written += rows.length;
      input.onProgress({ rows: totalRows, bytes: reading.bytes, written, finishing: false });
      input.afterBatch?.(written);
      if (input.heartbeat && Date.now() - beat > 5000) {
        beat = Date.now();
        await store.updateImport(input.db, row.id, { updated_at: input.clock.now() });
      }
    };

    for await (const batch of readRows(row.format, input.file, definition, reading)) {
      const passed: { row: number; key: string; json: string }[] = [];
      for (const source of batch) {
        // Let the event loop run now and then: the batch in flight is still being sent to the
        // database and its answer read while this one is checked, so both sides stay busy.
        if (++sinceYield >= YIELD_EVERY) {
          sinceYield = 0;
          await new Promise((resolve) => setImmediate(resolve));
        }
        totalRows++;
        if (source.problem) {
          report.add(source.problem);
          continue;
        }
        const checked = checkRecord(definition, source.data, input.ctx);
        if (checked.errors.length > 0) {
          for (const e of checked.errors) report.addField(source.row, e);
          continue;
        }
        const key = String(checked.data[definition.keyField]);
        const earlier = keyRows.get(key);
        if (earlier !== undefined) {
          report.add(duplicateKey(source.row, definition, key, earlier));
          continue;
        }
        keyRows.set(key, source.row);
        waiting.delete(key);
        for (const ref of checked.references) {
          const open: Pending = { row: source.row, field: ref.field, registry: ref.registry, key: ref.key, source: key };
          if (ref.registry !== name) pending.push(open);
          else if (!keyRows.has(ref.key)) {
            const list = waiting.get(ref.key);
            if (list) list.push(open);
            else waiting.set(ref.key, [open]);
          }
        }
        passed.push({ row: source.row, key, json: `{"k":${JSON.stringify(key)},"d":${JSON.stringify(checked.data)}}` });
      }
      // One batch in the database while the next is checked; after the first problem nothing
      // more is written (the transaction will be rolled back), but the whole file is checked.
      if (writing) await writing;
      writing = undefined;
      if (report.total === 0 && passed.length > 0) {
        writing = write(passed);
        writing.catch(() => {}); // awaited before the next batch; this only keeps Node from calling it unhandled meanwhile
      }
      input.onProgress({ rows: totalRows, bytes: reading.bytes, written, finishing: false });
    }
    if (writing) await writing;
    input.onProgress({ rows: totalRows, bytes: reading.bytes, written, finishing: true });

    // References to persons later in the file were left open; the rest must be in the registry.
    for (const list of waiting.values()) pending.push(...list);
    waiting.clear();
    for (const failed of await missing(trx, pending, (ref) => ref.registry === name && keyRows.has(ref.key))) report.add(noSuchPerson(failed));
    if (report.total > 0) throw new FileRefused(report, totalRows);

    counts.committed = counts.created + counts.updated + counts.unchanged;
    const now = input.clock.now();
    await store.updateImport(trx, row.id, {
      status: 'done',
      phase: 'finished',
      total_rows: totalRows,
      processed_rows: totalRows,
      committed_rows: counts.committed,
      created_rows: counts.created,
      updated_rows: counts.updated,
      unchanged_rows: counts.unchanged,
      error_count: 0,
      progress: 1,
      updated_at: now,
      finished_at: now,
    });
    await input.audit.record(trx, {
      actor: input.op.auditAs,
      action: 'registries.records.import',
      subjectType: 'registry',
      subjectId: name,
      outcome: 'success',
      detail: { importId: row.id, ...input.auditDetail, rows: totalRows, created: counts.created, updated: counts.updated, unchanged: counts.unchanged },
      ip: input.op.ip,
      requestId: input.op.requestId,
    });
    return { ...counts, totalRows };
  });
}
