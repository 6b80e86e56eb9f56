// The search index as each process holds it: an inverted index from terms to entries, the
// facet values and sort orders of every entry, in typed arrays. It is a copy of
// catalog.search_docs (store.ts), which is written in the publishing transaction and is the
// truth; service.ts keeps this copy up to date, as the directory keeps its read model
// (decision 0003). Answering from memory is what lets a search with six facet counts over
// 100,000 entries cost about half a millisecond of CPU (bench/catalog.ts). Nothing here
// awaits: a search runs to its end on the event loop, so scratch arrays are shared.
import { createMatcher, type Clause, type Postings } from './match.ts';
import { topK } from './top-k.ts';

export const FACETS = ['provider', 'class', 'sharing', 'open', 'format', 'cycle'] as const;
export type Facet = (typeof FACETS)[number];

export const SORTS = ['relevance', 'name', 'published', 'code'] as const;
export type Sort = (typeof SORTS)[number];

/** What an entry is found and shown by (its published version). */
export type IndexedDoc = {
  entryId: string;
  code: string;
  providerId: string;
  publishedVersion: number;
  publishedAt: Date;
  classCode: string;
  item: string;
  sharing: string;
  open: boolean;
  format: string;
  cycle: string;
  nameZh: string;
  nameEn: string;
  abstractZh: string;
  abstractEn: string;
};

/** A document with its terms by field, as search_docs keeps it (terms separated by spaces). */
export type DocWithTerms = IndexedDoc & { nameTerms: string; itemTerms: string; abstractTerms: string };

export type { Alternative, Clause } from './match.ts';

export type Query = { clauses: Clause[]; filters: (Set<string> | undefined)[]; sort: Sort; offset: number; limit: number };
export type Hit = { doc: IndexedDoc; score: number };
export type Answer = { total: number; hits: Hit[]; facets: { value: string; count: number }[][] };

/** What is kept of an entry besides its facet values (those are codes in typed arrays). */
type Stored = Pick<IndexedDoc, 'entryId' | 'code' | 'publishedVersion' | 'item' | 'nameZh' | 'nameEn' | 'abstractZh' | 'abstractEn'> & { publishedMs: number };

const collator = new Intl.Collator('zh');
const byCode = (a: Stored, b: Stored) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
const COMPARE: Record<Exclude<Sort, 'relevance'>, (a: Stored, b: Stored) => number> = {
  name: (a, b) => collator.compare(a.nameZh, b.nameZh) || byCode(a, b),
  published: (a, b) => b.publishedMs - a.publishedMs || byCode(a, b),
  code: byCode,
};
const ORDERED = ['name', 'published', 'code'] as const;

const facetValue = (doc: IndexedDoc, facet: Facet): string =>
  facet === 'provider' ? doc.providerId : facet === 'class' ? doc.classCode : facet === 'sharing' ? doc.sharing : facet === 'open' ? String(doc.open) : facet === 'format' ? doc.format : doc.cycle;

/** The field weights terms are posted with (see match.ts). */
const W_ABSTRACT = 1;
const W_ITEMS = 2;
const W_NAME = 3;

