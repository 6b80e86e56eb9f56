// Node registrations for the central operator: each with its check code shown large, to be
// compared with the node's operator before approving. A decision carries the version the
// operator saw; if the registration changed meanwhile (decided by someone else, or replaced by
// a newer one) the server answers 409 and the operator reloads rather than deciding blind.
import { useState, type ReactNode } from 'react';
import { api, ApiError, type NodeRegistration } from '../../api.ts';
import { ErrorSummary, Notice, SelectField } from '../../components/forms.tsx';
import { Loaded } from '../../components/status.tsx';
import { formatDateTime } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { DecisionDialog, type Decision } from './decision-dialog.tsx';
import { registrationStatusLabel, REGISTRATION_STATUSES, zoneLabel } from './labels.ts';
import { MemberList } from './member-list.tsx';
import type { MemberName } from './member-names.ts';

type Filter = NodeRegistration['status'] | 'all';

function RegistrationCard({ registration: r, memberName, mayDecide, onDecide }: { registration: NodeRegistration; memberName: MemberName; mayDecide: boolean; onDecide: (decision: Decision) => void }) {
  const { t, lang } = useI18n();
  const titleId = `registration-${r.id}`;
  const row = (label: string, value: ReactNode) => (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
  return (
    <article className="registration" aria-labelledby={titleId} data-testid="registration">
      <div className="registration-head">
        <h3 id={titleId} className="mono">
          {r.name}
        </h3>
        <span className={`badge badge-${r.status === 'approved' ? 'active' : r.status === 'rejected' ? 'failure' : 'inactive'}`}>{t(registrationStatusLabel(r.status))}</span>
      </div>
      <p className="check-code-box">
        <span className="check-code-label">{t('exchange.registration.checkCode')}</span>
        <span className="check-code" data-testid="check-code">
          {r.checkCode}
        </span>
      </p>
      <dl className="details">
        {row(t('exchange.node.url'), <span className="mono">{r.url}</span>)}
        {row(t('exchange.node.zone'), t(zoneLabel(r.zone)))}
        {row(t('exchange.node.members'), <MemberList members={r.members} name={memberName} withIdentifiers />)}
        {row(t('exchange.registration.submittedAt'), formatDateTime(r.submittedAt, lang))}
        {row(t('exchange.registration.submittedFrom'), r.submittedFrom ? <span className="mono">{r.submittedFrom}</span> : t('exchange.registration.unknown'))}
        {r.decidedAt && row(t('exchange.registration.decision'), t('exchange.registration.decisionValue', { status: t(registrationStatusLabel(r.status)), name: r.decidedByName ?? '', time: formatDateTime(r.decidedAt, lang) }))}
        {r.decisionNote && row(t('exchange.registration.note'), r.decisionNote)}
      </dl>
      {mayDecide && r.status === 'pending' && (
        <div className="button-row">
          <button type="button" className="button" aria-label={`${t('exchange.registration.approve')} ${r.name}`} onClick={() => onDecide('approve')}>
            {t('exchange.registration.approve')}
          </button>
          <button type="button" className="button button-danger" aria-label={`${t('exchange.registration.reject')} ${r.name}`} onClick={() => onDecide('reject')}>
            {t('exchange.registration.reject')}
          </button>
        </div>
      )}
    </article>
  );
}

export function RegistrationsSection({ memberName, mayDecide, onApproved }: { memberName: MemberName; mayDecide: boolean; onApproved: () => void }) {
  const { t } = useI18n();
  const [filter, setFilter] = useState<Filter>('pending');
  const registrations = useResource(() => api.get<NodeRegistration[]>('/api/exchange/nodes/registrations', { status: filter === 'all' ? undefined : filter }), `registrations-${filter}`);
  const [deciding, setDeciding] = useState<{ registration: NodeRegistration; decision: Decision } | undefined>();
  const [notice, setNotice] = useState('');
  const [conflict, setConflict] = useState<ApiError | undefined>();

  async function decide(note: string) {
    const { registration, decision } = deciding!;
    setNotice('');
    setConflict(undefined);
    try {
      await api.post<NodeRegistration>(`/api/exchange/nodes/registrations/${registration.id}/${decision}`, { version: registration.version, ...(note ? { note } : {}) });
    } catch (e) {
      // A 409 is not the operator's mistake to correct in the form: the list is out of date.
      if (!(e instanceof ApiError) || e.status !== 409) throw e;
      setDeciding(undefined);
      setConflict(e);
      return;
    }
    setDeciding(undefined);
    setNotice(t(decision === 'approve' ? 'exchange.registration.approved' : 'exchange.registration.rejected', { name: registration.name }));
    registrations.reload();
    if (decision === 'approve') onApproved();
  }

  function reload() {
    setConflict(undefined);
    registrations.reload();
  }

  return (
    <section className="panel" aria-labelledby="registrations-title">
      <h2 id="registrations-title">{t('exchange.registrations.title')}</h2>
      <p className="callout">{t('exchange.registrations.compare')}</p>
      {!mayDecide && <p>{t('exchange.registrations.readOnly')}</p>}
      <Notice>{notice}</Notice>
      {conflict && (
        <>
          <ErrorSummary error={conflict} />
          <div className="button-row">
            <button type="button" className="button button-secondary" onClick={reload}>
              {t('exchange.registration.reload')}
            </button>
          </div>
        </>
      )}
      <div className="filters">
        <SelectField
          formId="registrations"
          name="status"
          label={t('exchange.registrations.filter')}
          value={filter}
          onChange={(value) => setFilter(value as Filter)}
          options={[...REGISTRATION_STATUSES, 'all' as const].map((s) => ({ value: s, label: t(registrationStatusLabel(s)) }))}
        />
      </div>
      <Loaded resource={registrations}>
        {(data) => (data.length === 0 ? <p>{t('exchange.registrations.empty')}</p> : data.map((r) => <RegistrationCard key={r.id} registration={r} memberName={memberName} mayDecide={mayDecide} onDecide={(decision) => setDeciding({ registration: r, decision })} />))}
      </Loaded>
      <DecisionDialog target={deciding} onDecide={decide} onClose={() => setDeciding(undefined)} />
    </section>
  );
}
