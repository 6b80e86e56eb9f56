// Fuzzy matching of non-Han words against the index's own vocabulary (no database extension:
// pg_trgm ships with PostgreSQL but PGlite loads it only when the database is opened with it,
// so the portable way is to do it here, where the vocabulary already is). Candidates share
// trigrams with the query word; each is then checked by edit distance (transpositions count
// as one edit), allowing one edit in words of 4–7 letters and two from 8.

/** Edits allowed for a word of this length (none under four letters: too many near misses). */
export function maxEdits(length: number): number {
  return length < 4 ? 0 : length < 8 ? 1 : 2;
}

/**
 * The optimal-string-alignment distance between a and b, or `limit + 1` as soon as it is
 * certain to exceed `limit` (most candidates are rejected after a row or two).
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a === b) return 0;
  const n = b.length;
  let prevPrev = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let row = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let best = row[0];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prevPrev[j - 2] + 1);
      row[j] = d;
      if (d < best) best = d;
    }
    if (best > limit) return limit + 1;
    [prevPrev, prev, row] = [prev, row, prevPrev];
  }
  return prev[n];
}

export function trigrams(word: string): string[] {
  const padded = `^${word}$`;
  const grams: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) grams.push(padded.slice(i, i + 3));
  return grams;
}

/** A trigram index over a vocabulary of words; words are added as the vocabulary grows. */
export function createTrigramIndex(vocabulary: Iterable<string>) {
  const byGram = new Map<string, string[]>();
  const sorted: string[] = [];
  function index(word: string) {
    for (const gram of new Set(trigrams(word))) {
      const list = byGram.get(gram);
      if (list) list.push(word);
      else byGram.set(gram, [word]);
    }
  }
  for (const word of vocabulary) {
    sorted.push(word);
    index(word);
  }
  sorted.sort();

  return {
    /** Words within the allowed edits of `word`, nearest first (ties: as `rank` orders them, best first). */
    near(word: string, rank: (candidate: string) => number, limit = 5): { term: string; distance: number }[] {
      const edits = maxEdits(word.length);
      if (edits === 0) return [];
      const grams = new Set(trigrams(word));
      // Each edit spoils at most four trigrams (a transposition); fewer shared cannot be within reach.
      const needed = Math.max(1, grams.size - 4 * edits);
      const shared = new Map<string, number>();
      for (const gram of grams) for (const candidate of byGram.get(gram) ?? []) shared.set(candidate, (shared.get(candidate) ?? 0) + 1);
      const found: { term: string; distance: number; rank: number }[] = [];
      for (const [candidate, count] of shared) {
        if (count < needed || candidate === word) continue;
        const distance = editDistance(word, candidate, edits);
        if (distance <= edits) found.push({ term: candidate, distance, rank: rank(candidate) });
      }
      found.sort((x, y) => x.distance - y.distance || y.rank - x.rank || (x.term < y.term ? -1 : 1));
      return found.slice(0, limit).map(({ term, distance }) => ({ term, distance }));
    },

    add(word: string): void {
      index(word);
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid] < word) lo = mid + 1;
        else hi = mid;
      }
      sorted.splice(lo, 0, word);
    },

    /** Words that begin with `prefix` (longer than it), at most `limit`, in order. */
    completions(prefix: string, limit = 10): string[] {
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid] < prefix) lo = mid + 1;
        else hi = mid;
      }
      const out: string[] = [];
      for (let i = lo; i < sorted.length && out.length < limit && sorted[i].startsWith(prefix); i++) if (sorted[i] !== prefix) out.push(sorted[i]);
      return out;
    },
  };
}

export type TrigramIndex = ReturnType<typeof createTrigramIndex>;
