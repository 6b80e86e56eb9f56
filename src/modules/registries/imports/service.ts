// Bulk import and export of record registries (population, legal entities, and any other
// registry the engine keeps). An import reads the file twice: first every row is checked and
// the ones that pass go to a work file (check.ts), then they are written in batches
// (write-pass.ts). Atomic imports write nothing when any row has a problem; resumable ones
// skip those rows, commit batch by batch and go on after a crash from where the import row
// says. Records that exist already are refused (a problem `record_exists`) unless the caller
// asks for existing=update, which gives each changed one a new version (unchanged ones are
// left as they are). The import row in registries.imports carries the progress another
// request polls, and the report.
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Operator } from '../../../platform/actor.ts';
import type { Audit } from '../../../platform/audit.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db.ts';
import { ConflictError, NotFoundError, invalidField } from '../../../platform/errors.ts';
import type { RegistryRow } from '../catalog.ts';
import type { Records } from '../engine/records.ts';
import type { ValidationContext } from '../engine/validate.ts';
import { ImportRejectedError, type ReportEntry } from '../../../platform/import-report.ts';
import * as policy from '../policy.ts';
import { importAtomic, FileRefused } from './atomic-pass.ts';
import { checkFile } from './check.ts';
import { createWorkDir, removeWorkDir, type SpooledFile } from './files.ts';
import { IMPORT_FORMATS, type ImportFormat } from './read.ts';
import * as store from './store.ts';
import { CHECK_SHARE, writeResumable, type WriteCounts } from './write-pass.ts';

export { IMPORT_FORMATS, type ImportFormat };
export const IMPORT_MODES = ['atomic', 'resumable'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];
export const ON_EXISTING = ['refuse', 'update'] as const;
export type OnExisting = (typeof ON_EXISTING)[number];

/** An import's progress and outcome, as GET /api/registries/:name/imports/:id answers it. */
export type ImportView = {
  id: string;
  registry: string;
  format: ImportFormat;
  mode: ImportMode;
  onExisting: OnExisting;
  status: store.ImportStatus;
  /** validating: rows are checked (processedRows grows); writing: rows go in; finished. */
  phase: store.ImportPhase;
  fileName: string;
  fileSha256: string;
  fileBytes: number;
  reason: string;
  /** Data rows of the file; null until the check has read it all. */
  totalRows: number | null;
  processedRows: number;
  /** Rows in the registry for good: written (created or updated) or, with existing=update, already the same. */
  committedRows: number;
  /** Rows written so far: an atomic import writes them all before it commits any (then committedRows catches up). */
  writtenRows: number;
  createdRows: number;
  updatedRows: number;
  unchangedRows: number;
  /** Problems found; `report` lists the first 200 by row. */
  errorCount: number;
  /** 0 to 1, for a progress bar (checking is the first 30 %). */
  progress: number;
  report: ReportEntry[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
};

export type DryRunView = { dryRun: true; registry: string; format: ImportFormat; fileName: string; totalRows: number; validRows: number; errorCount: number; report: ReportEntry[] };

export type ImportOptions = {
  format: ImportFormat;
  fileName: string;
  reason: string;
  mode?: ImportMode;
  onExisting?: OnExisting;
  dryRun?: boolean;
};

/** Watches an import run: progress as it goes; `afterBatch` lets tests stop a process midway. */
export type RunHooks = { onProgress?: (view: ImportView) => void; afterBatch?: (written: number) => void };

export type ImportsDeps = { db: Db; audit: Audit; clock: Clock; records: Records; divisionExists: (code: string) => boolean };

/** An import whose process has said nothing for this long is taken for dead. */
const STALE_MS = 2 * 60_000;
const PROGRESS_EVERY_MS = 1000;
const RUNNER = `${os.hostname()}:${process.pid}`;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the import's process is certainly gone: this machine, and no such process. */
function runnerGone(runner: string | null): boolean {
  if (!runner) return true;
  const at = runner.lastIndexOf(':');
  return runner.slice(0, at) === os.hostname() && !processAlive(Number(runner.slice(at + 1)));
}

/** An import row, with what a run in this process knows that the database does not show yet. */
type LiveRow = store.ImportRow & { written?: number };

export const presentImport = (r: LiveRow): ImportView => ({
  id: r.id,
  registry: r.registry,
  format: r.format,
  mode: r.mode,
  onExisting: r.on_existing,
  status: r.status,
  phase: r.phase,
  fileName: r.file_name,
  fileSha256: r.file_sha256,
  fileBytes: Number(r.file_bytes),
  reason: r.reason,
  totalRows: r.total_rows,
  processedRows: r.processed_rows,
  committedRows: r.committed_rows,
  writtenRows: r.written ?? r.committed_rows,
  createdRows: r.created_rows,
  updatedRows: r.updated_rows,
  unchangedRows: r.unchanged_rows,
  errorCount: r.error_count,
  progress: Math.round(Number(r.progress) * 1000) / 1000,
  report: r.report,
  createdBy: r.created_by_name,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  finishedAt: r.finished_at ? r.finished_at.toISOString() : null,
});

function requireReason(reason: string | undefined): string {
  const trimmed = reason?.trim() ?? '';
  if (trimmed === '') throw invalidField('reason', 'required', 'is required: say why these records are imported (it is kept with every version)', '必填：请说明导入原因（随每个版本保存）');
  if ([...trimmed].length > 500) throw invalidField('reason', 'length', 'must be at most 500 characters', '不超过 500 个字符');
  return trimmed;
}

function checkFileName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || [...trimmed].length > 200 || /[\u0000-\u001f]/.test(trimmed)) throw invalidField('fileName', 'invalid', 'must be 1 to 200 characters without control characters', '应为 1 至 200 个字符，不含控制字符');
  return trimmed;
}

