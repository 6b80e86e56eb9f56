// The organization tree as nested lists. Each branch has a real <button> with aria-expanded,
// so Tab reaches every toggle and every link, and Enter or Space opens and closes a branch.
import { useState } from 'react';
import type { TreeNode } from '../../api.ts';
import { StatusBadge } from '../../components/status.tsx';
import { localName } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';

type Props = { roots: TreeNode[]; selectedId?: string; labelledBy: string };

export function OrgTree({ roots, selectedId, labelledBy }: Props) {
  // Roots start open: the top of the hierarchy is what people look for first.
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(roots.map((r) => r.id)));
  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <ul className="tree" aria-labelledby={labelledBy}>
      {roots.map((node) => (
        <TreeItem key={node.id} node={node} expanded={expanded} toggle={toggle} selectedId={selectedId} />
      ))}
    </ul>
  );
}

function TreeItem({ node, expanded, toggle, selectedId }: { node: TreeNode; expanded: Set<string>; toggle: (id: string) => void; selectedId?: string }) {
  const { t, lang } = useI18n();
  const name = localName(node, lang);
  const open = expanded.has(node.id);
  const hasChildren = node.children.length > 0;
  const groupId = `tree-group-${node.id}`;
  return (
    <li className={node.status === 'inactive' ? 'tree-item tree-item-inactive' : 'tree-item'}>
      <div className="tree-row">
        {hasChildren ? (
          <button type="button" className="tree-toggle" aria-expanded={open} aria-controls={groupId} onClick={() => toggle(node.id)}>
            <span aria-hidden="true" className={open ? 'chevron chevron-open' : 'chevron'} />
            <span className="visually-hidden">{t(open ? 'org.tree.collapse' : 'org.tree.expand', { name })}</span>
          </button>
        ) : (
          <span className="tree-spacer" aria-hidden="true" />
        )}
        <Link to={`/organizations/${node.id}`} aria-current={node.id === selectedId ? 'page' : undefined} className="tree-link">
          {name}
        </Link>
        {node.status === 'inactive' && <StatusBadge status="inactive" />}
      </div>
      {hasChildren && (
        <ul id={groupId} className="tree-group" hidden={!open}>
          {node.children.map((child) => (
            <TreeItem key={child.id} node={child} expanded={expanded} toggle={toggle} selectedId={selectedId} />
          ))}
        </ul>
      )}
    </li>
  );
}
