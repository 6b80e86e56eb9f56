// The published entries as the similarity check compares them, held by each process beside
// the search index and caught up the same way (find.ts, decision 0018): per entry the number
// of its Chinese and English name terms and its items' folded keys in order, and lists from
// each term and key to the entries holding it. An entry sharing no name term and no item key
// with a draft scores 0 (score.ts), so only the entries on the draft's lists are looked at.
// Walking the lists counts, per entry, the shared terms of each language (so the name score
// is exact) and the draft's items having a key in the entry (at least as many as the items
// score.ts matches one to one). With those an upper bound of each entry's score orders the
// exact scoring, which stops once no entry left can reach the list: a draft with a common
// item (姓名) touches a fifth of the catalog, but only a few hundred entries are scored.
// Nothing here awaits: a query runs to its end on the event loop, so scratch arrays are shared.
import { MIN_SHOWN, combined, features, itemShare, nameScoreOf, type Features } from './score.ts';
import type { PublishedRow } from './store.ts';

type Postings = { ids: Int32Array; n: number };

/** An entry whose exact score is at least MIN_SHOWN. */
export type Scored = { id: string; code: string; score: number };

function push(list: Postings, slot: number): void {
  if (list.n === list.ids.length) {
    const grown = new Int32Array(list.n * 2);
    grown.set(list.ids);
    list.ids = grown;
  }
  list.ids[list.n++] = slot;
}

const grow = <T extends Int32Array | Uint8Array | Float64Array>(old: T, size: number): T => {
  const next = new (old.constructor as new (n: number) => T)(size);
  next.set(old);
  return next;
};