export function createImports(deps: ImportsDeps) {
  const { db, clock } = deps;
  /** Imports running in this process, with their live progress (an atomic write is not visible in the database until it commits). */
  const active = new Map<string, Partial<LiveRow>>();
  let embedded: Promise<boolean> | undefined;
  /** PGlite is one process's database (its folder is locked): there every running import not running here is dead. */
  const isEmbedded = () => (embedded ??= sql<{ v: string }>`select version() as v`.execute(db).then((r) => /PGlite/i.test(r.rows[0]?.v ?? '')));

  async function recordRegistry(name: string): Promise<RegistryRow> {
    return deps.records.recordRegistry(name);
  }

  async function assertMayEdit(op: Operator, name: string): Promise<RegistryRow> {
    const registry = await recordRegistry(name);
    if (op.actor) policy.assertMayEditRecords(op.actor, registry.owner_org_id);
    return registry;
  }

  async function assertMayRead(op: Operator, name: string): Promise<RegistryRow> {
    const registry = await recordRegistry(name);
    if (op.actor) policy.assertMayReadRecords(op.actor, registry.owner_org_id);
    return registry;
  }

  /** Running imports whose process died are marked interrupted (and may be resumed). */
  async function recoverStale(): Promise<number> {
    const running = await store.runningImports(db);
    if (running.length === 0) return 0;
    const local = await isEmbedded();
    const now = clock.now();
    const stale = running.filter((r) => !active.has(r.id) && (local || r.runner === RUNNER || runnerGone(r.runner) || now.getTime() - r.updated_at.getTime() > STALE_MS));
    await store.markInterrupted(db, stale.map((r) => r.id), now);
    return stale.length;
  }

  const view = (row: store.ImportRow) => presentImport({ ...row, ...(row.status === 'running' ? active.get(row.id) : undefined) });

  async function getRow(name: string, id: string): Promise<store.ImportRow> {
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await store.findImport(db, id) : undefined;
    if (!row || row.registry !== name) throw new NotFoundError(`import of ${name}`, id, '导入任务');
    return row;
  }

  /** Checks the file and writes it: the import row is `row`; returns the import as it ended. */
  /** Checks the file and writes it: the import row is `row`; returns the import as it ended. */
  async function run(op: Operator, registry: RegistryRow, row: store.ImportRow, file: SpooledFile, hooks: RunHooks): Promise<ImportView> {
    const live: Partial<LiveRow> = { phase: 'validating', processed_rows: 0, progress: 0 };
    active.set(row.id, live);
    const show = () => hooks.onProgress?.(view({ ...row, ...live }));
    const ctx = { divisionExists: deps.divisionExists, today: clock.now().toISOString().slice(0, 10) };
    const auditDetail = { mode: row.mode, format: row.format, fileName: row.file_name, sha256: row.file_sha256, onExisting: row.on_existing, reason: row.reason, resumed: row.resume_row > 0 || row.committed_rows > 0 || row.processed_rows > 0 };
    const heartbeat = !(await isEmbedded());
    try {
      if (row.mode === 'atomic') await runAtomic(op, registry, row, file, { live, show, hooks, ctx, auditDetail, heartbeat });
      else await runResumable(op, registry, row, file, { live, show, hooks, ctx, auditDetail });
      active.delete(row.id);
      const ended = view((await store.findImport(db, row.id))!);
      hooks.onProgress?.(ended);
      return ended;
    } catch (err) {
      // A refusal is final; anything else (the database went away) leaves a resumable import.
      const final = err instanceof ImportRejectedError || err instanceof ConflictError;
      await store.updateImport(db, row.id, { status: final ? 'failed' : 'interrupted', updated_at: clock.now(), ...(final ? { phase: 'finished', finished_at: clock.now() } : {}) }).catch(() => {});
      throw err;
    } finally {
      active.delete(row.id);
    }
  }

  type RunState = { live: Partial<LiveRow>; show: () => void; hooks: RunHooks; ctx: ValidationContext; auditDetail: Record<string, unknown> };

  async function runAtomic(op: Operator, registry: RegistryRow, row: store.ImportRow, file: SpooledFile, state: RunState & { heartbeat: boolean }) {
    const { live, show } = state;
    try {
      await importAtomic({
        db,
        audit: deps.audit,
        clock,
        op,
        definition: registry.definition,
        row,
        file: file.path,
        ctx: state.ctx,
        auditDetail: state.auditDetail,
        heartbeat: state.heartbeat,
        // Only in memory: the transaction holds the embedded database's one connection.
        onProgress: ({ rows, bytes, written, finishing }) => {
          Object.assign(live, { processed_rows: rows, written, phase: finishing ? 'writing' : 'validating', progress: finishing ? 0.99 : 0.98 * Math.min(1, bytes / Math.max(1, Number(row.file_bytes))), ...(finishing ? { total_rows: rows } : {}) });
          show();
        },
        afterBatch: state.hooks.afterBatch,
      });
    } catch (err) {
      if (!(err instanceof FileRefused)) throw err;
      const report = err.report.sorted();
      await store.updateImport(db, row.id, { status: 'failed', phase: 'finished', total_rows: err.totalRows, processed_rows: err.totalRows, error_count: err.report.total, report, progress: 1, updated_at: clock.now(), finished_at: clock.now() });
      throw new ImportRejectedError(report, { total: err.report.total, importId: row.id });
    }
  }

  async function runResumable(op: Operator, registry: RegistryRow, row: store.ImportRow, file: SpooledFile, state: RunState) {
    const { live, show, hooks } = state;
    const dir = createWorkDir();
    const workFile = path.join(dir, 'checked.tsv');
    let lastSaved = 0;
    try {
      const checked = await checkFile({
        db,
        definition: registry.definition,
        format: row.format,
        file: file.path,
        workFile,
        ctx: state.ctx,
        onExisting: row.on_existing,
        importId: row.id,
        onProgress: async (rows, bytes) => {
          Object.assign(live, { processed_rows: rows, progress: CHECK_SHARE * Math.min(1, bytes / Math.max(1, Number(row.file_bytes))) });
          show();
          if (Date.now() - lastSaved < PROGRESS_EVERY_MS) return;
          lastSaved = Date.now();
          await store.updateImport(db, row.id, { processed_rows: rows, progress: live.progress, updated_at: clock.now() });
        },
      });
      const checkedState = { total_rows: checked.totalRows, processed_rows: checked.totalRows, error_count: checked.report.total, report: checked.report.sorted(), progress: CHECK_SHARE, updated_at: clock.now() };
      Object.assign(live, checkedState, { phase: 'writing' });
      await store.updateImport(db, row.id, { ...checkedState, phase: 'writing' });
      show();
      await writeResumable({
        db,
        audit: deps.audit,
        clock,
        op,
        definition: registry.definition,
        row: { ...row, ...checkedState, phase: 'writing' },
        workFile,
        refused: checked.refused,
        toWrite: checked.validRows,
        report: checked.report,
        auditDetail: { ...state.auditDetail, rows: checked.totalRows, problems: checked.report.total },
        onBatch: (c: WriteCounts & { written: number; progress: number }) => {
          Object.assign(live, { written: c.written, committed_rows: c.committed, created_rows: c.created, updated_rows: c.updated, unchanged_rows: c.unchanged, progress: c.progress });
          show();
          hooks.afterBatch?.(c.written);
        },
      });
    } finally {
      removeWorkDir(dir);
    }
  }

  async function newImportRow(op: Operator, registry: RegistryRow, file: SpooledFile, options: ImportOptions): Promise<store.ImportRow> {
    const now = clock.now();
    const row: store.ImportRow = {
      id: crypto.randomUUID(),
      registry: registry.name,
      format: options.format,
      mode: options.mode ?? 'atomic',
      on_existing: options.onExisting ?? 'refuse',
      status: 'running',
      phase: 'validating',
      file_name: checkFileName(options.fileName),
      file_sha256: file.sha256,
      file_bytes: file.bytes,
      total_rows: null,
      processed_rows: 0,
      committed_rows: 0,
      created_rows: 0,
      updated_rows: 0,
      unchanged_rows: 0,
      error_count: 0,
      report: [],
      reason: requireReason(options.reason),
      resume_row: 0,
      progress: 0,
      runner: RUNNER,
      created_by_id: op.auditAs.id,
      created_by_name: op.auditAs.name,
      created_by_org_id: op.auditAs.orgId,
      created_at: now,
      updated_at: now,
      finished_at: null,
    };
    await store.insertImport(db, row);
    return row;
  }

  function checkOptions(options: ImportOptions) {
    if (!IMPORT_FORMATS.includes(options.format)) throw invalidField('format', 'enum', `must be one of ${IMPORT_FORMATS.join(', ')}`, `应为 ${IMPORT_FORMATS.join('、')} 之一`);
    if (options.mode && !IMPORT_MODES.includes(options.mode)) throw invalidField('mode', 'enum', 'must be atomic (all rows or none) or resumable (batches; rows with problems skipped)', '应为 atomic（全部导入或全不导入）或 resumable（分批提交，跳过有问题的行）');
    if (options.onExisting && !ON_EXISTING.includes(options.onExisting)) throw invalidField('existing', 'enum', 'must be refuse (a record that exists is a problem) or update (it gets a new version)', '应为 refuse（已有记录视为问题）或 update（为已有记录新增版本）');
    requireReason(options.reason);
    checkFileName(options.fileName);
  }

  return {
    assertMayEdit,
    assertMayRead,
    recoverStale,
    /** Refuses bad options before the file is read (a ValidationError naming the option). */
    checkOptions,

    /**
     * Starts an import of `file` into registry `name`: checks the caller and the options,
     * keeps the import row, and returns it with `run`, which checks and writes the file.
     * A dry run only checks (no import row, nothing written) and answers with the report.
     */
    async begin(op: Operator, name: string, file: SpooledFile, options: ImportOptions): Promise<{ view: ImportView | null; run: (hooks?: RunHooks) => Promise<ImportView | DryRunView> }> {
      const registry = await assertMayEdit(op, name);
      checkOptions(options);
      if (options.dryRun) return { view: null, run: () => dryRun(registry, file, options) };
      await recoverStale();
      const row = await newImportRow(op, registry, file, options);
      return { view: view(row), run: (hooks = {}) => run(op, registry, row, file, hooks) };
    },

    /** Checks and writes `file` into registry `name`, and answers when the import has ended. */
    async importRecords(op: Operator, name: string, file: SpooledFile, options: ImportOptions, hooks: RunHooks = {}): Promise<ImportView | DryRunView> {
      const started = await this.begin(op, name, file, options);
      return started.run(hooks);
    },

    /**
     * Goes on with an interrupted import, given the same file again (its SHA-256 must match):
     * an atomic one starts over, a resumable one writes the rows after its last committed batch.
     */
    async beginResume(op: Operator, name: string, id: string, file: SpooledFile): Promise<{ view: ImportView; run: (hooks?: RunHooks) => Promise<ImportView> }> {
      const registry = await assertMayEdit(op, name);
      await recoverStale();
      const row = await getRow(name, id);
      if (row.status === 'done' || row.status === 'failed') throw new ConflictError('import_finished', `Import ${id} has ${row.status === 'done' ? 'finished' : 'been refused'}; only an interrupted import can be resumed. Start a new import instead.`, `导入任务 ${id} 已${row.status === 'done' ? '完成' : '被拒绝'}，只有中断的导入可以继续。请重新发起导入。`);
      if (row.status === 'running') throw new ConflictError('import_running', `Import ${id} is still running (last progress at ${row.updated_at.toISOString()}).`, `导入任务 ${id} 仍在进行中（最近进度于 ${row.updated_at.toISOString()}）。`);
      if (row.file_sha256 !== file.sha256) throw invalidField('file', 'file_mismatch', `is not the file import ${id} was started with (SHA-256 ${row.file_sha256.slice(0, 12)}…, this one ${file.sha256.slice(0, 12)}…); resume with the same file`, `与导入任务 ${id} 最初的文件不同（SHA-256 ${row.file_sha256.slice(0, 12)}…，本文件 ${file.sha256.slice(0, 12)}…），请使用同一文件继续`);
      if (!(await store.claimImport(db, id, RUNNER, clock.now()))) throw new ConflictError('import_running', `Import ${id} was resumed by someone else just now.`, `导入任务 ${id} 刚刚已被他人继续。`);
      // An atomic import left nothing behind: it starts over.
      const fresh = row.mode === 'atomic' ? { resume_row: 0, committed_rows: 0, created_rows: 0, updated_rows: 0, unchanged_rows: 0 } : {};
      const claimed: store.ImportRow = { ...row, ...fresh, status: 'running', runner: RUNNER };
      return { view: view(claimed), run: (hooks = {}) => run(op, registry, claimed, file, hooks) };
    },

    /** The same as beginResume, answering when the import has ended. */
    async resume(op: Operator, name: string, id: string, file: SpooledFile, hooks: RunHooks = {}): Promise<ImportView> {
      return (await this.beginResume(op, name, id, file)).run(hooks);
    },


    async list(op: Operator, name: string, limit = 50): Promise<ImportView[]> {
      await assertMayRead(op, name);
      await recoverStale();
      return (await store.listImports(db, name, Math.min(Math.max(limit, 1), 200))).map(view);
    },

    async get(op: Operator, name: string, id: string): Promise<ImportView> {
      await assertMayRead(op, name);
      await recoverStale();
      return view(await getRow(name, id));
    },
  };

  async function dryRun(registry: RegistryRow, file: SpooledFile, options: ImportOptions): Promise<DryRunView> {
    const dir = createWorkDir();
    try {
      const checked = await checkFile({
        db,
        definition: registry.definition,
        format: options.format,
        file: file.path,
        workFile: path.join(dir, 'checked.tsv'),
        ctx: { divisionExists: deps.divisionExists, today: clock.now().toISOString().slice(0, 10) },
        onExisting: options.onExisting ?? 'refuse',
        importId: null,
        onProgress: async () => {},
      });
      return { dryRun: true, registry: registry.name, format: options.format, fileName: options.fileName, totalRows: checked.totalRows, validRows: checked.validRows, errorCount: checked.report.total, report: checked.report.sorted() };
    } finally {
      removeWorkDir(dir);
    }
  }
}

export type Imports = ReturnType<typeof createImports>;
