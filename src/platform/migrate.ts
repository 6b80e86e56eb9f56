// Plain SQL migrations, one folder per module, applied in order at start.
// Each file runs in its own transaction together with its bookkeeping row, so a failed
// migration leaves nothing behind and a concurrent replica waits instead of racing.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from './db.ts';

export type MigrationSource = { module: string; dir: string };
export type MigrationResult = { applied: string[]; alreadyApplied: number };

const BOOKKEEPING = `
create schema if not exists platform;
create table if not exists platform.schema_migrations (
  module text not null,
  name text not null,
  checksum text not null,
  applied_at timestamptz not null default now(),
  primary key (module, name)
);`;

export class MigrationError extends Error {}

function listFiles(source: MigrationSource): { name: string; sql: string; checksum: string }[] {
  if (!fs.existsSync(source.dir)) return [];
  return fs
    .readdirSync(source.dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(source.dir, name), 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
}

/** Every migration this build knows, as `module/file`: a backup naming others comes from a newer egov. */
export function migrationNames(sources: MigrationSource[]): string[] {
  return sources.flatMap((source) => listFiles(source).map((file) => `${source.module}/${file.name}`));
}

/**
 * Every schema the migrations make (`create schema` in their SQL), after `platform`, which
 * migrate() makes for its bookkeeping: what a backup must cover. Derived from the files, so
 * a new module's schema is covered the day its migration lands. Schemas made from code at run
 * time (pg-boss's `pgboss`, PostGIS's `registries_postgis`) hold derived state and are not here.
 */
export function migrationSchemas(sources: MigrationSource[]): string[] {
  const schemas = new Set(['platform']);
  const create = /\bcreate\s+schema\s+(?:if\s+not\s+exists\s+)?("?)([A-Za-z_][A-Za-z0-9_$]*)\1/gi;
  for (const source of sources) {
    for (const file of listFiles(source)) {
      // Comments out first: a migration may mention a schema it does not make.
      const sql = file.sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
      for (const m of sql.matchAll(create)) schemas.add(m[1] ? m[2] : m[2].toLowerCase());
    }
  }
  return [...schemas];
}

export async function migrate(database: Database, sources: MigrationSource[]): Promise<MigrationResult> {
  await database.rawTransaction((raw) => raw.exec(BOOKKEEPING));
  const applied: string[] = [];
  let alreadyApplied = 0;
  for (const source of sources) {
    for (const file of listFiles(source)) {
      const id = `${source.module}/${file.name}`;
      const didApply = await database.rawTransaction(async (raw) => {
        const rows = await raw.query<{ checksum: string }>(
          'select checksum from platform.schema_migrations where module = $1 and name = $2',
          [source.module, file.name],
        );
        if (rows.length > 0) {
          // An edited migration that already ran would silently diverge between installations.
          if (rows[0].checksum !== file.checksum) {
            throw new MigrationError(`Migration ${id} was changed after it was applied. Add a new migration instead.`);
          }
          return false;
        }
        await raw.exec(file.sql);
        await raw.query('insert into platform.schema_migrations (module, name, checksum) values ($1, $2, $3)', [
          source.module,
          file.name,
          file.checksum,
        ]);
        return true;
      });
      if (didApply) applied.push(id);
      else alreadyApplied++;
    }
  }
  return { applied, alreadyApplied };
}
