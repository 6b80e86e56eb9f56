// Roll-ups along the division tree. The tree comes from the directory (national GB/T 2260
// codes plus local additions) through two questions only, "does this code exist" and "what
// is its parent", so children are found by trying the codes a parent can have: a city's
// counties share its first four digits, a province's cities and counties its first two.
import { divisionLevelOf } from '../../../platform/codes/division.ts';
import type { Aggregation } from './model.ts';

export type DivisionTree = { exists: (code: string) => boolean; parent: (code: string) => string | undefined };

const two = (n: number) => String(n).padStart(2, '0');

/** The divisions whose parent is `code`, in code order. */
export function childrenOf(tree: DivisionTree, code: string): string[] {
  const level = divisionLevelOf(code);
  const out: string[] = [];
  const consider = (candidate: string) => {
    if (candidate !== code && tree.exists(candidate) && tree.parent(candidate) === code) out.push(candidate);
  };
  if (level === 'city') for (let c = 1; c < 100; c++) consider(code.slice(0, 4) + two(c));
  if (level === 'province') {
    for (let city = 1; city < 100; city++) for (let c = 0; c < 100; c++) consider(code.slice(0, 2) + two(city) + two(c));
  }
  return out;
}

/** `code` and every division below it, parents before children. */
export function subtreeOf(tree: DivisionTree, code: string): string[] {
  const out = [code];
  for (let i = 0; i < out.length; i++) out.push(...childrenOf(tree, out[i]));
  return out;
}

export type RolledChild = { region: string; value: number | null; source: 'observation' | 'rollup' | 'missing' };
export type Rollup = { value: number | null; children: RolledChild[]; /** Divisions with neither a value nor anything below to roll up, at any depth. */ missing: string[] };

/** Rounds away binary noise (0.1 + 0.2) without touching any published precision. */
const clean = (n: number) => Math.round(n * 1e6) / 1e6;

export function combine(rule: Exclude<Aggregation, 'none'>, values: number[]): number | null {
  if (values.length === 0) return null;
  const sum = values.reduce((a, b) => a + b, 0);
  return clean(rule === 'sum' ? sum : sum / values.length);
}

/**
 * The value of `code` rolled up from its children: a child's own value where it has one,
 * otherwise what its own children roll up to. A division's own published value is not used
 * for itself: the point is to compare it with what its parts add up to.
 */
export function rollUp(tree: DivisionTree, code: string, rule: Exclude<Aggregation, 'none'>, values: Map<string, number>): Rollup {
  const children: RolledChild[] = [];
  const missing: string[] = [];
  for (const child of childrenOf(tree, code)) {
    const own = values.get(child);
    if (own !== undefined) {
      children.push({ region: child, value: own, source: 'observation' });
      continue;
    }
    const below = childrenOf(tree, child).length > 0 ? rollUp(tree, child, rule, values) : undefined;
    if (below && below.value !== null) {
      children.push({ region: child, value: below.value, source: 'rollup' });
      missing.push(...below.missing);
    } else {
      children.push({ region: child, value: null, source: 'missing' });
      missing.push(child);
    }
  }
  return { value: combine(rule, children.flatMap((c) => (c.value === null ? [] : [c.value]))), children, missing };
}
