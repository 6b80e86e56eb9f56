// Online public services and administrative approval (issue 8). So far: the service catalog
// (catalog/: each service's guide, written by its organization, published on the portal) and
// the electronic licence identifier of GB/T 36904 (licences/identifier.ts), and the GovStack
// Registration API's service operations under /govstack/registration/ (govstack/). Applications,
// e-forms, the approval workflow, deadlines and licences build on these.
import path from 'node:path';
import type { App } from '../../http/server.ts';
import type { MigrationSource } from '../../platform/migrate.ts';
import { registerServiceCatalogRoutes } from './catalog/routes.ts';
import { createServiceCatalog, type ServiceCatalogDeps } from './catalog/service.ts';
import { registerRegistrationRoutes } from './govstack/registration.ts';

export type { ServiceView } from './catalog/schema.ts';
export type { ServiceCatalog } from './catalog/service.ts';
export { SERVICE_KINDS, STATUTORY_LIMIT, type ServiceInput } from './catalog/model.ts';
export { buildLicenceId, parseLicenceId, mod3736 } from './licences/identifier.ts';

export const servicesMigrations: MigrationSource = { module: 'services', dir: path.join(import.meta.dirname, 'migrations') };

export function createServices(deps: ServiceCatalogDeps) {
  const catalog = createServiceCatalog(deps);
  return {
    catalog,
    registerRoutes(app: App): void {
      registerServiceCatalogRoutes(app, catalog);
      registerRegistrationRoutes(app, catalog);
    },
  };
}

export type Services = ReturnType<typeof createServices>;
