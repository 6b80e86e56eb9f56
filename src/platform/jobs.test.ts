// Jobs and timers on pg-boss, on the database the run is configured for (PGlite, or PostgreSQL
// when DATABASE_URL is set): timers fire once, survive a restart, roll back with their transaction,
// are one per key, and failing handlers are retried.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { backup, restore } from './backup.ts';
import { openPglite, openPostgres, type Database } from './db.ts';
import { createJobs, JobsError, type Job, type Jobs } from './jobs.ts';
import { createLogger } from './logger.ts';
import { migrate } from './migrate.ts';
import { closeTestDatabase, createFreshPostgresDatabase, openTestDatabase, testDatabaseUrl } from '../test-support/database.ts';

const logger = createLogger('silent');
const base = testDatabaseUrl();

// One database for the file, reopened by the restart test: a data folder for PGlite (a restart
// must find it on disk), a fresh PostgreSQL database otherwise.
let dataDir: string | undefined;
let pgUrl: string | undefined;
let dropPg = async () => {};
let database: Database;
let jobs: Jobs;

async function open(): Promise<Database> {
  return pgUrl ? openPostgres(pgUrl, 4) : openPglite(dataDir);
}

function fast(db: Database): Jobs {
  return createJobs({ database: db, logger, pollingIntervalSeconds: 0.5, stopTimeoutMs: 1000 });
}

const soon = (ms = 300) => new Date(Date.now() + ms);

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

before(async () => {
  if (base) {
    const fresh = await createFreshPostgresDatabase(base);
    pgUrl = fresh.url;
    dropPg = fresh.drop;
  } else {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-jobs-'));
  }
  database = await open();
  jobs = fast(database);
  const started = performance.now();
  await jobs.start();
  // The figure decision 0025 quotes: creating pg-boss's schema in an empty database.
  process.stdout.write(`# pg-boss first start on ${database.kind}: ${Math.round(performance.now() - started)} ms\n`);
});

after(async () => {
  await jobs?.stop();
  await database?.close();
  await dropPg();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a job scheduled for the near future fires once, at its time, with its payload and key', async () => {
  const seen: Job<{ n: number }>[] = [];
  await jobs.work<{ n: number }>('once', async (job) => {
    seen.push(job);
  });
  const runAt = soon(400);
  await jobs.schedule('once', { n: 1 }, { runAt, key: 'a' });
  await pause(150);
  assert.equal(seen.length, 0, 'not before its time');
  await until('the job fires', () => seen.length === 1);
  assert.deepEqual(seen[0].payload, { n: 1 });
  assert.equal(seen[0].key, 'a');
  assert.equal(seen[0].attempt, 1);
  assert.ok(Date.now() >= runAt.getTime());
  await pause(1200);
  assert.equal(seen.length, 1, 'fired once');
});

test('the same key twice keeps one job, with the later time and payload; cancel removes it', async () => {
  const seen: Job<{ v: string }>[] = [];
  await jobs.work<{ v: string }>('keyed', async (job) => {
    seen.push(job);
  });
  const first = await jobs.schedule('keyed', { v: 'first' }, { runAt: soon(60_000), key: 'k' });
  const second = await jobs.schedule('keyed', { v: 'second' }, { runAt: soon(300), key: 'k' });
  assert.equal(second, first, 'one job');
  await until('the job fires', () => seen.length === 1);
  assert.equal(seen[0].payload.v, 'second');
  await pause(1200);
  assert.equal(seen.length, 1);

  await jobs.schedule('keyed', { v: 'cancelled' }, { runAt: soon(800), key: 'gone' });
  assert.equal(await jobs.cancel('keyed', 'gone'), 1);
  assert.equal(await jobs.cancel('keyed', 'gone'), 0, 'nothing left to cancel');
  assert.equal(await jobs.cancel('keyed', 'never-scheduled'), 0);
  // After it fired (or was cancelled) a key can be scheduled again: a new timer.
  await jobs.schedule('keyed', { v: 'again' }, { runAt: soon(300), key: 'k' });
  await until('the new timer fires', () => seen.length === 2);
  await pause(1200);
  assert.deepEqual(seen.map((j) => j.payload.v), ['second', 'again']);
});

