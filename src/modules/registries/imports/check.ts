// The first pass of an import: every row of the file checked before anything is written.
// Each row goes through the engine's checkRecord (types, validators, record rules); then the
// file as a whole: a key given twice, a record that exists already, and references
// (`person-exists`) that must name a person of the registry or of the same file, earlier or
// later in it. Rows that pass are written, normalised, to a work file the second pass reads
// back, so a million rows are never held in memory; what is kept is one entry per key (to
// find duplicates and resolve references) and the references not resolved yet.
import fs from 'node:fs';
import type { Db, Executor } from '../../../platform/db.ts';
import type { FieldError } from '../../../platform/errors.ts';
import type { RegistryDefinition } from '../engine/definition.ts';
import { checkRecord, type ValidationContext } from '../engine/validate.ts';
import { REPORT_LIMIT, type ReportEntry } from '../../../platform/import-report.ts';
import { closeStream, readLines, writeText } from './files.ts';
import { readRows, type ImportFormat } from './read.ts';
import * as store from './store.ts';

/** Keys looked up in the database at a time. */
const LOOKUP_BATCH = 5000;

/** The problems of a file: the first REPORT_LIMIT by row, and how many there were in all. */
export class Report {
  private entries: ReportEntry[] = [];
  total = 0;
  add(entry: ReportEntry): void {
    this.total++;
    this.entries.push(entry);
    if (this.entries.length >= 4 * REPORT_LIMIT) this.entries = this.sorted();
  }
  addField(row: number, e: FieldError): void {
    this.add({ row, field: e.field, code: e.code, message: e.message, messageZh: e.messageZh ?? e.message });
  }
  sorted(): ReportEntry[] {
    return this.entries.sort((a, b) => a.row - b.row).slice(0, REPORT_LIMIT);
  }
}

export type CheckInput = {
  db: Db;
  definition: RegistryDefinition;
  format: ImportFormat;
  file: string;
  /** Where the rows that pass go, one line each: row, key, references, data (see `WorkLine`). */
  workFile: string;
  ctx: ValidationContext;
  onExisting: 'refuse' | 'update';
  /** A resumed import: records whose current version it wrote are its own, not "existing". */
  importId: string | null;
  /** Rows read so far, and the file's bytes read so far. */
  onProgress: (rows: number, bytes: number) => Promise<void>;
};

export type CheckResult = {
  totalRows: number;
  /** Rows that passed and will be written. */
  validRows: number;
  report: Report;
  /** Keys of rows in the work file that failed after they were written there (a reference). */
  refused: Set<string>;
};

/** A line of the work file, parsed. `keyJson` and `dataJson` are JSON, ready to send as they are. */
export type WorkLine = { row: number; key: string; keyJson: string; refs: [string, string][]; dataJson: string };

export function parseWorkLine(line: string): WorkLine {
  const a = line.indexOf('\t');
  const b = line.indexOf('\t', a + 1);
  const c = line.indexOf('\t', b + 1);
  const keyJson = line.slice(a + 1, b);
  const refs = line.slice(b + 1, c);
  return { row: Number(line.slice(0, a)), key: JSON.parse(keyJson) as string, keyJson, refs: refs === '' ? [] : (JSON.parse(refs) as [string, string][]), dataJson: line.slice(c + 1) };
}

/** A reference not resolved yet: who names whom, where. */
export type Pending = { row: number; field: string; registry: string; key: string; source: string };

export const problem = (row: number, field: string, code: string, message: string, messageZh: string): ReportEntry => ({ row, field, code, message, messageZh });

export async function checkFile(input: CheckInput): Promise<CheckResult> {
  const { definition, db } = input;
  const name = definition.name;
  const report = new Report();
  /** Every key of the file that passed its own checks → its row. */
  const keyRows = new Map<string, number>();
  /** Keys of rows already in the work file that were refused afterwards (pass 2 skips them). */
  const refused = new Set<string>();
  /** Keys the registry has already (refused when existing=refuse). */
  const existing = new Set<string>();
  const valid = (key: string) => keyRows.has(key) && !refused.has(key) && !existing.has(key);
  let pending: Pending[] = [];
  const work = fs.createWriteStream(input.workFile);
  let totalRows = 0;
  let spooled = 0;
  const reading = { bytes: 0 };

  try {
    for await (const batch of readRows(input.format, input.file, definition, reading)) {
      const passed: { row: number; key: string; data: Record<string, unknown>; refs: { field: string; registry: string; key: string }[] }[] = [];
      for (const source of batch) {
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
        passed.push({ row: source.row, key, data: checked.data, refs: checked.references });
      }
      const states = await store.keyStates(db, name, passed.map((p) => p.key));
      const foreign: Pending[] = [];
      let chunk = '';
      for (const p of passed) {
        const state = states.get(p.key);
        if (state && !state.deleted && input.onExisting === 'refuse' && !(input.importId && state.importId === input.importId)) {
          existing.add(p.key);
          report.add(recordExists(p.row, definition, p.key));
          continue;
        }
        const refs: [string, string][] = [];
        for (const ref of p.refs) {
          refs.push([ref.field, ref.key]);
          const entry = { row: p.row, field: ref.field, registry: ref.registry, key: ref.key, source: p.key };
          if (ref.registry !== name) foreign.push(entry);
          else if (!valid(ref.key)) pending.push(entry);
        }
        chunk += `${p.row}\t${JSON.stringify(p.key)}\t${refs.length > 0 ? JSON.stringify(refs) : ''}\t${JSON.stringify(p.data)}\n`;
        spooled++;
      }
      // References to another registry cannot be in this file: look them up now.
      for (const failed of await missing(db, foreign, () => false)) {
        refused.add(failed.source);
        report.add(noSuchPerson(failed));
      }
      if (chunk) await writeText(work, chunk);
      // Keep the pending list short: most references to later rows resolve within a few batches.
      if (pending.length > 50_000) pending = pending.filter((p) => !valid(p.key));
      await input.onProgress(totalRows, reading.bytes);
    }
  } finally {
    await closeStream(work);
  }

  // References to rows of this registry not in the file (or refused in it) must be live records.
  const failed = await missing(db, pending, (ref) => valid(ref.key));
  const newlyRefused = new Set<string>();
  for (const f of failed) {
    report.add(noSuchPerson(f));
    if (!refused.has(f.source)) newlyRefused.add(f.source);
    refused.add(f.source);
  }
  await refuseDependents(input, refused, newlyRefused, report);
  return { totalRows, validRows: spooled - refused.size, report, refused };
}

