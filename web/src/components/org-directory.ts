// The organization tree as lookup tables: id → node, and an indented option list for selects.
import { useMemo } from 'react';
import { api, type TreeNode } from '../api.ts';
import { localName } from '../format.ts';
import { useResource } from '../hooks.ts';
import type { Lang } from '../i18n/index.tsx';
import type { Option } from './forms.tsx';

export type OrgDirectory = {
  roots: TreeNode[];
  byId: Map<string, TreeNode>;
  options: Option[];
  name: (id: string | null | undefined) => string;
  loading: boolean;
};

export function flattenTree(roots: TreeNode[], lang: Lang): { byId: Map<string, TreeNode>; options: Option[] } {
  const byId = new Map<string, TreeNode>();
  const options: Option[] = [];
  const walk = (nodes: TreeNode[], depth: number) => {
    for (const node of nodes) {
      byId.set(node.id, node);
      // Non-breaking spaces survive inside <option>, where markup would not.
      options.push({ value: node.id, label: `${'\u00a0\u00a0\u00a0'.repeat(depth)}${localName(node, lang)}` });
      walk(node.children, depth + 1);
    }
  };
  walk(roots, 0);
  return { byId, options };
}

export function useOrgDirectory(lang: Lang, status: 'active' | 'all' = 'all'): OrgDirectory {
  const tree = useResource(() => api.get<{ roots: TreeNode[] }>('/api/organizations/tree', { status }), status);
  return useMemo(() => {
    const roots = tree.data?.roots ?? [];
    const { byId, options } = flattenTree(roots, lang);
    const name = (id: string | null | undefined) => {
      if (!id) return '';
      const node = byId.get(id);
      return node ? localName(node, lang) : id;
    };
    return { roots, byId, options, name, loading: tree.loading };
  }, [tree.data, tree.loading, lang]);
}
