// Catalog search: published entries found by words in Chinese and English (segmented with
// Intl.Segmenter at index and query time, plus Han bigrams), near matches for misspellings,
// facets with counts, sort, paging and highlights. The index is kept in the catalog schema
// and written in the publishing transaction; searches are answered from each process's
// in-memory copy (service.ts, memory-index.ts).
import { STAFF_ERRORS } from '../../../http/schemas.ts';
import { prefersChinese } from '../../../http/problem.ts';
import { requestContext, type App } from '../../../http/server.ts';
import type { CatalogPartDeps } from '../parts.ts';
import { parseSearchParams } from './params.ts';
import { SearchQuery, SearchResult } from './schema.ts';
import { createSearchService } from './service.ts';

export { parseQuery, terms } from './analyze.ts';
export type { SearchParams } from './params.ts';
export { parseSearchParams } from './params.ts';
export type { SearchService } from './service.ts';

export function createCatalogSearch(deps: CatalogPartDeps) {
  const service = createSearchService(deps);
  // The index follows publishing inside its transaction: an approval is searchable when it commits.
  deps.entries.onPublished((trx, row) => service.indexEntries(trx, [row]).then(() => undefined));
  return {
    ...service,
    registerRoutes(app: App): void {
      app.get('/api/catalog/search', {
        schema: {
          tags: ['catalog'],
          summary: 'Search the published catalog in Chinese or English, with facet counts (provider, class, sharing, open, format, update cycle), sort, paging and highlighted matches',
          querystring: SearchQuery,
          response: { 200: SearchResult, ...STAFF_ERRORS },
        },
        handler: async (request) => {
          requestContext(request);
          const params = parseSearchParams(request.query as Record<string, unknown>);
          return service.search(params, prefersChinese(request));
        },
      });
    },
  };
}
