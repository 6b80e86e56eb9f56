// Logical backup and restore that work the same on PGlite and PostgreSQL, and between them.
// The file is gzip'd JSON lines: a header naming the migrations, one line per row, and a
// trailer with per-table row counts and digests. A restore loads everything in one
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

export const BACKUP_FORMAT = 'egov-backup';
export const BACKUP_VERSION = 1;

export type TableInfo = { name: string; columns: { name: string; type: string }[]; key: string[] };
export type TableSummary = { name: string; rows: number; sha256: string };
export type BackupHeader = { format: string; version: number; createdAt: string; source: string; schemas: string[]; migrations: string[] };
export type BackupSummary = { file: string; tables: TableSummary[]; bytes: number };

export class BackupError extends Error {}

/** Tables whose migration inserts their one row (a counter or a chain head). */
const SINGLETON_TABLES = new Set(['audit.chain_head', 'trust.crl_state', 'exchange.log_head']);

const qi = (name: string) => `"${name.replaceAll('"', '""')}"`;
const qualified = (table: string) => table.split('.').map(qi).join('.');

async function describeTables(raw: RawSession, schemas: string[]): Promise<TableInfo[]> {
  const cols = await raw.query<{ table_schema: string; table_name: string; column_name: string; data_type: string }>(
    `select table_schema, table_name, column_name, data_type from information_schema.columns
      where table_schema = any($1) order by table_schema, table_name, ordinal_position`,
    [schemas],
  );
  const keys = await raw.query<{ table_schema: string; table_name: string; column_name: string }>(
    `select kcu.table_schema, kcu.table_name, kcu.column_name from information_schema.table_constraints tc
       join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
      where tc.constraint_type = 'PRIMARY KEY' and tc.table_schema = any($1) order by kcu.ordinal_position`,
    [schemas],
  );
  const tables = new Map<string, TableInfo>();
  for (const c of cols) {
    const name = `${c.table_schema}.${c.table_name}`;
    if (name === 'platform.schema_migrations') continue; // the target migrates itself
    if (!tables.has(name)) tables.set(name, { name, columns: [], key: [] });
    tables.get(name)!.columns.push({ name: c.column_name, type: c.data_type });
  }
  for (const k of keys) tables.get(`${k.table_schema}.${k.table_name}`)?.key.push(k.column_name);
  return [...tables.values()];
}

async function* readTable(raw: RawSession, table: TableInfo, batch = 2000): AsyncGenerator<Record<string, unknown>[]> {
  const order = (table.key.length > 0 ? table.key : table.columns.map((c) => c.name)).map(qi).join(', ');
  for (let offset = 0; ; offset += batch) {
    const rows = await raw.query(`select * from ${qualified(table.name)} order by ${order} limit ${batch} offset ${offset}`);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batch) return;
  }
}

async function appliedMigrations(raw: RawSession): Promise<string[]> {
  const rows = await raw.query<{ module: string; name: string }>('select module, name from platform.schema_migrations order by module, name');
  return rows.map((r) => `${r.module}/${r.name}`);
}

export async function backup(database: Database, schemas: string[], file: string): Promise<BackupSummary> {
  const tmp = `${file}.partial`;
  const summaries: TableSummary[] = [];
  // Read everything inside one transaction so the copy is consistent.
  const lines = await database.rawTransaction(async (raw) => {
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
      const hash = crypto.createHash('sha256');
      let rows = 0;
      for await (const batch of readTable(raw, table)) {
        for (const row of batch) {
          const json = canonicalJson(row);
          hash.update(json).update('\n');
          out.push(`{"t":${JSON.stringify(table.name)},"r":${json}}`);
          rows++;
        }
      }
      summaries.push({ name: table.name, rows, sha256: hash.digest('hex') });
    }
    out.push(JSON.stringify({ end: true, tables: summaries }));
    return out;
  });
  await pipeline(Readable.from(lines.map((l) => `${l}\n`)), zlib.createGzip(), fs.createWriteStream(tmp));
  // Rename only when complete, so a half-written file never carries the final name.
  fs.renameSync(tmp, file);
  return { file, tables: summaries, bytes: fs.statSync(file).size };
}

type ParsedBackup = { header: BackupHeader; rows: Map<string, Record<string, unknown>[]>; tables: TableSummary[] };