export function createMemoryIndex() {
  const docs: (Stored | null)[] = [];
  const slotOf = new Map<string, number>();
  let live = 0;
  const postings = new Map<string, Postings>();
  /** Every term in the order it was first posted, for structures built over the vocabulary to follow it. */
  const vocabulary: string[] = [];
  const facetValues = FACETS.map(() => [] as string[]);
  const facetCodes = FACETS.map(() => new Map<string, number>());
  let codes = FACETS.map(() => new Int32Array(1024));
  let dead = new Uint8Array(1024);
  // Scratch per slot, reused by every search (see match.ts on why not fresh arrays).
  let fails = new Uint8Array(1024);
  let which = new Uint8Array(1024);
  let mark = new Uint8Array(1024);
  let merged = new Int32Array(1024);
  // Sort orders (live slots) and each slot's rank in them; rebuilt or patched lazily.
  const orders = new Map<string, number[]>();
  const ranks = new Map<string, Int32Array>();
  let pendingAdded: number[] = [];
  let pendingRemoved = new Set<number>();
  /** The facet counts of the whole index (the unfiltered listing), until the next change. */
  let everything: Int32Array[] | undefined;
  /** Per facet and value code, the slots holding it (in slot order, dead ones included). */
  const valueSlots = FACETS.map(() => [] as Postings[]);
  const matcher = createMatcher({ postings, live: () => live, size: () => docs.length, dead: () => dead, providerOf: () => codes[0] });

  function ensureCapacity(size: number) {
    if (size <= dead.length) return;
    let capacity = dead.length;
    while (capacity < size) capacity *= 2;
    codes = codes.map((old) => {
      const next = new Int32Array(capacity);
      next.set(old);
      return next;
    });
    const grown = new Uint8Array(capacity);
    grown.set(dead);
    dead = grown;
    fails = new Uint8Array(capacity);
    which = new Uint8Array(capacity);
    mark = new Uint8Array(capacity);
    merged = new Int32Array(capacity);
  }

  function codeOf(f: number, value: string): number {
    let code = facetCodes[f].get(value);
    if (code === undefined) {
      code = facetValues[f].length;
      facetValues[f].push(value);
      facetCodes[f].set(value, code);
    }
    return code;
  }

  /** Posts the terms of one field; slots only grow, so every list stays in slot order. */
  function post(terms: string, entry: number) {
    if (terms === '') return;
    for (const term of terms.split(' ')) {
      let list = postings.get(term);
      if (!list) {
        list = { ids: new Int32Array(4), n: 0 };
        postings.set(term, list);
        vocabulary.push(term);
      } else if (list.n === list.ids.length) {
        const grown = new Int32Array(list.ids.length * 2);
        grown.set(list.ids);
        list.ids = grown;
      }
      list.ids[list.n++] = entry;
    }
  }

  function remove(entryId: string) {
    const slot = slotOf.get(entryId);
    if (slot === undefined) return;
    // The slot stays in the postings, dead: rewriting every list would cost more than skipping it.
    docs[slot] = null;
    dead[slot] = 1;
    everything = undefined;
    slotOf.delete(entryId);
    live--;
    pendingRemoved.add(slot);
  }

  /** Adds an entry (replacing its earlier version). Its fields' terms are disjoint (documentOf), the name's taking precedence. */
  function add(doc: DocWithTerms) {
    remove(doc.entryId);
    const slot = docs.length;
    ensureCapacity(slot + 1);
    const { entryId, code, publishedVersion, item, nameZh, nameEn, abstractZh, abstractEn } = doc;
    docs.push({ entryId, code, publishedVersion, item, nameZh, nameEn, abstractZh, abstractEn, publishedMs: doc.publishedAt.getTime() });
    everything = undefined;
    slotOf.set(doc.entryId, slot);
    live++;
    FACETS.forEach((facet, f) => {
      const code = codeOf(f, facetValue(doc, facet));
      codes[f][slot] = code;
      const list = (valueSlots[f][code] ??= { ids: new Int32Array(16), n: 0 });
      if (list.n === list.ids.length) {
        const grown = new Int32Array(list.n * 2);
        grown.set(list.ids);
        list.ids = grown;
      }
      list.ids[list.n++] = slot;
    });
    post(doc.nameTerms, (slot << 2) | W_NAME);
    post(doc.itemTerms, (slot << 2) | W_ITEMS);
    post(doc.abstractTerms, (slot << 2) | W_ABSTRACT);
    pendingAdded.push(slot);
  }

  function docAt(slot: number): IndexedDoc {
    const { publishedMs, ...d } = docs[slot]!;
    const value = (f: number) => facetValues[f][codes[f][slot]];
    return { ...d, publishedAt: new Date(publishedMs), providerId: value(0), classCode: value(1), sharing: value(2), open: value(3) === 'true', format: value(4), cycle: value(5) };
  }

  function ensureOrders() {
    if (pendingAdded.length === 0 && pendingRemoved.size === 0 && orders.size > 0) return;
    const patch = orders.size > 0 && pendingAdded.length + pendingRemoved.size <= 200;
    for (const sort of ORDERED) {
      const compare = COMPARE[sort];
      let order: number[];
      if (patch) {
        order = orders.get(sort)!.filter((slot) => !pendingRemoved.has(slot));
        for (const slot of pendingAdded) {
          if (dead[slot] === 1) continue;
          let lo = 0;
          let hi = order.length;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (compare(docs[order[mid]]!, docs[slot]!) <= 0) lo = mid + 1;
            else hi = mid;
          }
          order.splice(lo, 0, slot);
        }
      } else {
        order = [];
        for (let slot = 0; slot < docs.length; slot++) if (dead[slot] === 0) order.push(slot);
        order.sort((a, b) => compare(docs[a]!, docs[b]!));
      }
      orders.set(sort, order);
      const rank = new Int32Array(dead.length);
      for (let i = 0; i < order.length; i++) rank[order[i]] = i;
      ranks.set(sort, rank);
    }
    pendingAdded = [];
    pendingRemoved = new Set();
  }

  /** The slots (sorted) holding any of the allowed values of facet f. */
  function slotsAllowed(f: number, allowed: Uint8Array): Int32Array<ArrayBufferLike> {
    const lists = valueSlots[f].filter((list, code) => allowed[code] === 1 && list !== undefined);
    if (lists.length === 1) return lists[0].ids.subarray(0, lists[0].n);
    const all = new Int32Array(lists.reduce((n, l) => n + l.n, 0));
    let at = 0;
    for (const l of lists) {
      all.set(l.ids.subarray(0, l.n), at);
      at += l.n;
    }
    return all.sort();
  }

  /** The union of two sorted slot lists, sorted. */
  function union(a: Int32Array<ArrayBufferLike>, b: Int32Array<ArrayBufferLike>): Int32Array<ArrayBufferLike> {
    const out = merged;
    let i = 0;
    let j = 0;
    let n = 0;
    while (i < a.length || j < b.length) {
      if (j === b.length || (i < a.length && a[i] < b[j])) out[n++] = a[i++];
      else if (i === a.length || b[j] < a[i]) out[n++] = b[j++];
      else {
        out[n++] = a[i++];
        j++;
      }
    }
    return out.subarray(0, n);
  }

  /**
   * Facets are disjunctive: a facet's counts apply every filter but its own, so the values a
   * user may switch to keep their counts; the results apply them all. Only entries failing at
   * most one filter count anywhere, and with two filters or more those are all among the
   * entries passing the two most selective ones: without words, only those are visited.
   */
  function filterAndCount(matched: Int32Array<ArrayBufferLike> | undefined, filters: (Set<string> | undefined)[]): { results: number[] | 'all'; counts: Int32Array[] } {
    const allowed = filters.map((set, f) => (set ? Uint8Array.from(facetValues[f], (value) => (set.has(value) ? 1 : 0)) : undefined));
    const filtered = allowed.flatMap((a, f) => (a ? [f] : []));
    if (!matched && filtered.length === 0) {
      // The unfiltered listing (the catalog's first page) is counted once per change.
      everything ??= visit(undefined, allowed, []).counts;
      return { results: 'all', counts: everything };
    }
    if (matched) return visit(matched, allowed, filtered);
    const sets = filtered.map((f) => slotsAllowed(f, allowed[f]!)).sort((a, b) => a.length - b.length);
    const answer = visit(filtered.length === 1 ? sets[0] : union(sets[0], sets[1]), allowed, filtered);
    if (filtered.length === 1) {
      // Entries failing only this one filter are all the others: its counts are the whole index's.
      everything ??= visit(undefined, allowed.map(() => undefined), []).counts;
      answer.counts[filtered[0]] = everything[filtered[0]];
    }
    return answer;
  }

  /** Counts the facets of `candidates` (every slot when undefined) and lists those passing every filter. */
  function visit(candidates: Int32Array<ArrayBufferLike> | undefined, allowed: (Uint8Array | undefined)[], filtered: number[]) {
    const counts: Int32Array<ArrayBufferLike>[] = FACETS.map((_, f) => new Int32Array(facetValues[f].length));
    const total = candidates ? candidates.length : docs.length;
    // How many filters each candidate fails, and (when one) which: one tight pass per filter.
    fails.fill(0, 0, total);
    for (const f of filtered) {
      const a = allowed[f]!;
      const c = codes[f];
      for (let i = 0; i < total; i++) {
        if (a[c[candidates ? candidates[i] : i]] === 1) continue;
        fails[i]++;
        which[i] = f;
      }
    }
    // Six facets, unrolled for the common case of a result counted under all of them.
    const [c0, c1, c2, c3, c4, c5] = codes;
    const [n0, n1, n2, n3, n4, n5] = counts;
    const results: number[] = [];
    for (let i = 0; i < total; i++) {
      const slot = candidates ? candidates[i] : i;
      if (dead[slot] === 1 || fails[i] > 1) continue;
      if (fails[i] === 1) {
        counts[which[i]][codes[which[i]][slot]]++;
        continue;
      }
      results.push(slot);
      n0[c0[slot]]++;
      n1[c1[slot]]++;
      n2[c2[slot]]++;
      n3[c3[slot]]++;
      n4[c4[slot]]++;
      n5[c5[slot]]++;
    }
    return { results, counts };
  }

  function page(results: number[] | 'all', sort: Sort, offset: number, limit: number): number[] {
    const end = Math.min(results === 'all' ? live : results.length, offset + limit);
    if (offset >= end) return [];
    ensureOrders();
    // Everything, unscored: the order itself (relevance means nothing without words: by code).
    if (results === 'all') return orders.get(sort === 'relevance' ? 'code' : sort)!.slice(offset, end);
    const codeRank = ranks.get('code')!;
    if (sort === 'relevance') {
      const score = matcher.scores();
      const better = (a: number, b: number) => score[a] > score[b] || (score[a] === score[b] && codeRank[a] < codeRank[b]);
      return topK(results, end, better).slice(offset, end);
    }
    const rank = ranks.get(sort)!;
    if (results.length <= 256) return results.sort((a, b) => rank[a] - rank[b]).slice(offset, end);
    // Walk the precomputed order and keep the results: with many results the first page is
    // found after a short walk, cheaper than sorting them.
    for (const slot of results) mark[slot] = 1;
    const out: number[] = [];
    let seen = 0;
    for (const slot of orders.get(sort)!) {
      if (!mark[slot]) continue;
      if (seen++ >= offset) out.push(slot);
      if (out.length === end - offset) break;
    }
    for (const slot of results) mark[slot] = 0;
    return out;
  }

  return {
    /** Adds or replaces entries. */
    apply(changed: DocWithTerms[]): void {
      for (const doc of changed) add(doc);
    },
    /** Once replaced entries' dead slots are a fifth of it, the index is better rebuilt from the database. */
    worthRebuilding(): boolean {
      const deadSlots = docs.length - live;
      return deadSlots >= 1000 && deadSlots * 5 >= docs.length;
    },
    /** Trims posting lists grown by doubling, after a bulk load. */
    compact(): void {
      for (const list of postings.values()) if (list.ids.length > list.n + 8) list.ids = list.ids.slice(0, list.n);
    },
    remove,
    search(query: Query): Answer {
      try {
        const matched = matcher.match(query.clauses);
        const { results, counts } = filterAndCount(matched, query.filters);
        const slots = page(results, query.sort, query.offset, query.limit);
        // Without words nothing is scored (and the scratch arrays may not reach every slot yet).
        const hits = slots.map((slot) => ({ doc: docAt(slot), score: matched ? Math.round(matcher.score(slot) * 1000) / 1000 : 0 }));
        const facets = counts.map((c, f) => {
          const out: { value: string; count: number }[] = [];
          c.forEach((count, code) => count > 0 && out.push({ value: facetValues[f][code], count }));
          return out.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
        });
        return { total: results === 'all' ? live : results.length, hits, facets };
      } finally {
        matcher.release();
      }
    },
    /** The number of entries holding `term` (dead slots included until a rebuild), 0 when none. */
    documentFrequency(term: string): number {
      return postings.get(term)?.n ?? 0;
    },
    /** The terms first posted at or after position `from` of the vocabulary, and its length. */
    termsSince(from: number): { terms: string[]; size: number } {
      return { terms: vocabulary.slice(from), size: vocabulary.length };
    },
    providerCode: (providerId: string): number | undefined => facetCodes[0].get(providerId),
    size: () => live,
  };
}

export type MemoryIndex = ReturnType<typeof createMemoryIndex>;
