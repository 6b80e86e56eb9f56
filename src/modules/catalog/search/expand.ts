// From the query's units to the index's clauses: which terms each unit accepts, what to
// highlight, and which misspellings were corrected. A word unknown to the index is replaced by
// the indexed words near it (edit distance) and those it begins; the fuzzy pass, taken when
// the exact one finds nothing, also widens known words and lets a long Han unit miss one
// character. A unit found in a provider's name also matches that provider's entries.
import { isHan, terms as termsOf, type QueryUnit } from './analyze.ts';
import { createTrigramIndex, type TrigramIndex } from './fuzzy.ts';
import type { Alternative, Clause } from './memory-index.ts';
import type { Marks } from './highlight.ts';

export type Vocabulary = {
  documentFrequency(term: string): number;
  termsSince(from: number): { terms: string[]; size: number };
  providerCode(providerId: string): number | undefined;
};

export type ProviderName = { id: string; nameZh: string; nameEn: string };
export type Correction = { term: string; suggestions: string[] };
export type Expansion = { clauses: Clause[]; marks: Marks; corrections: Correction[] };

/** A lone Han character matches at most this many indexed terms holding it. */
const MAX_CHARACTER_TERMS = 300;
const FUZZY_FACTOR = [1, 0.7, 0.5];
const PREFIX_FACTOR = 0.6;

export function createExpander(index: Vocabulary) {
  // Built over the vocabulary on first use, then following it term by term as it grows.
  let followed = 0;
  let words: TrigramIndex | undefined;
  let characters: Map<string, string[]> | undefined;
  const providerTerms = new Map<string, { nameEn: string; terms: Set<string> }>();

  function follow() {
    const { terms, size } = index.termsSince(followed);
    if (terms.length === 0) return;
    followed = size;
    for (const term of terms) {
      if (!isHan(term)) {
        words?.add(term);
        continue;
      }
      if (!characters) continue;
      for (const c of new Set(term)) {
        const list = characters.get(c);
        if (list) list.push(term);
        else characters.set(c, [term]);
      }
    }
  }

  function wordIndex(): TrigramIndex {
    follow();
    if (!words) words = createTrigramIndex(index.termsSince(0).terms.filter((t) => !isHan(t)));
    return words;
  }

  function termsHolding(char: string): string[] {
    follow();
    if (!characters) {
      characters = new Map();
      for (const term of index.termsSince(0).terms) {
        if (!isHan(term)) continue;
        for (const c of new Set(term)) {
          const list = characters.get(c);
          if (list) list.push(term);
          else characters.set(c, [term]);
        }
      }
    }
    const holding = characters.get(char) ?? [];
    return holding.length <= MAX_CHARACTER_TERMS ? holding : [...holding].sort((a, b) => index.documentFrequency(b) - index.documentFrequency(a)).slice(0, MAX_CHARACTER_TERMS);
  }

  function englishTermsOf(provider: ProviderName): Set<string> {
    const cached = providerTerms.get(provider.id);
    if (cached && cached.nameEn === provider.nameEn) return cached.terms;
    const terms = termsOf(provider.nameEn);
    providerTerms.set(provider.id, { nameEn: provider.nameEn, terms });
    return terms;
  }

  function providersNaming(providers: ProviderName[], matches: (p: ProviderName) => boolean): Set<number> {
    const codes = new Set<number>();
    for (const p of providers) {
      const code = index.providerCode(p.id);
      if (code !== undefined && matches(p)) codes.add(code);
    }
    return codes;
  }

  function wordClause(unit: Extract<QueryUnit, { kind: 'word' }>, fuzzy: boolean, providers: ProviderName[], out: Expansion): Clause {
    const alternatives: Alternative[] = [];
    const known = index.documentFrequency(unit.term) > 0;
    if (known) alternatives.push({ term: unit.term, factor: 1 });
    if (!known || fuzzy) {
      const near = wordIndex().near(unit.term, (t) => index.documentFrequency(t));
      for (const { term, distance } of near) alternatives.push({ term, factor: FUZZY_FACTOR[distance] });
      const completions = !known && unit.term.length >= 3 ? wordIndex().completions(unit.term, 10).filter((t) => !near.some((n) => n.term === t)) : [];
      for (const term of completions) alternatives.push({ term, factor: PREFIX_FACTOR });
      const suggestions = [...near.map((n) => n.term), ...completions];
      if (!known && suggestions.length > 0) out.corrections.push({ term: unit.text, suggestions });
    }
    for (const a of alternatives) out.marks.terms.add(a.term);
    const named = providersNaming(providers, (p) => alternatives.some((a) => englishTermsOf(p).has(a.term)) || englishTermsOf(p).has(unit.term));
    return { groups: [alternatives], need: 1, providers: named };
  }

  function hanClause(unit: Extract<QueryUnit, { kind: 'han' }>, fuzzy: boolean, providers: ProviderName[], out: Expansion): Clause {
    if (unit.grams.length === 1 && unit.grams[0].length < 2) {
      // A lone character: any indexed term holding it.
      const char = unit.grams[0];
      out.marks.han.push(char);
      return { groups: [termsHolding(char).map((term) => ({ term, factor: term === char ? 1 : 0.5 }))], need: 1, providers: new Set() };
    }
    out.marks.han.push(unit.text);
    // One mistyped character spoils the two bigrams it is in.
    const need = fuzzy && unit.grams.length >= 3 ? unit.grams.length - 2 : unit.grams.length;
    if (need < unit.grams.length) out.marks.han.push(...unit.grams);
    return {
      groups: unit.grams.map((term) => [{ term, factor: 1 }]),
      need,
      providers: providersNaming(providers, (p) => p.nameZh.includes(unit.text)),
      // Where the segmenter found the unit as one word, the characters stand together: rank those first.
      bonus: unit.text.length > 2 && index.documentFrequency(unit.text) > 0 ? [{ term: unit.text, factor: 1 }] : [],
    };
  }

  return {
    expand(units: QueryUnit[], fuzzy: boolean, providers: ProviderName[]): Expansion {
      const out: Expansion = { clauses: [], marks: { terms: new Set(), han: [] }, corrections: [] };
      for (const unit of units) out.clauses.push(unit.kind === 'word' ? wordClause(unit, fuzzy, providers, out) : hanClause(unit, fuzzy, providers, out));
      // Longer Han strings first, so a unit is marked whole before its parts.
      out.marks.han.sort((a, b) => b.length - a.length);
      return out;
    },
  };
}
