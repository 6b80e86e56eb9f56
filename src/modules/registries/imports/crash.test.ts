// A crash midway through an import, on a real child process killed with SIGKILL: a resumable
// import leaves whole committed batches and an interrupted import that resumes (through the
// CLI, with its progress bar) to completion with no record written twice; an atomic import
// leaves nothing, and resuming it starts over. A resume with another file is refused.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { closeServices, openServices, type Services } from '../../../app.ts';
import { loadConfig } from '../../../config.ts';
import { localOperator } from '../../../platform/actor.ts';
import { TEST_MASTER_KEY, buildOrganization, newCreditCode } from '../../../test-support/factories.ts';
import { freshDataHome, runCli, type DataHome } from '../../../../test/support/egov-process.ts';
import { POPULATION } from '../index.ts';
import { hashFile } from './files.ts';
import { buildPopulation, counts, personsFile, tempDir } from './test-files.ts';

const CHILD = path.join(import.meta.dirname, 'crash-child.ts');
let home: DataHome;
let env: Record<string, string>;
const dir = tempDir();

const open = () => openServices(loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env }));
async function withServices<T>(fn: (s: Services) => Promise<T>): Promise<T> {
  const services = await open();
  try {
    return await fn(services);
  } finally {
    await closeServices(services);
  }
}

/** Runs the child until it kills itself after `killAfter` rows; returns the import's id. */
function importAndCrash(file: string, mode: 'atomic' | 'resumable', killAfter: number): string {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const child = spawnSync(process.execPath, [CHILD, 'population', file, mode, String(killAfter)], { env: childEnv, encoding: 'utf8', timeout: 240_000 });
  assert.equal(child.signal, 'SIGKILL', `the child was to be killed: ${child.status} ${child.stdout} ${child.stderr}`);
  const id = /import ([0-9a-f-]{36})/.exec(child.stdout)?.[1];
  assert.ok(id, child.stdout);
  const last = Number(/written (\d+)\n$/.exec(child.stdout)?.[1]);
  assert.ok(last >= killAfter, child.stdout);
  return id;
}

before(async () => {
  home = await freshDataHome();
  env = { ...home.env, EGOV_MASTER_KEY: TEST_MASTER_KEY };
  await withServices(async (services) => {
    const org = await buildOrganization(services, { type: 'government', divisionCode: '330000', creditCode: newCreditCode('330000') });
    await services.registries.catalog.install(localOperator('test'), POPULATION, org.id);
  });
});
after(async () => {
  await home.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a resumable import killed after two batches keeps exactly those batches, and resumes to the end without duplicates', async () => {
  const { persons } = buildPopulation({ persons: 12_000, seed: 31 });
  const file = await personsFile(dir, 'crash', 'csv', persons);
  const id = importAndCrash(file, 'resumable', 10_000);

  await withServices(async (services) => {
    const view = await services.registries.imports.get(localOperator('test'), 'population', id);
    assert.equal(view.status, 'interrupted', 'the dead import is seen as interrupted');
    assert.equal(view.committedRows, 10_000);
    assert.deepEqual(await counts(services.database.db, 'population'), { records: 10_000, versions: 10_000 }, 'whole batches, nothing half-written');
    const resumeRow = await sql<{ resume_row: number }>`select resume_row from registries.imports where id = ${id}`.execute(services.database.db);
    assert.equal(resumeRow.rows[0].resume_row, 10_001, 'the batches end at the 10,000th person (row 10,001)');
    // The same import cannot be resumed with another file.
    const other = await personsFile(dir, 'other', 'csv', persons.slice(0, 100));
    await assert.rejects(services.registries.imports.resume(localOperator('test'), 'population', id, await hashFile(other)), (err: Error & { errors?: { code: string }[] }) => err.errors?.[0].code === 'file_mismatch');
  });

  const resumed = runCli(['registries', 'import', 'population', file, '--resume', id], env);
  assert.equal(resumed.status, 0, resumed.stderr + resumed.stdout);
  assert.match(resumed.stderr, /writing: 12,000 of 12,000 rows/);
  assert.match(resumed.stderr, /100%/);
  assert.match(resumed.stdout, new RegExp(`Import ${id} done: 12000 rows`));

  await withServices(async (services) => {
    const db = services.database.db;
    assert.deepEqual(await counts(db, 'population'), { records: 12_000, versions: 12_000 });
    const twice = await sql<{ n: number }>`select count(*)::int as n from registries.record_versions where registry = 'population' and version > 1`.execute(db);
    assert.equal(twice.rows[0].n, 0, 'no record was written twice');
    const view = await services.registries.imports.get(localOperator('test'), 'population', id);
    assert.deepEqual([view.status, view.committedRows, view.createdRows, view.totalRows, view.errorCount], ['done', 12_000, 12_000, 12_000, 0]);
    // One audit event for each run that wrote: the first, and the resume.
    const audits = await sql<{ resumed: boolean }>`select (detail->>'resumed')::boolean as resumed from audit.events where action = 'registries.records.import' and detail->>'importId' = ${id} order by seq`.execute(db);
    assert.deepEqual(audits.rows.map((r) => r.resumed), [false, true]);
  });
});

test('an atomic import killed midway leaves nothing; resumed, it starts over and completes', async () => {
  const { persons } = buildPopulation({ persons: 12_000, seed: 32, divisions: ['330111', '330112', '330113', '330114'] });
  const file = await personsFile(dir, 'atomic', 'csv', persons);
  const before = await withServices((services) => counts(services.database.db, 'population'));
  const id = importAndCrash(file, 'atomic', 5_000);

  await withServices(async (services) => {
    assert.deepEqual(await counts(services.database.db, 'population'), before, 'nothing of the killed transaction is there');
    const view = await services.registries.imports.get(localOperator('test'), 'population', id);
    assert.deepEqual([view.status, view.committedRows], ['interrupted', 0]);
    const done = await services.registries.imports.resume(localOperator('test'), 'population', id, await hashFile(file));
    assert.deepEqual([done.status, done.committedRows, done.createdRows], ['done', 12_000, 12_000]);
    assert.deepEqual(await counts(services.database.db, 'population'), { records: before.records + 12_000, versions: before.versions + 12_000 });
  });
});
