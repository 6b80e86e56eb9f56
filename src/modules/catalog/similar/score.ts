// How alike a draft and an existing entry are, from 0 to 1: pure functions, no database.
//
// Names are compared as the search analyses them (search/analyze.ts): Chinese as character
// bigrams plus the segmenter's longer words, other scripts as folded, plural-stemmed words
// without stopwords. Bigrams matter because departments name the same resource in different
// words (低保对象名册, 城乡低保对象名单): whole words would miss most of what they share. Each
// language is compared by the Dice coefficient of the term sets.
//
// Data items are compared by normalised Chinese name, English name and API field (case,
// width, spaces, punctuation and underscores folded: id_number is idNumber). The item score
// is the share of the draft's items that the existing entry already has: a draft whose items
// are all in an existing entry describes data that is already catalogued, however many more
// items that entry has. The denominator is at least MIN_ITEMS, so a one-item draft that
// shares 姓名 is not "fully covered".
import { terms } from '../search/analyze.ts';

/**
 * Weights of the name and the data items in the score. The name carries more: it is what a
 * resource is, and ordinary items (姓名, 身份证号, 名称) recur in unrelated resources, so
 * shared items alone (at most 0.4) never reach HIGH_SIMILARITY; the same name alone (0.6)
 * does.
 */
export const NAME_WEIGHT = 0.6;
export const ITEM_WEIGHT = 0.4;

/**
 * From this score an entry counts as highly similar: a drafter creating an entry must confirm
 * that such entries of other departments are not the same resource. Reached by the same
 * name, or by a name sharing three quarters of its terms together with half the items, or
 * half the terms with all the items.
 */
export const HIGH_SIMILARITY = 0.6;

/** Entries scoring below this are not listed: one shared bigram such as 信息 is noise. */
export const MIN_SHOWN = 0.2;

/** The item score's denominator is never smaller than this. */
export const MIN_ITEMS = 3;

export type ItemInput = { name?: string; nameEn?: string; field?: string };
export type NamedInput = { nameZh?: string; nameEn?: string; dataItems?: ItemInput[] };

type ItemKeys = { label: string; keys: string[] };

/** What scoring needs of an entry, computed once per entry. */
export type Features = { zh: Set<string>; en: Set<string>; items: ItemKeys[] };

export type Match = { draft: string; existing: string };

export type Similarity = { score: number; nameScore: number; itemScore: number; matchedItems: Match[] };

/** An item's name folded for comparison: width and case, and no spaces, punctuation or symbols. */
export function normalName(text: string): string {
  // Common CJK ideographs and ASCII letters and digits are what NFKC leaves alone, and need no
  // folding but case: most item names are only those, and the catalog is compared whole.
  if (PLAIN.test(text)) return text.toLowerCase();
  return text.normalize('NFKC').toLowerCase().replace(/[\p{P}\p{S}\s]+/gu, '');
}

const PLAIN = /^[\u4e00-\u9fffA-Za-z0-9]*$/;

/** A field name folded: case, and no underscores or hyphens (id_number, idNumber, ID-NUMBER). */
export function normalField(text: string): string {
  if (PLAIN.test(text)) return text.toLowerCase();
  return text.normalize('NFKC').toLowerCase().replace(/[_\-\s]+/g, '');
}

function itemKeys(item: ItemInput): ItemKeys | undefined {
  const keys: string[] = [];
  const name = normalName(item.name ?? '');
  const nameEn = normalName(item.nameEn ?? '');
  const field = normalField(item.field ?? '');
  if (name) keys.push(`n:${name}`);
  // English names and fields are compared together: an English label often is the field (name, Name).
  if (nameEn) keys.push(`e:${nameEn}`);
  if (field && field !== nameEn) keys.push(`e:${field}`);
  if (keys.length === 0) return undefined;
  return { label: (item.name ?? '').trim() || (item.nameEn ?? '').trim() || (item.field ?? '').trim(), keys };
}

export function features(input: NamedInput): Features {
  const items: ItemKeys[] = [];
  for (const item of input.dataItems ?? []) {
    const keys = itemKeys(item);
    if (keys) items.push(keys);
  }
  return { zh: terms(input.nameZh ?? ''), en: terms(input.nameEn ?? ''), items };
}

