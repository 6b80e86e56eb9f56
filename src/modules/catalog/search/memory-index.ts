// The search index as each process holds it: an inverted index from terms to entries, the
// facet values and sort orders of every entry, in typed arrays. It is a copy of
// catalog.search_docs (store.ts), which is written in the publishing transaction and is the
// truth; service.ts keeps this copy up to date. Answering from memory is what lets a search
// with six facet counts over 100,000 entries take about a millisecond (docs/decisions: the
// catalog search read model). Nothing here awaits: a search runs to its end on the event
// loop, so the scratch arrays are shared between searches.

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

/** A term's weight by the field it is in: names count three times an abstract. */
const WEIGHT = [0, 1, 1.5, 3];
const W_ABSTRACT = 1;
const W_ITEMS = 2;
const W_NAME = 3;

/** One alternative a clause group accepts: a term, its score factor (fuzzy matches count less). */
export type Alternative = { term: string; factor: number };
/**
 * A clause every result must satisfy: at least `need` of its groups, each group matched by any
 * of its alternatives; or, when its text is in a provider's name, being that provider's.
 */
export type Clause = { groups: Alternative[][]; need: number; providers: Set<number> };

export type Query = { clauses: Clause[]; filters: (Set<string> | undefined)[]; sort: Sort; offset: number; limit: number };
export type Hit = { doc: IndexedDoc; score: number };
export type Answer = { total: number; hits: Hit[]; facets: { value: string; count: number }[][] };

type Postings = { ids: Int32Array; n: number };

const collator = new Intl.Collator('zh');
const byCode = (a: IndexedDoc, b: IndexedDoc) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
const COMPARE: Record<Exclude<Sort, 'relevance'>, (a: IndexedDoc, b: IndexedDoc) => number> = {
  name: (a, b) => collator.compare(a.nameZh, b.nameZh) || byCode(a, b),
  published: (a, b) => b.publishedAt.getTime() - a.publishedAt.getTime() || byCode(a, b),
  code: byCode,
};
const ORDERED = ['name', 'published', 'code'] as const;

const facetValue = (doc: IndexedDoc, facet: Facet): string =>
  facet === 'provider' ? doc.providerId : facet === 'class' ? doc.classCode : facet === 'sharing' ? doc.sharing : facet === 'open' ? String(doc.open) : facet === 'format' ? doc.format : doc.cycle;