test('a job scheduled in a transaction that rolls back never fires; one that commits does', async () => {
  const seen: string[] = [];
  await jobs.work<{ v: string }>('in-tx', async (job) => {
    seen.push(job.payload.v);
  });
  await database.db.schema.createTable('jobs_test_state').ifNotExists().addColumn('id', 'text', (c) => c.primaryKey()).execute();
  await assert.rejects(
    database.db.transaction().execute(async (tx) => {
      await tx.insertInto('jobs_test_state').values({ id: 'rolled-back' }).execute();
      await jobs.schedule('in-tx', { v: 'rolled-back' }, { runAt: soon(200), key: 'r', tx });
      throw new Error('the state change fails');
    }),
    /the state change fails/,
  );
  await database.db.transaction().execute(async (tx) => {
    await tx.insertInto('jobs_test_state').values({ id: 'committed' }).execute();
    await jobs.schedule('in-tx', { v: 'committed' }, { runAt: soon(200), key: 'c', tx });
  });
  // Cancelling in a transaction that rolls back leaves the timer in place.
  await jobs.schedule('in-tx', { v: 'kept' }, { runAt: soon(600), key: 'k' });
  await assert.rejects(
    database.db.transaction().execute(async (tx) => {
      assert.equal(await jobs.cancel('in-tx', 'k', { tx }), 1);
      throw new Error('undo');
    }),
    /undo/,
  );
  await until('the committed and kept jobs fire', () => seen.length === 2);
  await pause(1200);
  assert.deepEqual(seen.sort(), ['committed', 'kept']);
  const rows = await database.db.selectFrom('jobs_test_state').select('id').execute();
  assert.deepEqual(rows.map((r) => r.id), ['committed']);
});

test('scheduling in a transaction on a queue this process does not know is refused, not deadlocked', async () => {
  await assert.rejects(
    database.db.transaction().execute((tx) => jobs.schedule('unknown-queue', {}, { runAt: soon(), key: 'x', tx })),
    (err: unknown) => err instanceof JobsError && /not known to this process/.test(err.message),
  );
});

test('a failing handler is retried', async () => {
  const attempts: number[] = [];
  await jobs.work<object>(
    'flaky',
    async (job) => {
      attempts.push(job.attempt);
      if (job.attempt < 3) throw new Error(`attempt ${job.attempt} fails`);
    },
    { retryDelaySeconds: 0, retryLimit: 5 },
  );
  await jobs.schedule('flaky', {}, { runAt: soon(0), key: 'f' });
  await until('the third attempt succeeds', () => attempts.length === 3, 15_000);
  await pause(1200);
  assert.deepEqual(attempts, [1, 2, 3]);
});

test('a job scheduled before a crash fires after the restart', async () => {
  await jobs.schedule('durable', { v: 'survives' }, { runAt: soon(1500), key: 'd' });
  // The "crash": no worker ever ran for it; the process stops and its database connection goes away
  // (the PGlite data folder is closed and opened again, the PostgreSQL pool ended and made anew).
  await jobs.stop();
  await database.close();

  database = await open();
  jobs = fast(database);
  const seen: string[] = [];
  await jobs.work<{ v: string }>('durable', async (job) => {
    seen.push(job.payload.v);
  });
  const restarted = performance.now();
  await jobs.start();
  process.stdout.write(`# pg-boss start on an installed schema (${database.kind}): ${Math.round(performance.now() - restarted)} ms\n`);
  await until('the job fires after the restart', () => seen.length === 1);
  assert.deepEqual(seen, ['survives']);
});

test('a backup leaves the jobs schema out, and restores into a database where pg-boss already runs', async () => {
  // Decision 0025: jobs are derived state, rebuilt by their modules at start; backups cover module schemas.
  await migrate(database, []);
  await database.executeSql("create schema if not exists jobs_test; create table if not exists jobs_test.kept (id text primary key)");
  await database.executeSql("insert into jobs_test.kept values ('row') on conflict do nothing");
  await jobs.schedule('durable', { v: 'waiting' }, { runAt: soon(3_600_000), key: 'in-backup?' });
  const file = path.join(os.tmpdir(), `egov-jobs-${process.pid}.egov-backup`);
  try {
    const summary = await backup(database, ['platform', 'jobs_test'], file);
    assert.deepEqual(summary.tables.map((t) => t.name), ['jobs_test.kept']);

    const target = await openTestDatabase();
    const targetJobs = fast(target.database);
    try {
      await migrate(target.database, []);
      await target.database.executeSql('create schema jobs_test; create table jobs_test.kept (id text primary key)');
      await targetJobs.start();
      await targetJobs.schedule('durable', { v: 'target' }, { runAt: soon(3_600_000), key: 'target' });
      const restored = await restore(target.database, file, []);
      assert.deepEqual(restored.tables.map((t) => [t.name, t.rows]), [['jobs_test.kept', 1]]);
    } finally {
      await targetJobs.stop();
      await closeTestDatabase(target);
    }
  } finally {
    fs.rmSync(file, { force: true });
  }
});

test('schedule before start is refused with advice', async () => {
  const idle = fast(database);
  await assert.rejects(idle.schedule('once', {}, { runAt: soon(), key: 'x' }), /before jobs.start\(\)/);
});
