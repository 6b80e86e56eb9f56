// Catalog interoperability: the open published entries as CKAN's Action API under
// /api/3/action/ (read-only, public, so CKAN clients and harvesters work against egov) and
// as DCAT-AP 3 (/catalog.ttl, /catalog.jsonld, /dataset/{id}.ttl|.jsonld, checked against
// the DCAT-AP SHACL shapes in CI); and harvesting: a department imports a CKAN API dump or a
// DCAT file as drafts of its own entries, which then go through review like any other.
import type { App } from '../../../http/server.ts';
import type { CatalogPartDeps } from '../parts.ts';
import { createCkanApi } from './ckan-api.ts';
import { registerCkanRoutes } from './ckan-routes.ts';
import type { DcatContext } from './dcat-graph.ts';
import { registerDcatRoutes } from './dcat-routes.ts';
import { createHarvester } from './harvest.ts';
import { registerHarvestRoutes } from './harvest-routes.ts';
import { catalogPublisher, loadPublishers } from './publishers.ts';

export function createCatalogInterop(deps: CatalogPartDeps) {
  const baseUrl = deps.publicBaseUrl.replace(/\/+$/, '');
  const publishers = () => loadPublishers(deps);
  const ckan = createCkanApi({ db: deps.db, baseUrl, publishers, now: () => deps.clock.now() });
  const dcatContext = async (): Promise<DcatContext> => {
    const [all, settings] = await Promise.all([publishers(), deps.entries.settings()]);
    return { baseUrl, publishers: all, catalogPublisher: catalogPublisher(all, settings.reviewerOrgId) };
  };
  const harvester = createHarvester({ db: deps.db, audit: deps.audit, entries: deps.entries });
  return {
    /** The address links in the exports start with. */
    baseUrl,
    ckan,
    harvester,
    registerRoutes(app: App): void {
      registerCkanRoutes(app, { api: ckan, baseUrl });
      registerDcatRoutes(app, { db: deps.db, context: dcatContext });
      registerHarvestRoutes(app, { harvester });
    },
  };
}
