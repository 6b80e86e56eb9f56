// A fresh database per test file: PGlite in memory, or a new PostgreSQL database when
// DATABASE_URL is set (dropped again afterwards).
import crypto from 'node:crypto';
import { after, before } from 'node:test';
import pg from 'pg';
import { loadConfig } from '../config.ts';
import { MIGRATIONS } from '../app.ts';
import { openPglite, openPostgres, type Database } from '../platform/db.ts';
import { migrate } from '../platform/migrate.ts';

export type TestDatabase = { database: Database; url: string | undefined; drop(): Promise<void> };

export function testDatabaseUrl(): string | undefined {
  return loadConfig().databaseUrl;
}

/** Creates an empty PostgreSQL database next to the one DATABASE_URL names and returns its URL. */
export async function createFreshPostgresDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `egov_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export async function openTestDatabase(): Promise<TestDatabase> {
  const base = testDatabaseUrl();
  if (!base) {
    const database = await openPglite(undefined);
    return { database, url: undefined, drop: async () => {} };
  }
  const fresh = await createFreshPostgresDatabase(base);
  const database = await openPostgres(fresh.url, 4);
  return {
    database,
    url: fresh.url,
    async drop() {
      await fresh.drop();
    },
  };
}

export async function openMigratedTestDatabase(): Promise<TestDatabase> {
  const tdb = await openTestDatabase();
  await migrate(tdb.database, MIGRATIONS);
  return tdb;
}

export async function closeTestDatabase(tdb: TestDatabase): Promise<void> {
  await tdb.database.close();
  await tdb.drop();
}

/**
 * A migrated database for the whole test file, opened before its tests and dropped after.
 * Call at the top level of the file; use the returned getter inside tests.
 */
export function useMigratedTestDatabase(): () => TestDatabase {
  let tdb: TestDatabase | undefined;
  before(async () => {
    tdb = await openMigratedTestDatabase();
  });
  after(async () => {
    if (tdb) await closeTestDatabase(tdb);
  });
  return () => {
    if (!tdb) throw new Error('the test database is opened in before(); use it inside tests');
    return tdb;
  };
}
