// The directory as read by every request: an in-memory snapshot of all organizations,
// reloaded after any change (here, or on another replica via the change feed) and at least
// once a minute. Writes still go to the database inside transactions; only reads come from
// here. A province's directory is thousands of rows; docs/decisions/0003 says when to stop.
import type { Db } from '../../platform/db.ts';
import { LEVEL_RANK, type Organization, type OrganizationPage, type OrganizationQuery, type TreeNode } from './schema.ts';
import * as store from './store.ts';
import type { OrganizationRow } from './store.ts';

const MAX_AGE_MS = 60_000;
const collator = new Intl.Collator('zh-CN');

type Snapshot = {
  /** Sorted as search results are: level, then Chinese name in pinyin order, then id. */
  rows: OrganizationRow[];
  byId: Map<string, OrganizationRow>;
  presented: Map<string, Organization>;
  loadedAt: number;
};

export type DirectoryReadModel = ReturnType<typeof createDirectoryReadModel>;

export function createDirectoryReadModel(deps: { db: Db; present: (row: OrganizationRow) => Organization }) {
  let generation = 0;
  let snapshot: (Snapshot & { generation: number }) | undefined;
  let loading: { generation: number; promise: Promise<Snapshot> } | undefined;

  async function load(): Promise<Snapshot> {
    const rows = await store.listAllOrganizations(deps.db, true);
    rows.sort((a, b) => LEVEL_RANK[a.level] - LEVEL_RANK[b.level] || collator.compare(a.name_zh, b.name_zh) || (a.id < b.id ? -1 : 1));
    return {
      rows,
      byId: new Map(rows.map((r) => [r.id, r])),
      presented: new Map(rows.map((r) => [r.id, deps.present(r)])),
      loadedAt: Date.now(),
    };
  }

  async function current(): Promise<Snapshot> {
    if (snapshot && snapshot.generation === generation && Date.now() - snapshot.loadedAt < MAX_AGE_MS) return snapshot;
    // A load begun before the latest invalidation may have missed that change: start another.
    if (!loading || loading.generation !== generation) {
      const gen = generation;
      const promise = load().then(
        (loaded) => {
          if (gen === generation) snapshot = { ...loaded, generation: gen };
          if (loading?.generation === gen) loading = undefined;
          return loaded;
        },
        (err) => {
          if (loading?.generation === gen) loading = undefined;
          throw err;
        },
      );
      loading = { generation: gen, promise };
    }
    return loading.promise;
  }

  function matches(row: OrganizationRow, text: string, upper: string): boolean {
    return (
      row.name_zh.includes(text) ||
      row.name_en.toUpperCase().includes(upper) ||
      row.credit_code.startsWith(upper) ||
      row.division_code.startsWith(text) ||
      row.identifier.toUpperCase().includes(upper)
    );
  }

  return {
    invalidate(): void {
      generation++;
    },

    async find(id: string): Promise<Organization | undefined> {
      return (await current()).presented.get(id);
    },

    async all(): Promise<Organization[]> {
      return [...(await current()).presented.values()];
    },

    async search(query: OrganizationQuery): Promise<OrganizationPage> {
      const snap = await current();
      const status = query.status ?? 'active';
      const text = query.q?.trim() ?? '';
      const upper = text.toUpperCase();
      const hits = snap.rows.filter(
        (r) =>
          (status === 'all' || r.status === status) &&
          (!query.type || r.type === query.type) &&
          (!query.level || r.level === query.level) &&
          (!query.parentId || r.parent_id === query.parentId) &&
          (!text || matches(r, text, upper)),
      );
      const offset = query.offset ?? 0;
      const page = hits.slice(offset, offset + (query.limit ?? 50));
      return { items: page.map((r) => snap.presented.get(r.id)!), total: hits.length };
    },

    async tree(includeInactive: boolean): Promise<TreeNode[]> {
      const snap = await current();
      const rows = includeInactive ? snap.rows : snap.rows.filter((r) => r.status === 'active');
      const nodes = new Map<string, TreeNode>(
        rows.map((r) => [r.id, { id: r.id, nameZh: r.name_zh, nameEn: r.name_en, type: r.type, level: r.level, status: r.status, identifier: r.identifier, children: [] }]),
      );
      const roots: TreeNode[] = [];
      for (const r of rows) {
        const parent = r.parent_id ? nodes.get(r.parent_id) : undefined;
        // A child whose parent is filtered out (inactive) still shows, at the top.
        (parent ? parent.children : roots).push(nodes.get(r.id)!);
      }
      // Governments first in each list, so each level reads like an org chart; rows are already in level-then-name order.
      const sortDeep = (list: TreeNode[]) => {
        list.sort((a, b) => Number(b.type === 'government') - Number(a.type === 'government'));
        list.forEach((n) => sortDeep(n.children));
      };
      sortDeep(roots);
      return roots;
    },

    /** True when `orgId` is `ancestorId` or lies below it. */
    async isWithin(orgId: string, ancestorId: string): Promise<boolean> {
      const snap = await current();
      const org = snap.byId.get(orgId);
      const ancestor = snap.byId.get(ancestorId);
      return !!org && !!ancestor && org.path.startsWith(ancestor.path);
    },

    async subtreeIds(rootId: string): Promise<string[]> {
      const snap = await current();
      const root = snap.byId.get(rootId);
      return root ? snap.rows.filter((r) => r.path.startsWith(root.path)).map((r) => r.id) : [];
    },
  };
}
