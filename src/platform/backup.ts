// Logical backup and restore that work the same on PGlite and PostgreSQL, and between them.
// The file is gzip'd JSON lines: a header naming the migrations, one line per row (values as
// backup-tables.ts encodes them), and a trailer with per-table row counts and digests and the
// sequences' positions (decision 0001). A restore loads everything in one
// transaction into an empty, freshly migrated database and then re-reads every table and
// compares digests, so a restore that "succeeded" but differs is reported as a failure.
import crypto from 'node:crypto';
import fs from 'node:fs';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { canonicalJson } from './canonical-json.ts';
import type { Database, RawSession } from './db.ts';
import {
  SESSION_SETTINGS,
  describeTables,
  insertFor,
  listSequences,
  qualified,
  readSequence,
  readTable,
  setSequence,
  type Encoding,
  type SequenceState,
  type TableInfo,
} from './backup-tables.ts';

export const BACKUP_FORMAT = 'egov-backup';
/** 2: values in exact text forms (backup-tables.ts) and the sequences' positions. 1 is still read. */
export const BACKUP_VERSION = 2;
const READABLE_VERSIONS = [1, 2];

export type { SequenceState, TableInfo } from './backup-tables.ts';
export type TableSummary = { name: string; rows: number; sha256: string };
export type BackupHeader = { format: string; version: number; createdAt: string; source: string; schemas: string[]; migrations: string[] };
export type BackupSummary = { file: string; tables: TableSummary[]; sequences: SequenceState[]; bytes: number };

export class BackupError extends Error {}

/**
 * Tables a migration fills (a counter, a chain head, the geospatial layers). The fresh target
 * already has their rows; the backup's replace them by key. A migration that writes rows into
 * another table must add it here, or a restore finds the target "not empty" (backup.test.ts).
 */
const MIGRATION_FILLED = new Set(['audit.chain_head', 'trust.crl_state', 'exchange.log_head', 'registries.geo_layers']);

async function appliedMigrations(raw: RawSession): Promise<string[]> {
  const rows = await raw.query<{ module: string; name: string }>('select module, name from platform.schema_migrations order by module, name');
  return rows.map((r) => `${r.module}/${r.name}`);
}

async function digestTable(raw: RawSession, table: TableInfo, encoding: Encoding, onRow?: (json: string) => void): Promise<TableSummary> {
  const hash = crypto.createHash('sha256');
  let rows = 0;
  for await (const batch of readTable(raw, table, encoding)) {
    for (const row of batch) {
      const json = canonicalJson(row);
      hash.update(json).update('\n');
      onRow?.(json);
      rows++;
    }
  }
  return { name: table.name, rows, sha256: hash.digest('hex') };
}

export async function backup(database: Database, schemas: string[], file: string): Promise<BackupSummary> {
  const tmp = `${file}.partial`;
  const summaries: TableSummary[] = [];
  const sequences: SequenceState[] = [];
  // Read everything inside one transaction, on one snapshot, so the copy is consistent.
  const lines = await database.rawTransaction(
    async (raw) => {
      await raw.exec(SESSION_SETTINGS);
      const out: string[] = [];
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        version: BACKUP_VERSION,
        createdAt: new Date().toISOString(),
        source: database.kind,
        schemas,
        migrations: await appliedMigrations(raw),
      };
      out.push(JSON.stringify(header));
      for (const table of await describeTables(raw, schemas)) {
        summaries.push(await digestTable(raw, table, BACKUP_VERSION, (json) => out.push(`{"t":${JSON.stringify(table.name)},"r":${json}}`)));
      }
      // After the rows: sequences are not transactional, so a value read now is at least every
      // value the rows above were given (a gap after a restore is harmless, a reuse is not).
      for (const name of await listSequences(raw, schemas)) sequences.push(await readSequence(raw, name));
      out.push(JSON.stringify({ end: true, tables: summaries, sequences }));
      return out;
    },
    { snapshot: true },
  );
  await pipeline(Readable.from(lines.map((l) => `${l}\n`)), zlib.createGzip(), fs.createWriteStream(tmp));
  // Rename only when complete, so a half-written file never carries the final name.
  fs.renameSync(tmp, file);
  return { file, tables: summaries, sequences, bytes: fs.statSync(file).size };
}

type ParsedBackup = { header: BackupHeader; rows: Map<string, Record<string, unknown>[]>; tables: TableSummary[]; sequences: SequenceState[] };

async function readBackup(file: string): Promise<ParsedBackup> {
  if (!fs.existsSync(file)) throw new BackupError(`No backup file at ${file}.`);
  const input = fs.createReadStream(file).pipe(zlib.createGunzip());
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let header: BackupHeader | undefined;
  let trailer: { tables: TableSummary[]; sequences?: SequenceState[] } | undefined;
  const rows = new Map<string, Record<string, unknown>[]>();
  try {
    for await (const line of lines) {
      if (!line) continue;
      const parsed = JSON.parse(line);
      if (!header) {
        if (parsed.format !== BACKUP_FORMAT) throw new BackupError(`${file} is not an egov backup.`);
        if (!READABLE_VERSIONS.includes(parsed.version)) {
          throw new BackupError(`${file} is backup format version ${parsed.version}; this egov reads versions ${READABLE_VERSIONS.join(' and ')}. Restore it with the egov that wrote it, or a newer one.`);
        }
        header = parsed;
      } else if (parsed.end) {
        trailer = parsed;
      } else {
        if (!rows.has(parsed.t)) rows.set(parsed.t, []);
        rows.get(parsed.t)!.push(parsed.r);
      }
    }
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(`${file} is damaged or not a gzip'd egov backup: ${(err as Error).message}`);
  }
  if (!header) throw new BackupError(`${file} is empty.`);
  if (!trailer) throw new BackupError(`${file} is truncated: its trailer is missing. Use a complete backup.`);
  // Format 1 did not record sequences: a format 1 backup holds no schema that has one.
  return { header, rows, tables: trailer.tables, sequences: trailer.sequences ?? [] };
}

