// The government information resource catalog: departments describe the information
// resources they hold with the national core metadata, the data bureau reviews and
// publishes the entries, and the base registries' entries are derived from their schemas.
// Three views (base, theme, department) follow the national classification; resource codes
// are assigned per the national guide (classification.ts, decision 0017).
import path from 'node:path';
import type { App } from '../../http/server.ts';
import type { Operator } from '../../platform/actor.ts';
import type { MigrationSource } from '../../platform/migrate.ts';
import { syncBaseEntries, type RegistrySource } from './base-entries.ts';
import { createCatalogInterop } from './interop/index.ts';
import { createOpenData } from './open-data/index.ts';
import type { CatalogPartDeps } from './parts.ts';
import { createCatalogSearch } from './search/index.ts';
import { createCatalogSimilar } from './similar/index.ts';
import * as policy from './policy.ts';
import { registerCatalogRoutes } from './routes.ts';
import { createCatalogService, type CatalogDeps } from './service.ts';

export type { CatalogService, EntryView, Settings } from './service.ts';
export type { ReleaseView } from './open-data/index.ts';
export type { EntryMetadata } from './model.ts';
export type { RegistrySource } from './base-entries.ts';
export { parseResourceCode, resourceCode } from './classification.ts';

export const catalogMigrations: MigrationSource = { module: 'catalog', dir: path.join(import.meta.dirname, 'migrations') };

export type CatalogModuleDeps = CatalogDeps & Omit<CatalogPartDeps, 'entries' | 'findOrganization'> & {
  /** The installed registries, for the base entries. */
  registries: () => Promise<RegistrySource[]>;
  /** The exchange service that serves a registry, or '' when it is not published. */
  serviceOf: (registry: string) => Promise<string>;
};

export function createCatalog(deps: CatalogModuleDeps) {
  const service = createCatalogService(deps);
  const syncBase = async (op: Operator) => {
    if (op.actor) policy.assertMayConfigure(op.actor);
    return syncBaseEntries(service, op, await deps.registries(), deps.serviceOf);
  };
  const partDeps: CatalogPartDeps = { ...deps, entries: service };
  // Each part registers its own routes, so the parts do not edit each other.
  const search = createCatalogSearch(partDeps);
  const interop = createCatalogInterop(partDeps);
  const similar = createCatalogSimilar(partDeps);
  const openData = createOpenData({ ...partDeps, search });
  return {
    service,
    syncBase,
    search,
    interop,
    similar,
    openData,
    registerRoutes(app: App) {
      registerCatalogRoutes(app, { catalog: service, syncBase });
      search.registerRoutes(app);
      interop.registerRoutes(app);
      similar.registerRoutes(app);
      openData.registerRoutes(app);
    },
  };
}

export type Catalog = ReturnType<typeof createCatalog>;
export { createCatalogRequests, type CatalogRequests } from './requests/index.ts';
