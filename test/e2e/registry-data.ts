// The demo world with one registry of its own keeper installed and seeded, written into a data
// folder before the server starts there, for the browser tests of the geospatial and
// macroeconomic registries. Not a test file itself.
import assert from 'node:assert/strict';
import { createApp, type Services } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import type { RegistryDefinition } from '../../src/modules/registries/index.ts';
import { localOperator } from '../../src/platform/actor.ts';
import { DEMO_PASSWORD } from '../support/egov-process.ts';

/**
 * Seeds the demo into `dataDir`, installs `definition` for the demo organization named
 * `keeper` and runs `seed` (each a no-op where the demo seed does it already).
 */
export async function seedDemoWithRegistry(dataDir: string, { definition, keeper, seed }: { definition: RegistryDefinition; keeper: string; seed: (services: Services) => Promise<unknown> }): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'development', EGOV_DATA_DIR: dataDir, EGOV_DEMO_PASSWORD: DEMO_PASSWORD, LOG_LEVEL: 'warn' });
  const app = await createApp(config);
  try {
    await seedDemo(app.services, DEMO_PASSWORD);
    const owner = (await app.services.directory.service.listOrganizations()).find((o) => o.nameZh === keeper);
    assert.ok(owner, `the demo has ${keeper}`);
    await app.services.registries.catalog.install(localOperator('e2e'), definition, owner.id);
    await seed(app.services);
  } finally {
    await app.close();
  }
}
