// Share requests (see service.ts): the catalog's part that turns a request into access
// rights in the exchange, under statutory deadlines counted in working days.
import type { App } from '../../../http/server.ts';
import { registerRequestRoutes } from './routes.ts';
import { createShareRequests, type RequestsDeps } from './service.ts';

export type { ExchangeRights, RequestsDeps } from './service.ts';

export function createCatalogRequests<P>(deps: RequestsDeps<P>) {
  const service = createShareRequests(deps);
  return { service, registerRoutes: (app: App) => registerRequestRoutes(app, service as unknown as ReturnType<typeof createShareRequests<unknown>>) };
}

export type CatalogRequests = ReturnType<typeof createCatalogRequests>;
