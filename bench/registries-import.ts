// The egov side of the registries import benchmark: a demo world whose public security
// department keeps the population registry, and an import of a persons file into it through
// the import service (every row checked by the record engine's rules, then written with a
// version and its provenance), as `egov registries import` runs it.
import { openServices, closeServices } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { hashFile } from '../src/modules/registries/imports/index.ts';
import { POPULATION } from '../src/modules/registries/index.ts';
import { localOperator } from '../src/platform/actor.ts';
import { DEMO_PASSWORD } from '../test/support/egov-process.ts';

const configOf = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'development', EGOV_DEMO_PASSWORD: DEMO_PASSWORD, LOG_LEVEL: 'warn', ...env });

/** Migrates and seeds the demo world, and installs the population registry kept by public security. */
export async function prepareRegistry(env: Record<string, string>): Promise<void> {
  const services = await openServices(configOf(env));
  try {
    await seedDemo(services, DEMO_PASSWORD);
    const psb = (await services.directory.service.listOrganizations()).find((o) => o.nameZh === '青云省公安厅');
    if (!psb) throw new Error('the demo world has no public security department');
    await services.registries.catalog.install(localOperator('bench'), POPULATION, psb.id);
  } finally {
    await closeServices(services);
  }
}

/**
 * Imports a CSV file into the population registry; the time runs from hashing the file (as
 * the CLI does) to the import's end. Services are opened before and closed after the clock.
 * `backends` measures the database's CPU (PostgreSQL) while the pool's connections are open;
 * Node's CPU is this process's (on PGlite it includes the database).
 */
export async function egovImport(
  env: Record<string, string>,
  file: string,
  options: { mode?: 'atomic' | 'resumable'; backends?: { start(): Promise<void>; stop(): Promise<number> } } = {},
): Promise<{ ms: number; checkMs: number; count: number; nodeCpuMs: number; databaseCpuMs: number | undefined }> {
  const services = await openServices(configOf(env));
  try {
    await options.backends?.start();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const spooled = await hashFile(file);
    // Atomic imports check and write in one pass (each batch is written while the next is
    // checked); the 'writing' phase starts after the last row is checked, when what is left is
    // the last batches and the commit.
    let writingAt: number | undefined;
    const onProgress = (view: { phase: string }) => {
      if (view.phase === 'writing') writingAt ??= performance.now();
    };
    const result = await services.registries.imports.importRecords(localOperator('bench'), 'population', spooled, { format: 'csv', fileName: 'persons.csv', reason: 'benchmark import', mode: options.mode ?? 'atomic' }, { onProgress });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const databaseCpuMs = await options.backends?.stop();
    if ('dryRun' in result || result.status !== 'done' || result.errorCount > 0) throw new Error(`the import did not finish cleanly: ${JSON.stringify(result).slice(0, 2000)}`);
    return { ms, checkMs: (writingAt ?? t0) - t0, count: result.createdRows, nodeCpuMs: (cpu.user + cpu.system) / 1000, databaseCpuMs };
  } finally {
    await closeServices(services);
  }
}
