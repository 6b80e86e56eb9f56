// My organization's certificates and seals (all of them for the CA operator and the auditor):
// download, renew and revoke; the renewal reminder; and, for an organization admin, new
// requests and their progress.
import { useState } from 'react';
import { api, asApiError, type ApiError, type CertificateRequestView, type CertificateView, type Page } from '../../api.ts';
import { FormDialog } from '../../components/confirm-dialog.tsx';
import { DataTable, RowAction, type Column } from '../../components/data-table.tsx';
import { ErrorSummary, Notice, SelectField } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { Loaded } from '../../components/status.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { hasAnyRole, useCurrentSession } from '../../session.tsx';
import { kindLabel, reasonLabel, REVOCATION_REASONS, statusLabel, suiteLabel } from './labels.ts';
import { RequestForm } from './request-form.tsx';

function subjectOf(cert: CertificateView): string {
  return cert.seal ? `${cert.seal.name}（${cert.seal.holderName}）` : (cert.holderName ?? cert.subject.commonName);
}

export function CertificatesPage() {
  const { t, lang } = useI18n();
  const session = useCurrentSession();
  const isOrgAdmin = hasAnyRole(session, 'org_admin');
  const seesAll = hasAnyRole(session, 'security_admin', 'audit_admin');
  const certificates = useResource(() => api.get<Page<CertificateView>>('/api/trust/certificates', { limit: 200 }), 'certificates');
  const requests = useResource(() => api.get<Page<CertificateRequestView>>('/api/trust/certificate-requests', { limit: 50 }), 'certificate-requests');
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<ApiError | undefined>();
  const [revoking, setRevoking] = useState<CertificateView | undefined>();
  const [reason, setReason] = useState<string>('keyCompromise');

  const reload = () => {
    certificates.reload();
    requests.reload();
  };

  async function act(action: () => Promise<unknown>, done: string) {
    setError(undefined);
    setNotice('');
    try {
      await action();
      setNotice(done);
      reload();
    } catch (e) {
      setError(asApiError(e));
    }
  }

  const mayManage = (cert: CertificateView) => isOrgAdmin && cert.orgId === session.user.orgId;
  const columns: Column<CertificateView>[] = [
    { header: t('trust.field.kind'), cell: (c) => t(kindLabel(c.profile)) },
    { header: t('trust.field.subject'), cell: (c) => subjectOf(c) },
    { header: t('trust.field.serial'), className: 'mono', cell: (c) => c.serial },
    { header: t('trust.field.suite'), cell: (c) => t(suiteLabel(c.suite)) },
    { header: t('trust.field.validUntil'), cell: (c) => formatDate(c.notAfter, lang) },
    {
      header: t('common.status'),
      cell: (c) => (
        <>
          <span className={`badge badge-${c.status === 'good' ? 'active' : 'inactive'}`}>{t(statusLabel(c.status))}</span>
          {c.renewalDue && <span className="badge badge-failure">{t('trust.certificates.renewalBadge')}</span>}
          {c.revokedAt && <span className="hint"> {t(reasonLabel(c.revocationReason))}</span>}
        </>
      ),
    },
    {
      header: t('common.actions'),
      className: 'actions',
      cell: (c) => (
        <>
          <a className="button button-secondary button-small" href={`/api/trust/certificates/${c.serial}/pem`} download>
            {t('trust.certificates.downloadPem')}
          </a>{' '}
          <a className="button button-secondary button-small" href={`/api/trust/certificates/${c.serial}/der`} download>
            {t('trust.certificates.downloadDer')}
          </a>
          {mayManage(c) && c.status === 'good' && (
            <>
              {' '}
              <RowAction label={t('trust.certificates.renew')} subject={c.serial} onClick={() => void act(() => api.post(`/api/trust/certificates/${c.serial}/renew`, {}), t('trust.certificates.renewed'))} />{' '}
              <RowAction label={t('trust.certificates.revoke')} subject={c.serial} danger onClick={() => setRevoking(c)} />
            </>
          )}
        </>
      ),
    },
  ];
  const requestColumns: Column<CertificateRequestView>[] = [
    { header: t('trust.field.kind'), cell: (r) => t(kindLabel(r.profile)) },
    { header: t('trust.field.subject'), cell: (r) => r.seal?.name ?? r.holderName ?? r.nodeName ?? '' },
    { header: t('trust.field.requestedBy'), cell: (r) => r.requestedByName },
    { header: t('trust.field.requestedAt'), cell: (r) => formatDateTime(r.requestedAt, lang) },
    { header: t('common.status'), cell: (r) => `${t(`trust.request.${r.status}`)}${r.decisionNote ? `：${r.decisionNote}` : ''}` },
    { header: t('trust.field.serial'), className: 'mono', cell: (r) => r.certificateSerial ?? '' },
  ];
  const dueCount = certificates.data?.items.filter((c) => c.renewalDue).length ?? 0;

  return (
    <>
      <PageTitle>{seesAll ? t('trust.certificates.allTitle') : t('trust.certificates.title')}</PageTitle>
      <p className="lead">{t('trust.certificates.intro')}</p>
      <p>
        <a href="/api/trust/crl">{t('trust.certificates.crl')}</a> · <a href="/api/trust/ca.pem">{t('trust.certificates.caChain')}</a>
      </p>
      {dueCount > 0 && (
        <p className="notice" role="alert">
          {t('trust.certificates.renewalDue', { count: dueCount })}
        </p>
      )}
      <Notice>{notice}</Notice>
      <ErrorSummary error={error} />
      <section className="panel" aria-labelledby="certificates-title">
        <h2 id="certificates-title">{seesAll ? t('trust.certificates.allTitle') : t('trust.certificates.title')}</h2>
        <Loaded resource={certificates}>{(data) => <DataTable items={data.items} columns={columns} rowKey={(c) => c.serial} empty={t('trust.certificates.empty')} />}</Loaded>
      </section>
      {isOrgAdmin && (
        <RequestForm
          onSubmitted={() => {
            setNotice(t('trust.requests.submitted'));
            requests.reload();
          }}
        />
      )}
      <section className="panel" aria-labelledby="requests-title">
        <h2 id="requests-title">{t('trust.requests.title')}</h2>
        <Loaded resource={requests}>{(data) => <DataTable items={data.items} columns={requestColumns} rowKey={(r) => r.id} empty={t('trust.requests.empty')} />}</Loaded>
      </section>
      <FormDialog open={revoking !== undefined} title={revoking ? t('trust.certificates.confirmRevoke', { serial: revoking.serial }) : ''} onClose={() => setRevoking(undefined)}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const cert = revoking!;
            setRevoking(undefined);
            void act(() => api.post(`/api/trust/certificates/${cert.serial}/revoke`, { reason }), t('trust.certificates.revoked'));
          }}
        >
          <SelectField formId="revoke" name="reason" label={t('trust.field.reason')} value={reason} onChange={setReason} options={REVOCATION_REASONS.map((r) => ({ value: r, label: t(reasonLabel(r)) }))} />
          <div className="button-row">
            <button type="submit" className="button button-danger">
              {t('trust.certificates.revoke')}
            </button>
          </div>
        </form>
      </FormDialog>
    </>
  );
}
