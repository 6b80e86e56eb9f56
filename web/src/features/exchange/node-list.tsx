// The instance's nodes as the central node knows them: address, zone, members, and the serial
// of the certificate the node authenticates with over mutual TLS.
import type { NodeView } from '../../api.ts';
import { DataTable, type Column } from '../../components/data-table.tsx';
import { Loaded } from '../../components/status.tsx';
import type { Resource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { zoneLabel } from './labels.ts';
import { MemberList } from './member-list.tsx';
import type { MemberName } from './member-names.ts';

export function NodeList({ nodes, memberName }: { nodes: Resource<NodeView[]>; memberName: MemberName }) {
  const { t } = useI18n();
  const columns: Column<NodeView>[] = [
    {
      header: t('exchange.node.name'),
      cell: (n) => (
        <>
          <span className="mono">{n.name}</span>
          {n.central && <span className="badge badge-role node-central">{t('exchange.node.central')}</span>}
        </>
      ),
    },
    { header: t('exchange.node.zone'), cell: (n) => t(zoneLabel(n.zone)) },
    { header: t('exchange.node.url'), className: 'mono', cell: (n) => n.url },
    { header: t('exchange.node.members'), cell: (n) => <MemberList members={n.members} name={memberName} /> },
    { header: t('exchange.node.authSerial'), className: 'mono', cell: (n) => n.authSerial },
    { header: t('common.status'), cell: (n) => <span className={`badge badge-${n.status}`}>{t(`status.${n.status}`)}</span> },
  ];
  return (
    <section className="panel" aria-labelledby="nodes-title">
      <h2 id="nodes-title">{t('exchange.nodes.listTitle')}</h2>
      <Loaded resource={nodes}>{(data) => <DataTable items={data} columns={columns} rowKey={(n) => n.name} empty={t('exchange.nodes.empty')} />}</Loaded>
    </section>
  );
}
