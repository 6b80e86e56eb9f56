// The catalog search: published entries found by words in Chinese and English, with facet
// counts, sort, paging and highlights. Publishing writes an entry's index row in its own
// transaction (indexEntries, called by the entries service); each process answers from an
// in-memory copy that first catches up with the database's generation, so a search never
// misses an approval that committed before it began, on this replica or another.
import type { Executor } from '../../../platform/db.ts';
import { THEME_ITEMS, itemLabel } from '../classification.ts';
import type { CatalogPartDeps } from '../parts.ts';
import type { EntryRow } from '../store.ts';
import { parseQuery, terms } from './analyze.ts';
import { createExpander, type Correction, type ProviderName } from './expand.ts';
import { marked, ranges, snippet, type Marks } from './highlight.ts';
import { facetLabel } from './labels.ts';
import { FACETS, createMemoryIndex, type DocWithTerms, type Facet, type Hit, type MemoryIndex } from './memory-index.ts';
import type { SearchParams } from './params.ts';
import * as store from './store.ts';

/** Abstracts in results are cut to snippets of about this many characters. */
const SNIPPET_ZH = 120;
const SNIPPET_EN = 280;
/** Providers listed in the provider facet, most entries first (those filtered on always). */
const PROVIDER_FACET_LIMIT = 100;
const REPAIR_BATCH = 1000;

/** The terms of `set` not in `taken`, separated by spaces (a term is posted once, in its weightiest field). */
function joined(set: Set<string>, ...taken: Set<string>[]): string {
  return [...set].filter((term) => !taken.some((t) => t.has(term))).join(' ');
}

export type FacetValue = { value: string; label: string; labelZh: string; labelEn: string; count: number };

/** An entry's published version as the index keeps it. */
export function documentOf(row: EntryRow): DocWithTerms {
  const m = row.published_metadata!;
  const themes = [...m.themes, ...(m.classification.class === '2' ? [m.classification.item] : [])].map((t) => THEME_ITEMS[t]).filter((t) => t !== undefined);
  const item = itemLabel(m.classification);
  const names = terms(m.nameZh, m.nameEn);
  const items = terms(row.code, m.format.type, ...m.keywords, ...m.dataItems.flatMap((d) => [d.name, d.nameEn]), ...themes.flatMap((t) => [t.zh, t.en]), ...(item && m.classification.class !== '3' ? [item.zh, item.en] : []));
  return {
    entryId: row.id,
    code: row.code,
    providerId: row.provider_org_id,
    publishedVersion: row.published_version,
    publishedAt: row.published_at!,
    classCode: m.classification.class,
    item: m.classification.item,
    sharing: m.sharing.type,
    open: m.open.open,
    format: m.format.class,
    cycle: m.updateCycle,
    nameZh: m.nameZh,
    nameEn: m.nameEn,
    abstractZh: m.abstractZh,
    abstractEn: m.abstractEn,
    nameTerms: joined(names),
    itemTerms: joined(items, names),
    abstractTerms: joined(terms(m.abstractZh, m.abstractEn, ...m.dataItems.map((d) => d.description)), names, items),
  };
}

