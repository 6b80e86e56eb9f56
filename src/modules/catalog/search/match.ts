// Which entries satisfy a query's clauses, and their scores. Posting lists hold
// (slot << 2 | field weight) in slot order (entries are only ever appended), so after the
// rarest clause has narrowed the candidates, the others are checked by binary search into
// their lists instead of reading them whole: a query whose words are each common but rare
// together stays cheap.

export type Postings = { ids: Int32Array; n: number };

/** One alternative a clause group accepts: a term, its score factor (fuzzy matches count less). */
export type Alternative = { term: string; factor: number };
/**
 * A clause every result must satisfy: at least `need` of its groups, each group matched by any
 * of its alternatives; or, when its text is in a provider's name, being that provider's.
 * `bonus` terms are not required but add to the score of results holding them (a Han unit
 * indexed as one segmented word, not only as its bigrams).
 */
export type Clause = { groups: Alternative[][]; need: number; providers: Set<number>; bonus?: Alternative[] };

/** A term's weight by the field it is in (1 abstract, 2 data items and keywords, 3 name). */
const WEIGHT = [0, 1, 1.5, 3];

export type MatchIndex = { postings: Map<string, Postings>; live: () => number; size: () => number; dead: () => Uint8Array; providerOf: () => Int32Array };

/** The first position in ids[from, n) whose slot is ≥ slot. */
function lowerBound(ids: Int32Array, n: number, from: number, slot: number): number {
  const key = slot << 2;
  let step = 1;
  let hi = from;
  // Gallop, then halve: candidates come in order, so the answer is usually near `from`.
  while (hi < n && ids[hi] < key) {
    from = hi + 1;
    hi += step;
    step *= 2;
  }
  hi = Math.min(hi, n);
  while (from < hi) {
    const mid = (from + hi) >> 1;
    if (ids[mid] < key) from = mid + 1;
    else hi = mid;
  }
  return from;
}

