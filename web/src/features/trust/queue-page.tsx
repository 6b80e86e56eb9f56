// The CA operator's queue: pending certificate requests from every organization, oldest first,
// to approve (which issues the certificate) or reject with a note.
import { useState } from 'react';
import { api, asApiError, type ApiError, type CertificateRequestView, type Page } from '../../api.ts';
import { FormDialog } from '../../components/confirm-dialog.tsx';
import { DataTable, RowAction, type Column } from '../../components/data-table.tsx';
import { ErrorSummary, Notice, TextAreaField } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { Loaded } from '../../components/status.tsx';
import { formatDateTime } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { kindLabel } from './labels.ts';

export function QueuePage() {
  const { t, lang } = useI18n();
  const pending = useResource(() => api.get<Page<CertificateRequestView>>('/api/trust/certificate-requests', { status: 'pending', limit: 200 }), 'ca-queue');
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<ApiError | undefined>();
  const [rejecting, setRejecting] = useState<CertificateRequestView | undefined>();
  const [note, setNote] = useState('');

  async function decide(request: CertificateRequestView, decision: 'approve' | 'reject', body: { version: number; note?: string }) {
    setError(undefined);
    setNotice('');
    try {
      const decided = await api.post<CertificateRequestView>(`/api/trust/certificate-requests/${request.id}/${decision}`, body);
      setNotice(decision === 'approve' ? t('trust.queue.approved', { serial: decided.certificateSerial ?? '' }) : t('trust.queue.rejectedNotice'));
      pending.reload();
    } catch (e) {
      setError(asApiError(e));
    }
  }

  const columns: Column<CertificateRequestView>[] = [
    { header: t('trust.field.requestedAt'), cell: (r) => formatDateTime(r.requestedAt, lang) },
    { header: t('trust.field.kind'), cell: (r) => t(kindLabel(r.profile)) },
    { header: t('trust.field.subject'), cell: (r) => r.seal?.name ?? r.holderName ?? r.nodeName ?? '' },
    { header: t('trust.field.requestedBy'), cell: (r) => r.requestedByName },
    { header: t('trust.field.keySource'), cell: (r) => t(`trust.keySource.${r.keySource}`) },
    {
      header: t('common.actions'),
      className: 'actions',
      cell: (r) => (
        <>
          <RowAction label={t('trust.queue.approve')} subject={r.holderName ?? r.nodeName ?? r.id} onClick={() => void decide(r, 'approve', { version: r.version })} />{' '}
          <RowAction label={t('trust.queue.reject')} subject={r.holderName ?? r.nodeName ?? r.id} danger onClick={() => setRejecting(r)} />
        </>
      ),
    },
  ];

  return (
    <>
      <PageTitle>{t('trust.queue.title')}</PageTitle>
      <p className="lead">{t('trust.queue.intro')}</p>
      <Notice>{notice}</Notice>
      <ErrorSummary error={error} />
      <section className="panel" aria-labelledby="queue-title">
        <h2 id="queue-title">{t('trust.queue.title')}</h2>
        <Loaded resource={pending}>{(data) => <DataTable items={data.items} columns={columns} rowKey={(r) => r.id} empty={t('trust.queue.empty')} />}</Loaded>
      </section>
      <FormDialog open={rejecting !== undefined} title={t('trust.queue.rejectTitle')} onClose={() => setRejecting(undefined)}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const request = rejecting!;
            setRejecting(undefined);
            void decide(request, 'reject', { version: request.version, note: note.trim() });
            setNote('');
          }}
        >
          <TextAreaField formId="reject" name="note" label={t('trust.field.note')} value={note} onChange={setNote} required />
          <div className="button-row">
            <button type="submit" className="button button-danger" disabled={!note.trim()}>
              {t('trust.queue.reject')}
            </button>
          </div>
        </form>
      </FormDialog>
    </>
  );
}
