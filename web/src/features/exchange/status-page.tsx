// Node status, for the people who run the node: its role, the global configuration's age,
// the certificates it depends on, the message log's timestamp backlog, this node's identity
// and registration, and its ferry when it has one.
import { api, type NodeStatus } from '../../api.ts';
import { PageTitle } from '../../components/page.tsx';
import { Loaded } from '../../components/status.tsx';
import { formatDateTime } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { FerrySection, NodeSection } from './status-sections.tsx';

export function ExchangeStatusPage() {
  const { t, lang } = useI18n();
  const status = useResource(() => api.get<NodeStatus>('/api/exchange/status'), 'node-status');
  const row = (label: string, value: string, testId?: string) => (
    <div key={label}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
  return (
    <>
      <PageTitle>{t('exchange.status.title')}</PageTitle>
      <p className="lead">{t('exchange.status.intro')}</p>
      <Loaded resource={status}>
        {(s) => (
          <>
            <section className="panel" aria-labelledby="status-title">
              <h2 id="status-title">{s.instance}</h2>
              <dl className="details">
                {row(t('exchange.status.role'), t(s.role === 'central' ? 'exchange.status.central' : 'exchange.status.member'), 'node-role')}
                {s.globalConf && 'published' in s.globalConf
                  ? row(t('exchange.status.globalConf'), t('exchange.status.publishing'))
                  : s.globalConf
                    ? row(t('exchange.status.globalConf'), t(s.globalConf.valid ? 'exchange.status.confValid' : 'exchange.status.confExpired', { age: s.globalConf.ageSeconds, expires: formatDateTime(s.globalConf.expiresAt, lang) }))
                    : row(t('exchange.status.globalConf'), t('exchange.status.confNone'))}
                {s.configurationCertificate && row(t('exchange.status.configurationCertificate'), t('exchange.status.certificate', { serial: s.configurationCertificate.serial, days: s.configurationCertificate.daysLeft }))}
                {/* A member node learns the TSA from the global configuration: none before its first fetch. */}
                {row(t('exchange.status.tsaCertificate'), s.tsaCertificate ? t('exchange.status.certificate', { serial: s.tsaCertificate.serial, days: s.tsaCertificate.daysLeft }) : t('exchange.status.noTsaCertificate'), 'node-tsa')}
                {row(t('exchange.status.log'), t('exchange.status.logValue', { rows: s.messageLog.rows, pending: s.messageLog.pending, last: s.messageLog.lastBatchAt ? formatDateTime(s.messageLog.lastBatchAt, lang) : '—' }), 'node-log')}
              </dl>
            </section>
            <NodeSection node={s.node} />
            {s.ferry && <FerrySection ferry={s.ferry} />}
          </>
        )}
      </Loaded>
    </>
  );
}