export function createMatcher(index: MatchIndex) {
  // Scratch per slot, shared by searches (a search never yields to the event loop midway):
  // clauses passed, groups hit in the current clause, the group last counted, score.
  let level = new Uint8Array(1024);
  let hits = new Uint8Array(1024);
  let stamp = new Int32Array(1024);
  let score = new Float64Array(1024);
  /** The candidates, narrowed in place clause after clause (read by the caller until release()). */
  let kept = new Int32Array(1024);
  let counter = 0;
  /** Slots whose level or score the last match touched: cleared by release(). */
  let touched: number[] = [];

  function ensure(size: number) {
    if (size <= level.length) return;
    let capacity = level.length;
    while (capacity < size) capacity *= 2;
    level = new Uint8Array(capacity);
    hits = new Uint8Array(capacity);
    stamp = new Int32Array(capacity);
    score = new Float64Array(capacity);
    kept = new Int32Array(capacity);
  }

  const costOf = (clause: Clause) => clause.groups.reduce((sum, g) => sum + g.reduce((s, a) => s + (index.postings.get(a.term)?.n ?? 0), 0), 0) + (clause.providers.size > 0 ? index.live() : 0);

  /** A clause needing every one of several single groups (a Han unit's bigrams) is that many clauses, so the rarest bigram goes first. */
  function plan(clauses: Clause[]): Clause[] {
    const split = clauses.flatMap((c) => (c.providers.size === 0 && c.groups.length > 1 && c.need === c.groups.length ? c.groups.map((g) => ({ groups: [g], need: 1, providers: c.providers })) : [c]));
    return split.map((c) => ({ c, cost: costOf(c) })).sort((a, b) => a.cost - b.cost).map((x) => x.c);
  }

  /** The first clause: read its lists whole. */
  function scan(clause: Clause, live: number, dead: Uint8Array): number[] {
    const found: number[] = [];
    for (const group of clause.groups) {
      const gid = ++counter;
      for (const alt of group) {
        const list = index.postings.get(alt.term);
        if (!list) continue;
        const idf = Math.log(1 + live / list.n) * alt.factor;
        const ids = list.ids;
        for (let k = 0; k < list.n; k++) {
          const slot = ids[k] >> 2;
          if (stamp[slot] === gid || dead[slot] === 1) continue;
          stamp[slot] = gid;
          if (hits[slot]++ === 0) found.push(slot);
          score[slot] += idf * WEIGHT[ids[k] & 3];
        }
      }
    }
    if (clause.providers.size > 0) {
      const providerOf = index.providerOf();
      for (let slot = 0; slot < index.size(); slot++) {
        if (dead[slot] === 1 || !clause.providers.has(providerOf[slot])) continue;
        if (hits[slot] === 0) found.push(slot);
        if (hits[slot] < clause.need) hits[slot] = clause.need;
        // Being the provider named counts as much as a match in an abstract.
        score[slot] += clause.need;
      }
    }
    return found;
  }

  /** A later clause: only the candidates, each looked up (or the list read, when it is short). */
  function narrow(clause: Clause, candidates: Int32Array, live: number, pass: number) {
    for (const group of clause.groups) {
      const gid = ++counter;
      for (const alt of group) {
        const list = index.postings.get(alt.term);
        if (!list) continue;
        const idf = Math.log(1 + live / list.n) * alt.factor;
        const ids = list.ids;
        const count = (slot: number, entry: number) => {
          if (stamp[slot] === gid) return;
          stamp[slot] = gid;
          hits[slot]++;
          score[slot] += idf * WEIGHT[entry & 3];
        };
        if (candidates.length * 8 < list.n) {
          let at = 0;
          for (const slot of candidates) {
            at = lowerBound(ids, list.n, at, slot);
            if (at === list.n) break;
            if (ids[at] >> 2 === slot) count(slot, ids[at]);
          }
        } else {
          for (let k = 0; k < list.n; k++) if (level[ids[k] >> 2] === pass) count(ids[k] >> 2, ids[k]);
        }
      }
    }
    if (clause.providers.size > 0) {
      const providerOf = index.providerOf();
      for (const slot of candidates) {
        if (!clause.providers.has(providerOf[slot])) continue;
        if (hits[slot] < clause.need) hits[slot] = clause.need;
        score[slot] += clause.need;
      }
    }
  }

  /** Adds the score of `alt` to the candidates holding it. */
  function reward(alt: Alternative, candidates: Int32Array<ArrayBufferLike>, live: number) {
    const list = index.postings.get(alt.term);
    if (!list) return;
    const idf = Math.log(1 + live / list.n) * alt.factor;
    let at = 0;
    for (const slot of candidates) {
      at = lowerBound(list.ids, list.n, at, slot);
      if (at === list.n) return;
      if (list.ids[at] >> 2 === slot) score[slot] += idf * WEIGHT[list.ids[at] & 3];
    }
  }

  /**
   * The slots of `list` with at least `need` hits (in the order given), clearing their hits;
   * written to the start of `kept` (in place when `list` is already there: it only shrinks).
   * Scratch arrays, not new ones per search: under load, fresh typed arrays by the megabyte
   * grew the process by hundreds of megabytes of freed-but-kept memory.
   */
  function passing(list: ArrayLike<number>, need: number): Int32Array<ArrayBufferLike> {
    const out = kept;
    let n = 0;
    for (let k = 0; k < list.length; k++) {
      const slot = list[k];
      if (hits[slot] >= need) out[n++] = slot;
      hits[slot] = 0;
    }
    return out.subarray(0, n);
  }

  return {
    /** The slots satisfying every clause, in slot order (undefined: no clauses, everything). */
    match(clauses: Clause[]): Int32Array<ArrayBufferLike> | undefined {
      if (clauses.length === 0) return undefined;
      ensure(index.size());
      const live = index.live();
      const dead = index.dead();
      let candidates: Int32Array<ArrayBufferLike> = new Int32Array(0);
      const ordered = plan(clauses);
      for (let i = 0; i < ordered.length; i++) {
        const clause = ordered[i];
        if (i === 0) {
          touched = scan(clause, live, dead);
          candidates = passing(touched, clause.need);
          // One list read alone comes out in slot order already.
          if (clause.groups.length > 1 || clause.groups[0].length > 1 || clause.providers.size > 0) candidates.sort();
        } else {
          narrow(clause, candidates, live, i);
          candidates = passing(candidates, clause.need);
        }
        for (let k = 0; k < candidates.length; k++) level[candidates[k]] = i + 1;
        if (candidates.length === 0) break;
      }
      for (const alt of clauses.flatMap((c) => c.bonus ?? [])) reward(alt, candidates, live);
      if (counter > 2_000_000_000) {
        stamp.fill(0);
        counter = 0;
      }
      return candidates;
    },
    score: (slot: number) => score[slot],
    scores: () => score,
    /** Clears what the last match left in the scratch arrays (after its results are read). */
    release() {
      for (const slot of touched) {
        level[slot] = 0;
        score[slot] = 0;
      }
      touched = [];
    },
  };
}
