// What a backup reads and writes, table by table, so that every value comes back exactly, on
// PGlite and PostgreSQL alike and from one to the other (decision 0001).
//
// Format 2 keeps a value as JSON only where JSON holds it exactly and the same on both drivers
// (booleans, 16- and 32-bit integers, text, uuids). bytea is base64 (canonical-json.ts).
// Everything else travels as PostgreSQL's own text form, read under fixed session settings
// (UTC, ISO dates), and goes back in through the type's input function: microseconds of a
// timestamptz, a date (no time zone to shift it), numeric's scale ('1.10'), 64-bit integers,
// NaN and infinities, jsonb numbers beyond a double, arrays, enums, and any type a later
// migration brings (PostGIS geometry included) need no code here.
// Format 1 read values through the drivers' parsers (Dates, Numbers, parsed JSON); restoring a
// format 1 file keeps that reading, or its digests would not match.
import type { RawSession } from './db.ts';

export type Column = {
  name: string;
  /** The full SQL type, for casts: `numeric(10,2)`, `uuid[]`, `geometry(Geometry,4326)`. */
  type: string;
  typname: string;
  /** pg_type.typcategory: 'A' for arrays. */
  category: string;
  /** Computed by the database: read (and checked), never inserted. */
  generated: boolean;
  /** GENERATED ALWAYS AS IDENTITY: its value can be inserted only with OVERRIDING SYSTEM VALUE. */
  identityAlways: boolean;
};
export type TableInfo = { name: string; columns: Column[]; key: string[] };
export type SequenceState = { name: string; lastValue: string; isCalled: boolean };

/** Format 1 (driver-parsed values) or 2 (exact text forms). */
export type Encoding = 1 | 2;

/** Every read and write of a backup runs under these, so text forms do not depend on the server's defaults. */
export const SESSION_SETTINGS = [
  "set local timezone = 'UTC'",
  "set local datestyle = 'ISO, YMD'",
  "set local intervalstyle = 'postgres'",
  'set local extra_float_digits = 1',
].join('; ');