export function createSearchService(deps: CatalogPartDeps) {
  let index = createMemoryIndex();
  let expander = createExpander(index);
  /** The generation the in-memory copy holds; -1 before the first load. */
  let held = -1;
  let refreshing: Promise<void> | undefined;

  /** Writes the index rows of published entries, inside the caller's (publishing) transaction. */
  async function indexEntries(trx: Executor, rows: EntryRow[]): Promise<number> {
    const docs = rows.filter((r) => r.published_version > 0 && r.published_metadata && r.published_at).map(documentOf);
    if (docs.length === 0) return 0;
    await store.upsertDocs(trx, docs, await store.nextGeneration(trx));
    return docs.length;
  }

  /** Indexes entries published without the index (before it existed, or restored from an older backup). */
  async function repair(): Promise<void> {
    for (let round = 0; round < 10_000; round++) {
      const rows = await store.unindexedEntries(deps.db, REPAIR_BATCH);
      if (rows.length > 0) await deps.db.transaction().execute((trx) => indexEntries(trx, rows));
      if (rows.length < REPAIR_BATCH) return;
    }
  }

  /** Reads the rows written after generation `after` into `into`, page by page; the highest generation read. */
  async function read(into: MemoryIndex, after: number): Promise<number> {
    let top = 0;
    let fromId: string | null = null;
    do {
      const page = await store.loadDocs(deps.db, after, fromId);
      into.apply(page.docs);
      top = Math.max(top, page.generation);
      fromId = page.lastId;
    } while (fromId !== null);
    return top;
  }

  async function refresh(): Promise<void> {
    if (held < 0) await repair();
    const generation = await store.currentGeneration(deps.db);
    if (held >= 0 && generation <= held) return;
    if (held >= 0 && !index.worthRebuilding()) {
      // The changes go into the index in use: nothing awaits between a page's changes being applied, so no search sees half a change.
      held = Math.max(generation, await read(index, held));
      return;
    }
    // A whole load is built aside and swapped in, so searches meanwhile use the old copy.
    const fresh = createMemoryIndex();
    const top = await read(fresh, 0);
    fresh.compact();
    index = fresh;
    expander = createExpander(fresh);
    held = Math.max(generation, top);
  }

  /** Catches up with every change committed before this call. */
  async function upToDate(): Promise<void> {
    const target = await store.currentGeneration(deps.db);
    while (held < 0 || held < target) {
      refreshing ??= refresh().finally(() => (refreshing = undefined));
      await refreshing;
    }
  }

  async function providers(ids: Iterable<string>): Promise<Map<string, ProviderName>> {
    const found = await Promise.all([...new Set(ids)].map((id) => deps.findOrganization(id)));
    return new Map(found.filter((o) => o !== undefined).map((o) => [o.id, { id: o.id, nameZh: o.nameZh, nameEn: o.nameEn }]));
  }

  function present(hit: Hit, marks: Marks, names: Map<string, ProviderName>) {
    const d = hit.doc;
    const field = (text: string, max?: number) => {
      const found = ranges(text, marks);
      const cut = max === undefined ? { text, ranges: found } : snippet(text, found, max);
      return { ...cut, marked: marked(cut.text, cut.ranges) };
    };
    const [nameZh, nameEn, abstractZh, abstractEn] = [field(d.nameZh), field(d.nameEn), field(d.abstractZh, SNIPPET_ZH), field(d.abstractEn, SNIPPET_EN)];
    const provider = names.get(d.providerId) ?? { id: d.providerId, nameZh: d.providerId, nameEn: d.providerId };
    return {
      id: d.entryId,
      code: d.code,
      nameZh: d.nameZh,
      nameEn: d.nameEn,
      abstractZh: abstractZh.text,
      abstractEn: abstractEn.text,
      provider,
      class: d.classCode,
      item: d.item,
      sharing: d.sharing,
      open: d.open,
      format: d.format,
      updateCycle: d.cycle,
      publishedVersion: d.publishedVersion,
      publishedAt: d.publishedAt.toISOString(),
      score: hit.score,
      highlights: { nameZh: nameZh.ranges, nameEn: nameEn.ranges, abstractZh: abstractZh.ranges, abstractEn: abstractEn.ranges },
      marked: { nameZh: nameZh.marked, nameEn: nameEn.marked, abstractZh: abstractZh.marked, abstractEn: abstractEn.marked },
    };
  }

  return {
    indexEntries,

    /** Published entries matching the parameters; labels in Chinese when `zh`. */
    async search(params: SearchParams, zh: boolean) {
      await upToDate();
      const units = parseQuery(params.q);
      const sort = params.sort ?? (units.length > 0 ? 'relevance' : 'published');
      const filters = FACETS.map((f) => (params.filters[f] ? new Set(params.filters[f]) : undefined));
      const query = { filters, sort, offset: (params.page - 1) * params.pageSize, limit: params.pageSize };
      const everyone = units.length > 0 ? (await deps.listOrganizations()).map((o) => ({ id: o.id, nameZh: o.nameZh, nameEn: o.nameEn })) : [];
      let expansion = expander.expand(units, false, everyone);
      let answer = index.search({ ...query, clauses: expansion.clauses });
      let fuzzy = false;
      if (answer.total === 0 && units.length > 0) {
        expansion = expander.expand(units, true, everyone);
        answer = index.search({ ...query, clauses: expansion.clauses });
        fuzzy = true;
      }
      const providerFacet = answer.facets[0];
      const chosen = new Set(params.filters.provider ?? []);
      const listed = providerFacet.filter((v, i) => i < PROVIDER_FACET_LIMIT || chosen.has(v.value));
      const names = await providers([...answer.hits.map((h) => h.doc.providerId), ...listed.map((v) => v.value)]);
      const facets = Object.fromEntries(
        FACETS.map((facet, f) => {
          const values = facet === 'provider' ? listed : answer.facets[f];
          return [
            facet,
            values.map(({ value, count }) => {
              const label = facet === 'provider' ? { zh: names.get(value)?.nameZh ?? value, en: names.get(value)?.nameEn ?? value } : facetLabel(facet, value);
              return { value, label: zh ? label.zh : label.en, labelZh: label.zh, labelEn: label.en, count };
            }),
          ];
        }),
      ) as Record<Facet, FacetValue[]>;
      return {
        total: answer.total,
        page: params.page,
        pageSize: params.pageSize,
        sort,
        fuzzy: fuzzy || expansion.corrections.length > 0,
        corrections: expansion.corrections as Correction[],
        items: answer.hits.map((hit) => present(hit, expansion.marks, names)),
        facets,
      };
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;
