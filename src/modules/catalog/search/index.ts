// Catalog search (to be built): full text in Chinese and English, segmented with
// Intl.Segmenter at index and query time, fuzzy matching, facets, sort, paging, highlights.
import type { App } from '../../../http/server.ts';
import type { CatalogPartDeps } from '../parts.ts';

export function createCatalogSearch(_deps: CatalogPartDeps) {
  return {
    registerRoutes(_app: App): void {},
  };
}