export function createPublishedIndex() {
  const ids: string[] = [];
  const codes: string[] = [];
  const slotOf = new Map<string, number>();
  let live = 0;
  let versions = new Int32Array(1024);
  let zhSize = new Int32Array(1024);
  let enSize = new Int32Array(1024);
  /** Each entry's items in `pool` from itemStart to itemEnd: per item its key count, then its key ids. */
  let itemStart = new Int32Array(1024);
  let itemEnd = new Int32Array(1024);
  let pool = new Int32Array(16384);
  let poolUsed = 0;
  let dead = new Uint8Array(1024);
  const zhPostings = new Map<string, Postings>();
  const enPostings = new Map<string, Postings>();
  const keyIds = new Map<string, number>();
  const keyPostings: Postings[] = [];
  // Scratch per slot, zero between queries.
  let sharedZh = new Int32Array(1024);
  let sharedEn = new Int32Array(1024);
  let itemHits = new Int32Array(1024);
  let stamp = new Int32Array(1024);
  let mark = new Uint8Array(1024);
  let nameOf = new Float64Array(1024);
  let touchedBuffer = new Int32Array(1024);
  let passingBuffer = new Int32Array(1024);
  let bucketBuffer = new Int32Array(1024);

  function ensureCapacity(size: number) {
    if (size <= dead.length) return;
    let capacity = dead.length;
    while (capacity < size) capacity *= 2;
    [versions, zhSize, enSize, itemStart, itemEnd] = [versions, zhSize, enSize, itemStart, itemEnd].map((a) => grow(a, capacity));
    dead = grow(dead, capacity);
    [sharedZh, sharedEn, itemHits, stamp] = [new Int32Array(capacity), new Int32Array(capacity), new Int32Array(capacity), new Int32Array(capacity)];
    mark = new Uint8Array(capacity);
    nameOf = new Float64Array(capacity);
  }

  function post(map: Map<string, Postings>, term: string, slot: number) {
    let list = map.get(term);
    if (!list) map.set(term, (list = { ids: new Int32Array(4), n: 0 }));
    push(list, slot);
  }

  function keyId(key: string): number {
    let id = keyIds.get(key);
    if (id === undefined) {
      id = keyPostings.length;
      keyIds.set(key, id);
      keyPostings.push({ ids: new Int32Array(4), n: 0 });
    }
    return id;
  }

  function kill(slot: number) {
    // The slot stays in the lists, dead: rewriting them would cost more than skipping it.
    dead[slot] = 1;
    slotOf.delete(ids[slot]);
    live--;
  }

  /** Adds an entry's published version, replacing an older one (an older or the same version is ignored). */
  function add(row: PublishedRow) {
    const old = slotOf.get(row.id);
    if (old !== undefined) {
      if (versions[old] >= row.published_version) return;
      kill(old);
    }
    const f = features({ nameZh: row.name_zh ?? '', nameEn: row.name_en ?? '', dataItems: row.data_items ?? [] });
    const slot = ids.length;
    ensureCapacity(slot + 1);
    ids.push(row.id);
    codes.push(row.code);
    slotOf.set(row.id, slot);
    live++;
    versions[slot] = row.published_version;
    zhSize[slot] = f.zh.size;
    enSize[slot] = f.en.size;
    for (const term of f.zh) post(zhPostings, term, slot);
    for (const term of f.en) post(enPostings, term, slot);
    itemStart[slot] = poolUsed;
    for (const item of f.items) {
      while (poolUsed + item.keys.length + 1 > pool.length) pool = grow(pool, pool.length * 2);
      pool[poolUsed++] = item.keys.length;
      for (const key of item.keys) {
        const id = keyId(key);
        pool[poolUsed++] = id;
        const list = keyPostings[id];
        // Slots only grow, so a key this entry already posted is the list's last.
        if (list.n === 0 || list.ids[list.n - 1] !== slot) push(list, slot);
      }
    }
    itemEnd[slot] = poolUsed;
  }

  /** The draft's item indices by key id (keys the index does not hold match nothing in it): score.ts's draft index. */
  function draftKeys(draft: Features): Map<number, number[]> {
    const index = new Map<number, number[]>();
    draft.items.forEach((item, i) => {
      for (const key of item.keys) {
        const id = keyIds.get(key);
        if (id === undefined) continue;
        const list = index.get(id);
        if (list) list.push(i);
        else index.set(id, [i]);
      }
    });
    return index;
  }

  /** score.ts's itemSimilarity over key ids: the draft's items the entry has, each item of either matched once. */
  function matchedItems(slot: number, keys: Map<number, number[]>, taken: Uint8Array, draftItems: number): number {
    if (draftItems === 0 || itemEnd[slot] === itemStart[slot]) return 0;
    taken.fill(0);
    let matched = 0;
    for (let p = itemStart[slot]; p < itemEnd[slot]; ) {
      const n = pool[p++];
      for (let j = 0; j < n; j++) {
        const list = keys.get(pool[p + j]);
        if (!list) continue;
        const found = list.find((i) => taken[i] === 0);
        if (found === undefined) continue;
        taken[found] = 1;
        matched++;
        break;
      }
      p += n;
    }
    return matched;
  }

  /**
   * The entries (but `excluded` ones) scoring at least MIN_SHOWN against `draft`, with their
   * exact scores: among them every entry that the best `limit` could hold, counting the
   * `others` (scores the caller found elsewhere). Entries that cannot reach the `limit`-th
   * best score found are left out.
   */
  function scored(draft: Features, limit: number, excluded: Set<string>, others: number[]): Scored[] {
    // The slots touched (each once), in a preallocated buffer: this loop visits a list entry per
    // shared term or key, hundreds of thousands for common items, and must stay tight.
    const touched = touchedBuffer.length >= ids.length ? touchedBuffer : (touchedBuffer = new Int32Array(dead.length));
    let nTouched = 0;
    try {
      for (const [shared, terms, postings] of [[sharedZh, draft.zh, zhPostings], [sharedEn, draft.en, enPostings]] as const) {
        for (const term of terms) {
          const list = postings.get(term);
          if (!list) continue;
          const listIds = list.ids;
          for (let i = 0; i < list.n; i++) {
            const slot = listIds[i];
            if (mark[slot] === 0) {
              mark[slot] = 1;
              touched[nTouched++] = slot;
            }
            shared[slot]++;
          }
        }
      }
      for (let i = 0; i < draft.items.length; i++) {
        for (const key of draft.items[i]!.keys) {
          const id = keyIds.get(key);
          if (id === undefined) continue;
          const list = keyPostings[id];
          const listIds = list.ids;
          for (let j = 0; j < list.n; j++) {
            const slot = listIds[j];
            if (stamp[slot] === i + 1) continue;
            if (mark[slot] === 0) {
              mark[slot] = 1;
              touched[nTouched++] = slot;
            }
            stamp[slot] = i + 1;
            itemHits[slot]++;
          }
        }
      }
      // Upper bounds, in buckets of the rounded score (counting sort, best first).
      const dZh = draft.zh.size;
      const dEn = draft.en.size;
      const dItems = draft.items.length;
      const skip = new Set<number>();
      for (const id of excluded) {
        const slot = slotOf.get(id);
        if (slot !== undefined) skip.add(slot);
      }
      if (passingBuffer.length < nTouched) [passingBuffer, bucketBuffer] = [new Int32Array(touched.length), new Int32Array(touched.length)];
      const [passing, bucketOf] = [passingBuffer, bucketBuffer];
      let nPassing = 0;
      const counts = new Int32Array(1002);
      // Most entries share only items (姓名, 身份证号): their bound depends on the count alone.
      const itemsOnly = Array.from({ length: dItems + 1 }, (_, hits) => combined(0, itemShare(hits, dItems)));
      for (let t = 0; t < nTouched; t++) {
        const slot = touched[t];
        const nameShared = sharedZh[slot] + sharedEn[slot] > 0;
        if (!nameShared && itemsOnly[itemHits[slot]]! < MIN_SHOWN) continue;
        if (dead[slot] === 1 || skip.has(slot)) continue;
        const name = nameShared ? nameScoreOf(dZh, zhSize[slot], sharedZh[slot], dEn, enSize[slot], sharedEn[slot]) : 0;
        const bound = combined(name, dItems > 0 && itemEnd[slot] > itemStart[slot] ? itemShare(itemHits[slot], dItems) : 0);
        if (bound < MIN_SHOWN) continue;
        nameOf[slot] = name;
        const bucket = 1000 - Math.round(bound * 1000);
        passing[nPassing] = slot;
        bucketOf[nPassing++] = bucket;
        counts[bucket + 1]++;
      }
      for (let b = 1; b < counts.length; b++) counts[b] += counts[b - 1];
      const order = new Int32Array(nPassing);
      for (let i = 0; i < nPassing; i++) order[counts[bucketOf[i]]++] = passing[i];

      // Exact scores, best bounds first, until no bound reaches the limit-th best score.
      const best = others.filter((s) => s >= MIN_SHOWN).sort((a, b) => b - a).slice(0, limit);
      const keys = draftKeys(draft);
      const taken = new Uint8Array(dItems);
      const out: Scored[] = [];
      for (const slot of order) {
        const bound = combined(nameOf[slot], dItems > 0 && itemEnd[slot] > itemStart[slot] ? itemShare(itemHits[slot], dItems) : 0);
        if (best.length === limit && bound < best[limit - 1]) break;
        const score = combined(nameOf[slot], itemShare(matchedItems(slot, keys, taken, dItems), dItems));
        if (score < MIN_SHOWN) continue;
        out.push({ id: ids[slot], code: codes[slot], score });
        if (best.length < limit || score > best[limit - 1]) {
          let at = best.length;
          while (at > 0 && best[at - 1] < score) at--;
          best.splice(at, 0, score);
          if (best.length > limit) best.pop();
        }
      }
      return out;
    } finally {
      for (let t = 0; t < nTouched; t++) {
        const slot = touched[t];
        sharedZh[slot] = 0;
        sharedEn[slot] = 0;
        itemHits[slot] = 0;
        stamp[slot] = 0;
        mark[slot] = 0;
      }
    }
  }

  return {
    /** The search index's generation this copy has caught up with (find.ts); -1 while loading. */
    held: -1,
    apply(rows: PublishedRow[]): void {
      for (const row of rows) add(row);
    },
    scored,
    /** Once replaced entries' dead slots are a fifth of it, the index is better rebuilt from the database. */
    worthRebuilding(): boolean {
      const deadSlots = ids.length - live;
      return deadSlots >= 1000 && deadSlots * 5 >= ids.length;
    },
    /** Trims lists grown by doubling, after a bulk load. */
    compact(): void {
      for (const list of [...zhPostings.values(), ...enPostings.values(), ...keyPostings]) if (list.ids.length > list.n + 8) list.ids = list.ids.slice(0, list.n);
      if (pool.length > poolUsed + 1024) pool = pool.slice(0, poolUsed + 1024);
    },
    size: () => live,
  };
}

export type PublishedIndex = ReturnType<typeof createPublishedIndex>;
