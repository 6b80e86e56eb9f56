// Parts of the node status page: this node as other nodes see it (name, zone, address, port,
// the certificate it authenticates with, and on a member node its registration), and its ferry.
// The ferry's counts are what an operator checks when calls across zones are slow or failing:
// bundles piling up on one side say which side, or which device, is stuck.
import type { ReactNode } from 'react';
import type { NodeRegistration, NodeStatus } from '../../api.ts';
import { useI18n } from '../../i18n/index.tsx';
import { registrationStatusLabel, REGISTRATION_STATUSES, zoneWords } from './labels.ts';

export function DetailRow({ label, testId, children }: { label: string; testId?: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

type Enrolment = NonNullable<NodeStatus['node']['enrolment']>;

/** A member node's registration: the check code is what the central operator compares. */
function EnrolmentRows({ enrolment }: { enrolment: Enrolment }) {
  const { t } = useI18n();
  const status = enrolment.status as NodeRegistration['status'];
  const known = REGISTRATION_STATUSES.includes(status);
  return (
    <>
      <DetailRow label={t('exchange.status.enrolment')} testId="node-enrolment">
        {known ? t(registrationStatusLabel(status)) : enrolment.status}
        {status === 'rejected' && <p className="hint">{t('exchange.status.rejectedHint')}</p>}
      </DetailRow>
      <DetailRow label={t('exchange.registration.checkCode')}>
        <span className="check-code" data-testid="node-check-code">
          {enrolment.checkCode}
        </span>
        {status === 'pending' && <p className="hint">{t('exchange.status.checkCodeHint')}</p>}
      </DetailRow>
      {enrolment.note && <DetailRow label={t('exchange.registration.note')}>{enrolment.note}</DetailRow>}
    </>
  );
}

export function NodeSection({ node }: { node: NodeStatus['node'] }) {
  const { t } = useI18n();
  const cert = node.authCertificate;
  return (
    <section className="panel" aria-labelledby="node-title">
      <h2 id="node-title">{t('exchange.status.node')}</h2>
      <dl className="details">
        <DetailRow label={t('exchange.node.name')} testId="node-name">
          <span className="mono">{node.name}</span>
        </DetailRow>
        <DetailRow label={t('exchange.node.zone')} testId="node-zone">
          {zoneWords(t, node.zone)}
        </DetailRow>
        <DetailRow label={t('exchange.node.url')}>
          <span className="mono">{node.url}</span>
        </DetailRow>
        <DetailRow label={t('exchange.status.nodePort')} testId="node-port">
          {t(node.listening ? 'exchange.status.listening' : 'exchange.status.notListening')}
        </DetailRow>
        <DetailRow label={t('exchange.status.authCertificate')} testId="node-auth-certificate">
          {cert ? t('exchange.status.certificate', { serial: cert.serial, days: cert.daysLeft }) : t('exchange.status.noAuthCertificate')}
        </DetailRow>
        {node.enrolment && <EnrolmentRows enrolment={node.enrolment} />}
      </dl>
    </section>
  );
}

export function FerrySection({ ferry }: { ferry: NonNullable<NodeStatus['ferry']> }) {
  const { t, lang } = useI18n();
  const count = (n: number) => n.toLocaleString(lang);
  return (
    <section className="panel" aria-labelledby="ferry-title">
      <h2 id="ferry-title">{t('exchange.status.ferry')}</h2>
      <p>{t('exchange.status.ferryIntro')}</p>
      <dl className="details">
        <DetailRow label={t('exchange.status.ferryPeer')} testId="ferry-peer">
          <span className="mono">{ferry.peer}</span>
        </DetailRow>
        <DetailRow label={t('exchange.status.ferryOutbound')} testId="ferry-outbound">
          {count(ferry.outbound)}
        </DetailRow>
        <DetailRow label={t('exchange.status.ferryInbound')} testId="ferry-inbound">
          {count(ferry.inbound)}
        </DetailRow>
        <DetailRow label={t('exchange.status.ferryUnfinished')} testId="ferry-unfinished">
          {count(ferry.unfinished)}
        </DetailRow>
        <DetailRow label={t('exchange.status.ferryRejected')} testId="ferry-rejected">
          {count(ferry.rejected)}
          <p className="hint">{t('exchange.status.ferryRejectedHint')}</p>
        </DetailRow>
      </dl>
    </section>
  );
}
