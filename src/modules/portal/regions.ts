// The central–local structure: the province's portal at `/` and each city's under it at
// `/cities/{division code}`, all one platform. The regions come from the directory: a
// government with no parent is the province, the governments directly under it are its
// cities. A city's page lists its own departments' datasets and services; the province's
// lists everyone's.
import type { Text } from './text.ts';

export type Region = {
  /** The government organization whose portal this is. */
  orgId: string;
  divisionCode: string;
  name: Text;
  home: string;
  /** This government and every organization under it. */
  orgIds: string[];
};

export type Regions = { province: Region | undefined; cities: Region[] };

type TreeNode = { id: string; nameZh: string; nameEn: string; type: string; status: string; children: TreeNode[] };

export type RegionDeps = {
  tree: () => Promise<TreeNode[]>;
  divisionOf: (orgId: string) => Promise<string>;
};

// The directory changes rarely; a short memory spares every page the walk.
const CACHE_MS = 30_000;

const subtree = (node: TreeNode): string[] => [node.id, ...node.children.flatMap(subtree)];

export function createRegions(deps: RegionDeps) {
  let cached: { at: number; value: Promise<Regions> } | undefined;

  async function load(): Promise<Regions> {
    const roots = (await deps.tree()).filter((n) => n.type === 'government' && n.status === 'active');
    const top = roots[0];
    if (!top) return { province: undefined, cities: [] };
    const region = async (node: TreeNode, home?: string): Promise<Region> => {
      const divisionCode = await deps.divisionOf(node.id);
      return { orgId: node.id, divisionCode, name: { zh: node.nameZh, en: node.nameEn }, home: home ?? `/cities/${divisionCode}`, orgIds: subtree(node) };
    };
    const province = await region(top, '/');
    const cities = await Promise.all(top.children.filter((c) => c.type === 'government' && c.status === 'active').map((c) => region(c)));
    return { province, cities };
  }

  return {
    async all(): Promise<Regions> {
      if (!cached || Date.now() - cached.at > CACHE_MS) {
        const value = load();
        cached = { at: Date.now(), value };
        value.catch(() => (cached = undefined));
      }
      return cached.value;
    },
    async city(divisionCode: string): Promise<Region | undefined> {
      return (await this.all()).cities.find((c) => c.divisionCode === divisionCode);
    },
  };
}

export type RegionService = ReturnType<typeof createRegions>;

/** A region's name as the page header says it: the platform's when the directory has no government yet. */
export const PLATFORM_NAME: Text = { zh: '政务服务网', en: 'Government services' };
