// The base registries: population, legal entities, natural resources and geospatial, and
// macroeconomic, the shared records the rest of the platform reads through the exchange
// instead of collecting again. One engine keeps record registries (schema, validation,
// versions with provenance, "who read my data"); geospatial layers and macroeconomic
// series have stores of their own under the same ownership and access rules.
import path from 'node:path';
import type { App } from '../../http/server.ts';
import type { Audit } from '../../platform/audit.ts';
import type { ChangeFeed } from '../../platform/changes.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import type { MigrationSource } from '../../platform/migrate.ts';
import { createRegistryCatalog } from './catalog.ts';
import { createGeo } from './geo/index.ts';
import { createMacro } from './macro/index.ts';
import { createRecords } from './engine/records.ts';
import { registerRecordRoutes } from './engine/routes.ts';
import { createRecordImports } from './imports/index.ts';

export type { RegistryDefinition, FieldDefinition, Sensitivity } from './engine/definition.ts';
export type { RegistryInfo } from './catalog.ts';
export type { Reader, Writer, RecordView, Records } from './engine/records.ts';
export { staffReader } from './engine/records.ts';
export { createGovstackDr, type GovstackDr } from './govstack/index.ts';
export { PERSONAL_DATA_USAGE_PATH, readPathsOf, type ReadPath } from './read-paths.ts';
export { BASE_REGISTRIES, CODE_LISTS, GEOSPATIAL, LEGAL_ENTITIES, MACROECONOMIC, POPULATION } from './definitions/index.ts';

export const registriesMigrations: MigrationSource = { module: 'registries', dir: path.join(import.meta.dirname, 'migrations') };

export type RegistriesDeps = {
  db: Db;
  audit: Audit;
  clock: Clock;
  changes: ChangeFeed;
  /** Whether a division code is known (national list or local additions). */
  divisionExists: (code: string) => boolean;
  /** The parent of a division, for roll-ups along the tree; undefined at the top. */
  divisionParent: (code: string) => string | undefined;
  /** EGOV_POSTGIS: whether the geospatial registry may use PostGIS where installed (decision 0015). */
  postgis?: 'auto' | 'off';
};

export function createRegistries(deps: RegistriesDeps) {
  const catalog = createRegistryCatalog(deps);
  // Each part registers its routes here, in one line, so the parts do not edit each other.
  const routeParts: ((app: App) => void)[] = [];
  const records = createRecords({ ...deps, catalog });
  routeParts.push((app) => registerRecordRoutes(app, { records, catalog, db: deps.db }));
  const macro = createMacro({ ...deps, catalog });
  routeParts.push(macro.registerRoutes);
  const geo = createGeo({ ...deps, catalog });
  routeParts.push(geo.registerRoutes);
  const imports = createRecordImports({ ...deps, records });
  routeParts.push(imports.registerRoutes);
  return {
    catalog,
    records,
    macro,
    geo,
    imports,
    registerRoutes(app: App) {
      for (const register of routeParts) register(app);
    },
  };
}

export type Registries = ReturnType<typeof createRegistries>;