async function readBackup(file: string): Promise<ParsedBackup> {
  if (!fs.existsSync(file)) throw new BackupError(`No backup file at ${file}.`);
  const input = fs.createReadStream(file).pipe(zlib.createGunzip());
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let header: BackupHeader | undefined;
  let tables: TableSummary[] | undefined;
  const rows = new Map<string, Record<string, unknown>[]>();
  try {
    for await (const line of lines) {
      if (!line) continue;
      const parsed = JSON.parse(line);
      if (!header) {
        if (parsed.format !== BACKUP_FORMAT) throw new BackupError(`${file} is not an egov backup.`);
        if (parsed.version !== BACKUP_VERSION) throw new BackupError(`${file} is backup format version ${parsed.version}; this egov reads version ${BACKUP_VERSION}.`);
        header = parsed;
      } else if (parsed.end) {
        tables = parsed.tables;
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
  if (!tables) throw new BackupError(`${file} is truncated: its trailer is missing. Use a complete backup.`);
  return { header, rows, tables };
}

function toParameter(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'jsonb' || type === 'json') return JSON.stringify(value);
  if (type === 'bytea') return Buffer.from((value as { $base64: string }).$base64, 'base64');
  if (type === 'ARRAY') {
    const items = (value as unknown[]).map((v) => (v === null ? 'NULL' : `"${String(v).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`));
    return `{${items.join(',')}}`;
  }
  return value;
}

export type RestoreSummary = { tables: TableSummary[]; migrationsInBackup: number };

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

/** Restores into an empty, migrated database; verifies every table against the trailer. */
export async function restore(database: Database, file: string, knownMigrations: string[]): Promise<RestoreSummary> {
  const parsed = await readBackup(file);
  const unknown = parsed.header.migrations.filter((m) => !knownMigrations.includes(m));
  if (unknown.length > 0) {
    throw new BackupError(`The backup comes from a newer egov (migrations ${unknown.join(', ')} are unknown here). Upgrade egov first.`);
  }
  await database.rawTransaction(async (raw) => {
    const tables = await describeTables(raw, parsed.header.schemas);
    for (const table of tables) {
      const [{ n }] = await raw.query<{ n: number }>(`select count(*)::int as n from ${qualified(table.name)}`);
      // A singleton's row comes from its migration; any other row means there is data.
      const baseline = SINGLETON_TABLES.has(table.name) ? 1 : 0;
      if (Number(n) > baseline) {
        throw new BackupError(`The target database is not empty (${table.name} has rows). Restore into a fresh database or data folder.`);
      }
    }
    await raw.exec('set constraints all deferred');
    for (const table of await inDependencyOrder(raw, tables)) {
      const rows = parsed.rows.get(table.name) ?? [];
      // The migration's row is replaced by the backup's (DELETE is allowed on these; audit.events refuses it).
      if (SINGLETON_TABLES.has(table.name)) await raw.exec(`delete from ${qualified(table.name)}`);
      const names = table.columns.map((c) => c.name);
      const sqlText = `insert into ${qualified(table.name)} (${names.map(qi).join(', ')}) values (${names.map((_, i) => `$${i + 1}`).join(', ')})`;
      for (const row of rows) {
        await raw.query(sqlText, table.columns.map((c) => toParameter(row[c.name], c.type)));
      }
    }
    // Check inside the transaction: a mismatch rolls the whole restore back.
    for (const expected of parsed.tables) {
      const table = tables.find((t) => t.name === expected.name);
      if (!table) throw new BackupError(`The backup has table ${expected.name}, which this database does not have.`);
      const hash = crypto.createHash('sha256');
      let count = 0;
      for await (const batch of readTable(raw, table)) {
        for (const row of batch) {
          hash.update(canonicalJson(row)).update('\n');
          count++;
        }
      }
      const digest = hash.digest('hex');
      if (count !== expected.rows || digest !== expected.sha256) {
        throw new BackupError(`Restore check failed for ${expected.name}: expected ${expected.rows} rows (${expected.sha256.slice(0, 12)}…), found ${count} (${digest.slice(0, 12)}…). Nothing was restored.`);
      }
    }
  });
  return { tables: parsed.tables, migrationsInBackup: parsed.header.migrations.length };
}