/** The Dice coefficient of two sets from their sizes and the size of their intersection. */
export function diceOf(shared: number, a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  return (2 * shared) / (a + b);
}

function sharedCount(a: Set<string>, b: Set<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const term of small) if (large.has(term)) shared++;
  return shared;
}

export function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  return diceOf(sharedCount(a, b), a.size, b.size);
}

/**
 * The name score from counts: the draft's and the other entry's Chinese and English term
 * counts and how many each pair shares (published-index.ts counts them from its lists; the
 * formula is this one function, so both ways give the same number to the last bit).
 */
export function nameScoreOf(draftZh: number, otherZh: number, sharedZh: number, draftEn: number, otherEn: number, sharedEn: number): number {
  const hasZh = draftZh > 0 && otherZh > 0;
  const hasEn = draftEn > 0 && otherEn > 0;
  const zh = hasZh ? diceOf(sharedZh, draftZh, otherZh) : 0;
  if (!hasEn) return zh;
  const en = diceOf(sharedEn, draftEn, otherEn);
  return hasZh ? Math.max(zh, (zh + en) / 2) : en;
}

/**
 * Chinese names decide; an English name on both sides can raise the score (the same
 * translation of differently worded names) but not lower it (translations vary more than
 * the official Chinese names). A draft with an English name only is compared by it.
 */
export function nameSimilarity(draft: Features, other: Features): number {
  const zh = draft.zh.size > 0 && other.zh.size > 0 ? sharedCount(draft.zh, other.zh) : 0;
  const en = draft.en.size > 0 && other.en.size > 0 ? sharedCount(draft.en, other.en) : 0;
  return nameScoreOf(draft.zh.size, other.zh.size, zh, draft.en.size, other.en.size, en);
}

/** The item score: `matched` of the draft's `draftItems` items, over at least MIN_ITEMS. */
export const itemShare = (matched: number, draftItems: number): number => matched / Math.max(draftItems, MIN_ITEMS);

const round = (n: number) => Math.round(n * 1000) / 1000;

/** The score from the name and item scores (unrounded), rounded as shown. */
export const combined = (nameScore: number, itemScore: number): number => round(NAME_WEIGHT * nameScore + ITEM_WEIGHT * itemScore);

// The draft's item keys to its item indices, built once per draft: each candidate's items are
// then looked up in it, instead of indexing every candidate.
const draftIndexes = new WeakMap<Features, Map<string, number[]>>();

function indexOf(draft: Features): Map<string, number[]> {
  let index = draftIndexes.get(draft);
  if (index) return index;
  index = new Map();
  draft.items.forEach((item, i) => {
    for (const key of item.keys) {
      const list = index!.get(key);
      if (list) list.push(i);
      else index!.set(key, [i]);
    }
  });
  draftIndexes.set(draft, index);
  return index;
}

/** The draft's items the other entry has (each item of either matched once, in the draft's order), and their share of the draft's. */
export function itemSimilarity(draft: Features, other: Features): { itemScore: number; matchedItems: Match[] } {
  if (draft.items.length === 0 || other.items.length === 0) return { itemScore: 0, matchedItems: [] };
  const index = indexOf(draft);
  const taken = new Set<number>();
  const pairs: [number, Match][] = [];
  for (const item of other.items) {
    for (const key of item.keys) {
      const found = index.get(key)?.find((i) => !taken.has(i));
      if (found === undefined) continue;
      taken.add(found);
      pairs.push([found, { draft: draft.items[found]!.label, existing: item.label }]);
      break;
    }
  }
  pairs.sort((a, b) => a[0] - b[0]);
  return { itemScore: itemShare(pairs.length, draft.items.length), matchedItems: pairs.map(([, match]) => match) };
}

export function similarity(draft: Features, other: Features): Similarity {
  const nameScore = nameSimilarity(draft, other);
  const { itemScore, matchedItems } = itemSimilarity(draft, other);
  return { score: combined(nameScore, itemScore), nameScore: round(nameScore), itemScore: round(itemScore), matchedItems };
}
