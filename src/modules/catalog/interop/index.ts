// Catalog interoperability (to be built): the CKAN Action API under /api/3/action/, the
// DCAT-AP 3 export (/catalog.jsonld, /catalog.ttl, /dataset/{id}.jsonld|.ttl), harvesting.
import type { App } from '../../../http/server.ts';
import type { CatalogPartDeps } from '../parts.ts';

export function createCatalogInterop(_deps: CatalogPartDeps) {
  return {
    registerRoutes(_app: App): void {},
  };
}