export const duplicateKey = (row: number, definition: RegistryDefinition, key: string, earlier: number): ReportEntry =>
  problem(row, definition.keyField, 'duplicate_key', `repeats the record of row ${earlier} (${key.slice(0, 6)}…): give each record once`, `与第 ${earlier} 行重复（${key.slice(0, 6)}…），每条记录只能出现一次`);

export const recordExists = (row: number, definition: RegistryDefinition, key: string): ReportEntry =>
  problem(row, definition.keyField, 'record_exists', `names a record the ${definition.name} registry has already (${key.slice(0, 6)}…); leave it out, or import with existing=update to give it a new version`, `所指记录已在${definition.titleZh}中（${key.slice(0, 6)}…）；请删去该行，或以 existing=update 导入为其新增版本`);

export const noSuchPerson = (p: Pending): ReportEntry => ({
  row: p.row,
  field: p.field,
  code: 'no_such_person',
  message: `names nobody in the population registry or in this file (${p.key.slice(0, 6)}…)`,
  messageZh: `在人口库和本文件中均查无此人（${p.key.slice(0, 6)}…）`,
});

/** Which of `keys` are live records of `registry`, looked up in batches. */
async function liveIn(db: Executor, registry: string, keys: Iterable<string>): Promise<Set<string>> {
  const all = [...keys];
  const live = new Set<string>();
  for (let i = 0; i < all.length; i += LOOKUP_BATCH) for (const k of await store.liveKeys(db, registry, all.slice(i, i + LOOKUP_BATCH))) live.add(k);
  return live;
}

/** The references that name no live record of their registry (nor, with `known`, a row of the file). */
export async function missing(db: Executor, refs: Pending[], known: (ref: Pending) => boolean): Promise<Pending[]> {
  const open = refs.filter((r) => !known(r));
  const failed: Pending[] = [];
  for (const registry of new Set(open.map((r) => r.registry))) {
    const mine = open.filter((r) => r.registry === registry);
    const live = await liveIn(db, registry, new Set(mine.map((r) => r.key)));
    failed.push(...mine.filter((r) => !live.has(r.key)));
  }
  return failed;
}

/**
 * A row that names a person whose own row was refused (and who is not in the registry either)
 * is refused too, and so on down the chain; a batched import must not write a reference to a
 * person it skipped. Rare, so the work file is simply read again until nothing changes.
 */
async function refuseDependents(input: CheckInput, refused: Set<string>, newlyRefused: Set<string>, report: Report): Promise<void> {
  // A refused row's person may still be in the registry (existing=update): naming them is fine.
  const absentFromRegistry = async (keys: Set<string>) => {
    const live = await liveIn(input.db, input.definition.name, keys);
    return new Set([...keys].filter((k) => !live.has(k)));
  };
  let newly = await absentFromRegistry(newlyRefused);
  while (newly.size > 0) {
    const next = new Set<string>();
    for await (const lines of readLines(input.workFile, 5000)) {
      for (const text of lines) {
        const line = parseWorkLine(text);
        if (refused.has(line.key)) continue;
        const hit = line.refs.find(([, key]) => newly.has(key));
        if (!hit) continue;
        refused.add(line.key);
        next.add(line.key);
        report.add(problem(line.row, hit[0], 'refers_to_refused_row', `names a person whose own row in this file was refused (${hit[1].slice(0, 6)}…), so it is refused too`, `所指人员在本文件中的记录未通过检查（${hit[1].slice(0, 6)}…），因此本行也不予导入`));
      }
    }
    newly = await absentFromRegistry(next);
  }
}