/** Types whose value JSON holds exactly, read the same by pg and PGlite. */
const AS_JSON = new Set(['bool', 'int2', 'int4', 'text', 'varchar', 'bpchar', 'uuid']);
/** Types whose order does not depend on the database's collation. */
const LOCALE_FREE_ORDER = new Set(['bool', 'int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'uuid', 'date', 'timestamp', 'timestamptz', 'bytea', 'oid']);

export const qi = (name: string) => `"${name.replaceAll('"', '""')}"`;
export const qualified = (name: string) => name.split('.').map(qi).join('.');

export async function describeTables(raw: RawSession, schemas: string[]): Promise<TableInfo[]> {
  const cols = await raw.query<{ table_name: string; column_name: string; type: string; typname: string; category: string; generated: boolean; identity_always: boolean }>(
    `select n.nspname || '.' || c.relname as table_name, a.attname as column_name, format_type(a.atttypid, a.atttypmod) as type,
            t.typname, t.typcategory as category, a.attgenerated <> '' as generated, a.attidentity = 'a' as identity_always
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
       join pg_type t on t.oid = a.atttypid
      where n.nspname = any($1) and c.relkind in ('r', 'p') and not c.relispartition
      order by n.nspname, c.relname, a.attnum`,
    [schemas],
  );
  const keys = await raw.query<{ table_name: string; column_name: string }>(
    `select kcu.table_schema || '.' || kcu.table_name as table_name, kcu.column_name from information_schema.table_constraints tc
       join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
      where tc.constraint_type = 'PRIMARY KEY' and tc.table_schema = any($1) order by kcu.ordinal_position`,
    [schemas],
  );
  const tables = new Map<string, TableInfo>();
  for (const c of cols) {
    if (c.table_name === 'platform.schema_migrations') continue; // the target migrates itself
    if (!tables.has(c.table_name)) tables.set(c.table_name, { name: c.table_name, columns: [], key: [] });
    tables.get(c.table_name)!.columns.push({
      name: c.column_name,
      type: c.type,
      typname: c.typname,
      category: c.category,
      generated: c.generated === true,
      identityAlways: c.identity_always === true,
    });
  }
  for (const k of keys) tables.get(k.table_name)?.key.push(k.column_name);
  return [...tables.values()];
}

function selectList(table: TableInfo, encoding: Encoding): string {
  if (encoding === 1) return '*';
  return table.columns.map((c) => (c.typname === 'bytea' || AS_JSON.has(c.typname) ? qi(c.name) : `${qi(c.name)}::text as ${qi(c.name)}`)).join(', ');
}

/**
 * Primary-key order, or every column for a table without one (equal rows are interchangeable).
 * Text-like values order byte-wise (collate "C") in format 2: the source and the target may sort
 * by different locales, and the digest is taken in reading order.
 */
function orderList(table: TableInfo, encoding: Encoding): string {
  const names = table.key.length > 0 ? table.key : table.columns.map((c) => c.name);
  if (encoding === 1) return names.map(qi).join(', ');
  return names
    .map((name) => {
      const column = table.columns.find((c) => c.name === name)!;
      return LOCALE_FREE_ORDER.has(column.typname) ? qi(name) : `${qi(name)}::text collate "C"`;
    })
    .join(', ');
}

/** Reads a table in batches through a cursor: one sort per table, and no row missed or read twice. */
export async function* readTable(raw: RawSession, table: TableInfo, encoding: Encoding, batch = 2000): AsyncGenerator<Record<string, unknown>[]> {
  const cursor = qi(`egov_backup_${table.name}`);
  await raw.exec(`declare ${cursor} no scroll cursor for select ${selectList(table, encoding)} from ${qualified(table.name)} order by ${orderList(table, encoding)}`);
  try {
    for (;;) {
      const rows = await raw.query(`fetch forward ${batch} from ${cursor}`);
      if (rows.length > 0) yield rows;
      if (rows.length < batch) return;
    }
  } finally {
    await raw.exec(`close ${cursor}`);
  }
}

function legacyParameter(value: unknown, column: Column): unknown {
  if (value === null || value === undefined) return null;
  if (column.typname === 'jsonb' || column.typname === 'json') return JSON.stringify(value);
  if (column.typname === 'bytea') return Buffer.from((value as { $base64: string }).$base64, 'base64');
  if (column.category === 'A') {
    const items = (value as unknown[]).map((v) => (v === null ? 'NULL' : `"${String(v).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`));
    return `{${items.join(',')}}`;
  }
  return value;
}

function parameter(value: unknown, column: Column, encoding: Encoding): unknown {
  if (encoding === 1) return legacyParameter(value, column);
  if (value === null || value === undefined) return null;
  if (column.typname === 'bytea') return Buffer.from((value as { $base64: string }).$base64, 'base64');
  return value;
}

/**
 * An INSERT for the table's stored columns and a function giving its parameters for a backed-up
 * row. `upsert`: the row replaces one a migration already wrote (same key).
 */
export function insertFor(table: TableInfo, encoding: Encoding, upsert: boolean): { text: string; values(row: Record<string, unknown>): unknown[] } {
  const columns = table.columns.filter((c) => !c.generated);
  // A text form goes through the column type's input function (an explicit cast: text converts to other types only so).
  const placeholders = columns.map((c, i) => (encoding === 2 && c.typname !== 'bytea' && !AS_JSON.has(c.typname) ? `cast($${i + 1}::text as ${c.type})` : `$${i + 1}`));
  const overriding = columns.some((c) => c.identityAlways) ? ' overriding system value' : '';
  let text = `insert into ${qualified(table.name)} (${columns.map((c) => qi(c.name)).join(', ')})${overriding} values (${placeholders.join(', ')})`;
  if (upsert) {
    if (table.key.length === 0) throw new Error(`${table.name} is filled by a migration but has no primary key to replace its rows by.`);
    const rest = columns.filter((c) => !table.key.includes(c.name));
    text += ` on conflict (${table.key.map(qi).join(', ')}) do ${rest.length > 0 ? `update set ${rest.map((c) => `${qi(c.name)} = excluded.${qi(c.name)}`).join(', ')}` : 'nothing'}`;
  }
  return { text, values: (row) => columns.map((c) => parameter(row[c.name], c, encoding)) };
}

export async function listSequences(raw: RawSession, schemas: string[]): Promise<string[]> {
  const rows = await raw.query<{ name: string }>(
    `select n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'S' and n.nspname = any($1) order by n.nspname, c.relname`,
    [schemas],
  );
  return rows.map((r) => r.name);
}

export async function readSequence(raw: RawSession, name: string): Promise<SequenceState> {
  const [row] = await raw.query<{ last_value: string; is_called: boolean }>(`select last_value::text as last_value, is_called from ${qualified(name)}`);
  return { name, lastValue: row.last_value, isCalled: row.is_called };
}

/** Sets a sequence where the backup found it. Not transactional in PostgreSQL: call it last. */
export async function setSequence(raw: RawSession, state: SequenceState): Promise<void> {
  await raw.query('select setval($1::regclass, $2::bigint, $3)', [qualified(state.name), state.lastValue, state.isCalled]);
}
