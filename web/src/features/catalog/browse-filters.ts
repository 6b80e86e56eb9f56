// The catalog browser's URL parameters (its view, the item or theme chosen, the search words,
// sort and facet values, several values of a facet joined by commas) and its page size.
export const CATALOG_FILTERS = { view: 'base', item: '', theme: '', org: '', q: '', sort: '', provider: '', class: '', sharing: '', open: '', format: '', cycle: '' };
export type CatalogFilters = typeof CATALOG_FILTERS;
export const PAGE_SIZE = 20;
