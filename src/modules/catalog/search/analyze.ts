// Text analysis, the same at index time, at query time and when highlighting. Text splits into
// runs of Han characters and words of other scripts. A Han run is segmented into words with
// Intl.Segmenter (zh, word) and also cut into character bigrams: ICU's dictionary does not know
// every administrative word (it splits 低保 into 低|保), and the same run segments differently
// alone and inside a longer name, so words alone would miss; bigrams make a query word match
// wherever its characters stand together. Other words are NFKC-folded, lower-cased and lightly
// stemmed (plural endings only), so "allowances" finds "allowance".

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** A run of Han characters, or a word of letters, digits and marks of any other script. */
const TOKEN = /\p{Script=Han}+|[[\p{L}\p{N}\p{M}]--\p{Script=Han}]+/gv;
const HAN_START = /^\p{Script=Han}/u;
const ASCII = /^[\x00-\x7f]*$/;

const STOPWORDS = new Set(['a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'for', 'from', 'in', 'is', 'it', 'of', 'on', 'or', 'the', 'to', 'with']);
/** Function characters that, standing alone in a query, separate its words instead of joining them (低保的名册). */
const HAN_STOP = new Set(['的', '与', '和', '及', '或', '之', '等', '了', '在', '由', '其']);

/** Terms longer than this are not indexed (they are not words: hashes, pasted garbage). */
export const MAX_TERM_LENGTH = 48;

export const isHan = (token: string): boolean => HAN_START.test(token);

/** Plural endings only: stemming further (-ing, -ed) confuses more than it finds in a catalog. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ss') || word.endsWith('us') || word.endsWith('is')) return word;
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

/** The term a non-Han word is indexed as, or '' when it is not indexed (a stopword, one letter, too long). */
export function wordTerm(word: string): string {
  const lower = (ASCII.test(word) ? word : word.normalize('NFKC')).toLowerCase();
  if (lower.length < 2 || lower.length > MAX_TERM_LENGTH || STOPWORDS.has(lower)) return '';
  return stem(lower);
}

/** The characters of a Han run (code points: rare characters are surrogate pairs). */
const chars = (run: string): string[] => (/[\uD800-\uDFFF]/.test(run) ? [...run] : run.split(''));

export function bigrams(run: string): string[] {
  const c = chars(run);
  if (c.length < 2) return c;
  const grams: string[] = [];
  for (let i = 0; i + 1 < c.length; i++) grams.push(c[i] + c[i + 1]);
  return grams;
}

/** Intl.Segmenter's words of a Han run. */
export function segmentHan(run: string): string[] {
  const words: string[] = [];
  for (const s of segmenter.segment(run)) if (s.isWordLike) words.push(s.segment);
  return words;
}

/** Adds the index terms of `text` to `into`: words of two characters or more, and the bigrams of each Han run (a lone character stands for itself). */
export function addTerms(text: string, into: Set<string>): void {
  for (const match of text.normalize('NFKC').matchAll(TOKEN)) {
    const token = match[0];
    if (!isHan(token)) {
      const term = wordTerm(token);
      if (term) into.add(term);
      continue;
    }
    for (const gram of bigrams(token)) into.add(gram);
    if (token.length > 2) for (const word of segmentHan(token)) if (word.length > 2 && word.length <= MAX_TERM_LENGTH) into.add(word);
  }
}

export function terms(...texts: string[]): Set<string> {
  const into = new Set<string>();
  for (const text of texts) addTerms(text, into);
  return into;
}

/**
 * One required part of a query. A non-Han word must match its term (or, when fuzzy, a term
 * near it). A Han unit is one segmented word, or consecutive one-character segments taken
 * together (低|保 is the word 低保 ICU did not know): its bigrams must all be present (all but
 * the two a mistyped character spoils, when fuzzy). A lone Han character matches any term
 * holding it.
 */
export type QueryUnit = { kind: 'word'; text: string; term: string } | { kind: 'han'; text: string; grams: string[] };

export const MAX_QUERY_UNITS = 12;

export function parseQuery(q: string): QueryUnit[] {
  const units: QueryUnit[] = [];
  const seen = new Set<string>();
  const add = (unit: QueryUnit) => {
    const key = unit.kind === 'word' ? `w:${unit.term}` : `h:${unit.text}`;
    if (!seen.has(key) && units.length < MAX_QUERY_UNITS) units.push(unit);
    seen.add(key);
  };
  for (const match of q.normalize('NFKC').matchAll(TOKEN)) {
    const token = match[0];
    if (!isHan(token)) {
      const term = wordTerm(token);
      if (term) add({ kind: 'word', text: token, term });
      continue;
    }
    // Segmented words are units; a character ICU left alone joins its lone neighbours (低|保
    // is 低保), or else the word before it (教育|厅 is 教育厅), or else the word after it.
    const pieces: string[] = [];
    let single = false;
    for (const word of segmentHan(token)) {
      if (HAN_STOP.has(word)) {
        flushPieces(pieces, add);
        single = false;
        continue;
      }
      const lone = chars(word).length === 1;
      if (lone && single) pieces[pieces.length - 1] += word;
      else pieces.push(word);
      single = lone;
    }
    flushPieces(pieces, add);
  }
  return units;
}

/** Emits the Han pieces of one stretch of a query as units, a one-character piece joined to a neighbour. */
function flushPieces(pieces: string[], add: (unit: QueryUnit) => void) {
  const merged: string[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    if (chars(piece).length > 1) merged.push(piece);
    else if (merged.length > 0) merged[merged.length - 1] += piece;
    else if (i + 1 < pieces.length) pieces[i + 1] = piece + pieces[i + 1];
    else merged.push(piece);
  }
  for (const text of merged) add({ kind: 'han', text, grams: bigrams(text) });
  pieces.length = 0;
}

/** Non-Han words of `text` with their UTF-16 offsets in `text` as given (for highlighting). */
export function* words(text: string): Generator<{ start: number; end: number; term: string }> {
  for (const match of text.matchAll(TOKEN)) {
    if (isHan(match[0])) continue;
    const term = wordTerm(match[0]);
    if (term) yield { start: match.index, end: match.index + match[0].length, term };
  }
}
