// A small seeded PRNG. Every household and every entity gets its own stream, seeded from
// (seed, stream, index), so any one of them can be regenerated on its own: that is what lets
// an entity name representative #k without the population being held in memory.

/** murmur3's finaliser: a cheap bijective 32-bit mix. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function hashSeed(seed: number, stream: number, index: number): number {
  let h = fmix((seed ^ 0x9e3779b9) >>> 0);
  h = fmix((h ^ Math.imul(stream + 1, 0x27d4eb2f)) >>> 0);
  return fmix((h + index) >>> 0);
}

export type Rng = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi], both included. */
  int(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
};

/** mulberry32: 32 bits of state, good enough for synthetic data and fast in plain JS. */
export function createRng(state: number): Rng {
  let s = state >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

/** A weighted table, built once: picking is a binary search over cumulative weights. */
export type Weighted<T> = { items: T[]; cumulative: Float64Array; total: number };

export function weighted<T>(pairs: readonly (readonly [T, number])[]): Weighted<T> {
  const cumulative = new Float64Array(pairs.length);
  let total = 0;
  pairs.forEach(([, w], i) => {
    total += w;
    cumulative[i] = total;
  });
  return { items: pairs.map(([item]) => item), cumulative, total };
}

export function pickWeighted<T>(rng: Rng, table: Weighted<T>): T {
  const x = rng.next() * table.total;
  let lo = 0;
  let hi = table.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (table.cumulative[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return table.items[lo];
}

/** Fisher–Yates with a seeded stream: the same seed gives the same order. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
