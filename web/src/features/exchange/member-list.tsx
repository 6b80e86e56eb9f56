// The members a node hosts or asks to host: names where the directory knows them, identifiers
// otherwise. The central node hosts every member no other node does, so a long list folds.
import { useI18n } from '../../i18n/index.tsx';
import type { MemberName } from './member-names.ts';

const FOLD_AFTER = 3;

export function MemberList({ members, name, withIdentifiers }: { members: string[]; name: MemberName; withIdentifiers?: boolean }) {
  const { t } = useI18n();
  if (members.length === 0) return <>{t('exchange.node.noMembers')}</>;
  const list = (
    <ul className="member-list">
      {members.map((member) => {
        const known = name(member);
        return (
          <li key={member}>
            {known ?? <span className="mono">{member}</span>}
            {/* Whoever approves a node checks the exact identifiers, not only the names. */}
            {known && withIdentifiers && <span className="mono secondary-name">{member}</span>}
          </li>
        );
      })}
    </ul>
  );
  if (members.length <= FOLD_AFTER) return list;
  return (
    <details className="detail">
      <summary>{t('exchange.node.memberCount', { count: members.length })}</summary>
      {list}
    </details>
  );
}
