// Against duplicate construction: while a department drafts a catalog entry it is shown the
// existing entries most like it by name and data items (score.ts; looked up in an in-memory
// index of the published entries that follows the search index, find.ts), and the server records,
// with the new entry and in its transaction, what it found, what the drafter was shown and
// whether they confirmed the draft is not a duplicate (service.ts). The department and the
// data bureau read that record beside the entry.
import type { App } from '../../../http/server.ts';
import type { CatalogPartDeps } from '../parts.ts';
import { registerSimilarRoutes } from './routes.ts';
import { createSimilarService } from './service.ts';

export { HIGH_SIMILARITY, ITEM_WEIGHT, NAME_WEIGHT } from './score.ts';

export function createCatalogSimilar(deps: CatalogPartDeps) {
  const service = createSimilarService(deps);
  deps.entries.onCreated((trx, op, row, request) => service.checkCreated(trx, op, row, request));
  return {
    ...service,
    registerRoutes: (app: App) => registerSimilarRoutes(app, service),
  };
}

export type CatalogSimilar = ReturnType<typeof createCatalogSimilar>;
