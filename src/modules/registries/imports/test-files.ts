// Files for the import tests: generated persons and entities in each format, a GB18030
// encoder (Node only decodes GB18030), and counts of what a registry holds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../../../platform/db.ts';
import type { RegistryDefinition } from '../engine/definition.ts';
import { LEGAL_ENTITIES } from '../definitions/legal-entities.ts';
import { POPULATION } from '../definitions/population.ts';
import { createPopulation, type EntityRecord, type PersonRecord } from '../generate/generate.ts';
import { writeRecords } from '../generate/output.ts';
import type { ImportFormat } from './read.ts';
import { writeRecordsAs } from './write.ts';

export const CONTENT_TYPE: Record<ImportFormat, string> = { csv: 'text/csv', jsonl: 'application/x-ndjson', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'egov-import-test-'));
}

/** A small population over a few counties, and the entities its adults represent. */
export function buildPopulation(options: { persons: number; entities?: number; seed?: number; divisions?: string[] }): { persons: PersonRecord[]; entities: EntityRecord[] } {
  const population = createPopulation({ persons: options.persons, entities: options.entities ?? 0, seed: options.seed ?? 7, divisions: options.divisions ?? ['330106', '330108', '330109', '330110'], asOf: '2026-01-01' });
  return { persons: [...population.persons()], entities: [...population.entities()] };
}

/** Writes records as an import file of `format` and returns its path. */
export async function writeFile(dir: string, name: string, format: ImportFormat, definition: RegistryDefinition, records: object[]): Promise<string> {
  const file = path.join(dir, `${name}.${format}`);
  const fields = definition.fields.map((f) => f.name);
  if (format === 'xlsx') {
    async function* one() {
      yield records as Record<string, unknown>[];
    }
    await writeRecordsAs('xlsx', definition, one(), fs.createWriteStream(file));
  } else await writeRecords(fs.createWriteStream(file), records, { format, fields });
  return file;
}

export const personsFile = (dir: string, name: string, format: ImportFormat, persons: object[]) => writeFile(dir, name, format, POPULATION, persons);
export const entitiesFile = (dir: string, name: string, format: ImportFormat, entities: object[]) => writeFile(dir, name, format, LEGAL_ENTITIES, entities);

let gbTable: Map<string, number[]> | undefined;
/** `text` in GB18030 (the characters of the GBK range, and ASCII), as Excel saves CSV on a Chinese system. */
export function encodeGb18030(text: string): Buffer {
  if (!gbTable) {
    gbTable = new Map();
    const decoder = new TextDecoder('gb18030');
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const char = decoder.decode(new Uint8Array([lead, trail]));
        if (char.length === 1 && char !== '\ufffd' && !gbTable.has(char)) gbTable.set(char, [lead, trail]);
      }
    }
  }
  const bytes: number[] = [];
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) bytes.push(char.charCodeAt(0));
    else {
      const code = gbTable.get(char);
      if (!code) throw new Error(`no GBK code for ${char}`);
      bytes.push(...code);
    }
  }
  return Buffer.from(bytes);
}

/** Records (live or not), versions and imports a registry has: what "nothing was written" counts. */
export async function counts(db: Db, registry: string): Promise<{ records: number; versions: number }> {
  const records = await sql<{ n: number }>`select count(*)::int as n from registries.records where registry = ${registry}`.execute(db);
  const versions = await sql<{ n: number }>`select count(*)::int as n from registries.record_versions where registry = ${registry}`.execute(db);
  return { records: records.rows[0].n, versions: versions.rows[0].n };
}

/** The live records of a registry, key → data, in key order. */
export async function snapshot(db: Db, registry: string): Promise<[string, unknown][]> {
  const rows = await sql<{ key: string; data: unknown }>`select key, data from registries.records where registry = ${registry} and deleted_at is null order by key`.execute(db);
  return rows.rows.map((r) => [r.key, r.data]);
}