export function createMemoryIndex() {
  let docs: (IndexedDoc | null)[] = [];
  const slotOf = new Map<string, number>();
  let live = 0;
  let postings = new Map<string, Postings>();
  /** Bumped whenever a term is added, so vocabulary-derived structures know to rebuild. */
  let vocabularyVersion = 0;
  const facetValues = FACETS.map(() => [] as string[]);
  const facetCodes = FACETS.map(() => new Map<string, number>());
  let codes = FACETS.map(() => new Int32Array(1024));
  // Scratch, per slot: clauses passed, groups hit in the current clause, the last group counted, score.
  let level = new Uint8Array(1024);
  let hits = new Uint8Array(1024);
  let stamp = new Int32Array(1024);
  let score = new Float64Array(1024);
  let stampCounter = 0;
  // Sort orders (live slots) and each slot's rank in them; rebuilt or patched lazily.
  const orders = new Map<string, number[]>();
  const ranks = new Map<string, Int32Array>();
  let pendingAdded: number[] = [];
  let pendingRemoved = new Set<number>();

  function ensureCapacity(size: number) {
    if (size <= level.length) return;
    let capacity = level.length;
    while (capacity < size) capacity *= 2;
    const grow = <T extends Int32Array | Uint8Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old as never);
      return next;
    };
    codes = codes.map((c) => grow(c, (n) => new Int32Array(n)));
    level = grow(level, (n) => new Uint8Array(n));
    hits = grow(hits, (n) => new Uint8Array(n));
    stamp = grow(stamp, (n) => new Int32Array(n));
    score = grow(score, (n) => new Float64Array(n));
    for (const [sort, rank] of ranks) ranks.set(sort, grow(rank, (n) => new Int32Array(n)));
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

  function post(term: string, entry: number) {
    let list = postings.get(term);
    if (!list) {
      list = { ids: new Int32Array(4), n: 0 };
      postings.set(term, list);
      vocabularyVersion++;
    } else if (list.n === list.ids.length) {
      const grown = new Int32Array(list.ids.length * 2);
      grown.set(list.ids);
      list.ids = grown;
    }
    list.ids[list.n++] = entry;
  }

  function remove(entryId: string) {
    const slot = slotOf.get(entryId);
    if (slot === undefined) return;
    // The slot stays in the postings, dead: rewriting every list would cost more than skipping it.
    docs[slot] = null;
    slotOf.delete(entryId);
    live--;
    pendingRemoved.add(slot);
  }

  function add(doc: DocWithTerms) {
    remove(doc.entryId);
    const slot = docs.length;
    ensureCapacity(slot + 1);
    const { nameTerms, itemTerms, abstractTerms, ...stored } = doc;
    docs.push(stored);
    slotOf.set(doc.entryId, slot);
    live++;
    FACETS.forEach((facet, f) => (codes[f][slot] = codeOf(f, facetValue(stored, facet))));
    const weights = new Map<string, number>();
    const weigh = (text: string, w: number) => {
      for (const term of text.split(' ')) if (term && (weights.get(term) ?? 0) < w) weights.set(term, w);
    };
    weigh(abstractTerms, W_ABSTRACT);
    weigh(itemTerms, W_ITEMS);
    weigh(nameTerms, W_NAME);
    for (const [term, w] of weights) post(term, (slot << 2) | w);
    pendingAdded.push(slot);
  }

  /** Dead slots (replaced entries) are a fifth of the index: time to rebuild it. */
  function tooManyDead() {
    const dead = docs.length - live;
    return dead >= 1000 && dead * 5 >= docs.length;
  }

  function ensureOrders() {
    if (pendingAdded.length === 0 && pendingRemoved.size === 0 && orders.size > 0) return;
    const patch = orders.size > 0 && pendingAdded.length + pendingRemoved.size <= 200;
    for (const sort of ORDERED) {
      const compare = COMPARE[sort];
      let order: number[];
      if (patch) {
        order = orders.get(sort)!.filter((slot) => !pendingRemoved.has(slot) && docs[slot] !== null);
        for (const slot of pendingAdded) {
          if (docs[slot] === null) continue;
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
        for (let slot = 0; slot < docs.length; slot++) if (docs[slot]) order.push(slot);
        order.sort((a, b) => compare(docs[a]!, docs[b]!));
      }
      orders.set(sort, order);
      const rank = new Int32Array(level.length);
      order.forEach((slot, i) => (rank[slot] = i));
      ranks.set(sort, rank);
    }
    pendingAdded = [];
    pendingRemoved = new Set();
  }

  /** Slots whose score or level the last match set, cleared when its search is done. */
  let touchedByMatch: number[] = [];

  /** Runs the clauses; returns the slots that satisfy all of them, their scores in `score`. */
  function match(clauses: Clause[]): number[] | undefined {
    if (clauses.length === 0) return undefined;
    let candidates: number[] = [];
    for (let i = 0; i < clauses.length; i++) {
      const clause = clauses[i];
      const touched: number[] = [];
      for (const group of clause.groups) {
        const gid = ++stampCounter;
        for (const alt of group) {
          const list = postings.get(alt.term);
          if (!list) continue;
          const idf = Math.log(1 + live / list.n) * alt.factor;
          const ids = list.ids;
          for (let k = 0; k < list.n; k++) {
            const slot = ids[k] >> 2;
            if (level[slot] !== i || stamp[slot] === gid || (i === 0 && docs[slot] === null)) continue;
            stamp[slot] = gid;
            if (hits[slot]++ === 0) touched.push(slot);
            score[slot] += idf * WEIGHT[ids[k] & 3];
          }
        }
      }
      if (clause.providers.size > 0) {
        // Being the provider named counts as much as a match in an abstract.
        const boost = clause.need;
        const scan = i === 0 ? docs.keys() : candidates.values();
        for (const slot of scan) {
          if (level[slot] !== i || docs[slot] === null || !clause.providers.has(codes[0][slot])) continue;
          if (hits[slot] === 0) touched.push(slot);
          if (hits[slot] < clause.need) hits[slot] = clause.need;
          score[slot] += boost;
        }
      }
      if (i === 0) touchedByMatch = touched;
      const next: number[] = [];
      for (const slot of touched) {
        if (hits[slot] >= clause.need) {
          level[slot] = i + 1;
          next.push(slot);
        }
        hits[slot] = 0;
      }
      candidates = next;
      if (candidates.length === 0) break;
    }
    for (const slot of touchedByMatch) level[slot] = 0;
    if (stampCounter > 2_000_000_000) {
      stamp.fill(0);
      stampCounter = 0;
    }
    return candidates;
  }

  /**
   * Facets are disjunctive: a facet's counts apply every filter but its own, so the values a
   * user may switch to keep their counts; the results apply them all.
   */
  function filterAndCount(matched: number[] | undefined, filters: (Set<string> | undefined)[]) {
    const allowed = filters.map((set, f) => (set ? new Uint8Array(facetValues[f].length).map((_, code) => (set.has(facetValues[f][code]) ? 1 : 0)) : undefined));
    const counts = FACETS.map((_, f) => new Int32Array(facetValues[f].length));
    const results: number[] = [];
    const visit = (slot: number) => {
      let failed = -1;
      let failures = 0;
      for (let f = 0; f < FACETS.length; f++) {
        const a = allowed[f];
        if (a && a[codes[f][slot]] === 0) {
          failed = f;
          if (++failures > 1) return;
        }
      }
      if (failures === 1) {
        counts[failed][codes[failed][slot]]++;
        return;
      }
      results.push(slot);
      for (let f = 0; f < FACETS.length; f++) counts[f][codes[f][slot]]++;
    };
    if (matched) for (const slot of matched) visit(slot);
    else for (let slot = 0; slot < docs.length; slot++) if (docs[slot] !== null) visit(slot);
    return { results, counts };
  }

  function page(results: number[], sort: Sort, offset: number, limit: number): number[] {
    const end = Math.min(results.length, offset + limit);
    if (offset >= end) return [];
    ensureOrders();
    const codeRank = ranks.get('code')!;
    if (sort === 'relevance') {
      const better = (a: number, b: number) => score[a] > score[b] || (score[a] === score[b] && codeRank[a] < codeRank[b]);
      return topK(results, end, better).slice(offset, end);
    }
    const rank = ranks.get(sort)!;
    if (results.length * 8 < live) return results.sort((a, b) => rank[a] - rank[b]).slice(offset, end);
    // Most entries match: walk the precomputed order and keep the results.
    const wanted = new Uint8Array(docs.length);
    for (const slot of results) wanted[slot] = 1;
    const out: number[] = [];
    let seen = 0;
    for (const slot of orders.get(sort)!) {
      if (!wanted[slot]) continue;
      if (seen++ >= offset) out.push(slot);
      if (out.length === end - offset) break;
    }
    return out;
  }

  return {
    /** Replaces the whole index. */
    reset(all: DocWithTerms[]) {
      docs = [];
      slotOf.clear();
      live = 0;
      postings = new Map();
      vocabularyVersion++;
      facetValues.forEach((v) => (v.length = 0));
      facetCodes.forEach((m) => m.clear());
      orders.clear();
      ranks.clear();
      pendingAdded = [];
      pendingRemoved = new Set();
      ensureCapacity(all.length + 1);
      for (const doc of all) add(doc);
      // Trim the postings grown by doubling to their size.
      for (const list of postings.values()) if (list.ids.length > list.n + 8) list.ids = list.ids.slice(0, list.n);
    },
    /** Adds or replaces entries; false when the index should be rebuilt from the database instead (too many dead slots). */
    apply(changed: DocWithTerms[]): boolean {
      for (const doc of changed) add(doc);
      return !tooManyDead();
    },
    remove,
    search(query: Query): Answer {
      const matched = match(query.clauses);
      const { results, counts } = filterAndCount(matched, query.filters);
      const slots = page(results, query.sort, query.offset, query.limit);
      const hitsOut = slots.map((slot) => ({ doc: docs[slot]!, score: Math.round(score[slot] * 1000) / 1000 }));
      for (const slot of touchedByMatch) score[slot] = 0;
      touchedByMatch = [];
      const facets = counts.map((c, f) => {
        const out: { value: string; count: number }[] = [];
        c.forEach((count, code) => count > 0 && out.push({ value: facetValues[f][code], count }));
        return out.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
      });
      return { total: results.length, hits: hitsOut, facets };
    },
    /** The number of live entries holding `term`, 0 when none. */
    documentFrequency(term: string): number {
      return postings.get(term)?.n ?? 0;
    },
    vocabulary: () => postings.keys(),
    vocabularyVersion: () => vocabularyVersion,
    providerCode: (providerId: string): number | undefined => facetCodes[0].get(providerId),
    size: () => live,
  };
}

/** The `k` best of `slots` by `better`, best first. */
function topK(slots: number[], k: number, better: (a: number, b: number) => boolean): number[] {
  if (slots.length <= 4 * k) return [...slots].sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0)).slice(0, k);
  // A min-heap of the best k so far, its worst at the root.
  const heap: number[] = [];
  const worse = (a: number, b: number) => better(b, a);
  const up = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!worse(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l], heap[m])) m = l;
      if (r < heap.length && worse(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (const slot of slots) {
    if (heap.length < k) {
      heap.push(slot);
      up(heap.length - 1);
    } else if (better(slot, heap[0])) {
      heap[0] = slot;
      down(0);
    }
  }
  return heap.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
}