export type RestoreSummary = { tables: TableSummary[]; sequences: SequenceState[]; migrationsInBackup: number };

/**
 * Tables ordered so that a table comes after the tables its foreign keys reference: not every
 * foreign key is deferrable, so rows must go in parents first. Self-references are ignored
 * (their rows are in key order, parents first, as the backup wrote them).
 */
async function inDependencyOrder(raw: RawSession, tables: TableInfo[]): Promise<TableInfo[]> {
  const edges = await raw.query<{ child: string; parent: string }>(
    `select cn.nspname || '.' || c.relname as child, pn.nspname || '.' || p.relname as parent
       from pg_constraint k
       join pg_class c on c.oid = k.conrelid join pg_namespace cn on cn.oid = c.relnamespace
       join pg_class p on p.oid = k.confrelid join pg_namespace pn on pn.oid = p.relnamespace
      where k.contype = 'f'`,
  );
  const parents = new Map<string, Set<string>>();
  for (const e of edges) if (e.child !== e.parent) parents.set(e.child, (parents.get(e.child) ?? new Set()).add(e.parent));
  const byName = new Map(tables.map((t) => [t.name, t]));
  const ordered: TableInfo[] = [];
  const placed = new Set<string>();
  const place = (name: string, path: Set<string>) => {
    if (placed.has(name) || path.has(name) || !byName.has(name)) return;
    path.add(name);
    for (const parent of parents.get(name) ?? []) place(parent, path);
    path.delete(name);
    placed.add(name);
    ordered.push(byName.get(name)!);
  };
  for (const table of tables) place(table.name, new Set());
  return ordered;
}

async function refuseIfNotEmpty(raw: RawSession, tables: TableInfo[]): Promise<void> {
  for (const table of tables) {
    // A migration-filled table has rows in every fresh database; any other row means there is data.
    if (MIGRATION_FILLED.has(table.name)) continue;
    const [{ n }] = await raw.query<{ n: number }>(`select count(*)::int as n from ${qualified(table.name)}`);
    if (Number(n) > 0) {
      throw new BackupError(`The target database is not empty (${table.name} has rows). Restore into a fresh database or data folder.`);
    }
  }
}

/** Restores into an empty, migrated database; verifies every table and sequence against the trailer. */
export async function restore(database: Database, file: string, knownMigrations: string[]): Promise<RestoreSummary> {
  const parsed = await readBackup(file);
  const encoding = parsed.header.version as Encoding;
  const unknown = parsed.header.migrations.filter((m) => !knownMigrations.includes(m));
  if (unknown.length > 0) {
    throw new BackupError(`The backup comes from a newer egov (migrations ${unknown.join(', ')} are unknown here). Upgrade egov first.`);
  }
  await database.rawTransaction(async (raw) => {
    await raw.exec(SESSION_SETTINGS);
    const tables = await describeTables(raw, parsed.header.schemas);
    await refuseIfNotEmpty(raw, tables);
    const sequences = new Set(await listSequences(raw, parsed.header.schemas));
    const missing = parsed.sequences.find((s) => !sequences.has(s.name));
    if (missing) throw new BackupError(`The backup has sequence ${missing.name}, which this database does not have.`);
    await raw.exec('set constraints all deferred');
    for (const table of await inDependencyOrder(raw, tables)) {
      const insert = insertFor(table, encoding, MIGRATION_FILLED.has(table.name));
      for (const row of parsed.rows.get(table.name) ?? []) await raw.query(insert.text, insert.values(row));
    }
    // Check inside the transaction: a mismatch rolls the whole restore back.
    for (const expected of parsed.tables) {
      const table = tables.find((t) => t.name === expected.name);
      if (!table) throw new BackupError(`The backup has table ${expected.name}, which this database does not have.`);
      const found = await digestTable(raw, table, encoding);
      if (found.rows !== expected.rows || found.sha256 !== expected.sha256) {
        throw new BackupError(`Restore check failed for ${expected.name}: expected ${expected.rows} rows (${expected.sha256.slice(0, 12)}…), found ${found.rows} (${found.sha256.slice(0, 12)}…). Nothing was restored.`);
      }
    }
    // Last, once every table matched: setval is not undone by a rollback (a failed restore
    // before this point leaves the sequences as the migrations made them).
    for (const state of parsed.sequences) {
      await setSequence(raw, state);
      const now = await readSequence(raw, state.name);
      if (now.lastValue !== state.lastValue || now.isCalled !== state.isCalled) {
        throw new BackupError(`Restore check failed for sequence ${state.name}: expected ${state.lastValue}, found ${now.lastValue}. Nothing was restored.`);
      }
    }
  });
  return { tables: parsed.tables, sequences: parsed.sequences, migrationsInBackup: parsed.header.migrations.length };
}
