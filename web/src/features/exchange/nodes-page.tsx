// The central operator's view of the instance's nodes: the nodes, the registrations of new
// ones (approved or rejected by the platform admin only; the security and audit admins read),
// the crossing policy between network zones (kept the same way), and the anchor file a new
// node is installed with.
import { api, type NodeView } from '../../api.ts';
import { PageTitle } from '../../components/page.tsx';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { hasAnyRole, useCurrentSession } from '../../session.tsx';
import { AnchorPanel } from './anchor-panel.tsx';
import { CrossingRulesSection } from './crossing-rules-section.tsx';
import { useMemberNames } from './member-names.ts';
import { NodeList } from './node-list.tsx';
import { RegistrationsSection } from './registrations-section.tsx';

export function ExchangeNodesPage() {
  const { t, lang } = useI18n();
  const session = useCurrentSession();
  const mayDecide = hasAnyRole(session, 'platform_admin');
  const nodes = useResource(() => api.get<NodeView[]>('/api/exchange/nodes'), 'exchange-nodes');
  const memberName = useMemberNames(lang);
  return (
    <>
      <PageTitle>{t('exchange.nodes.title')}</PageTitle>
      <p className="lead">{t('exchange.nodes.intro')}</p>
      <RegistrationsSection memberName={memberName} mayDecide={mayDecide} onApproved={nodes.reload} />
      <NodeList nodes={nodes} memberName={memberName} />
      <CrossingRulesSection mayManage={mayDecide} />
      {mayDecide && <AnchorPanel />}
    </>
  );
}
