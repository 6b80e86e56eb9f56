// Answering and ending a share request. The provider (or the data bureau once the request is
// overdue) approves it, with the items asked or fewer, or rejects it with the reason; the
// requesting department withdraws a pending request; the provider or the data bureau ends an
// approved share with the reason, which revokes the access rights in the exchange.
import { useState } from 'react';
import { asApiError, type ApiError } from '../../api.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { CheckboxGroup, TextAreaField } from '../../components/forms.tsx';
import { localName } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { ProblemSummary } from '../registries/errors.tsx';
import { problemField, problemMessage } from '../registries/problems.ts';
import { catalogApi, type ShareRequest } from './api.ts';

function useAction(onDone: (request: ShareRequest, message: string) => void) {
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  async function run(action: () => Promise<ShareRequest>, message: string) {
    setBusy(true);
    setError(undefined);
    try {
      onDone(await action(), message);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }
  return { error, busy, run };
}

function errorsOf(lookup: (key: string) => string | undefined, error: ApiError | undefined) {
  const out: Record<string, string> = {};
  for (const problem of error?.errors ?? []) {
    const input = problemField(problem).replace(/^items\[\d+\]$/, 'items');
    if (!(input in out)) out[input] = problemMessage(lookup, problem);
  }
  return out;
}

type Done = (request: ShareRequest, message: string) => void;

export function AnswerPanel({ request, byDataBureau, onDone }: { request: ShareRequest; byDataBureau: boolean; onDone: Done }) {
  const { t, lookup } = useI18n();
  const formId = 'catalog-answer';
  const [items, setItems] = useState<string[]>(request.items);
  const [reason, setReason] = useState('');
  const { error, busy, run } = useAction(onDone);
  const errors = errorsOf(lookup, error);
  const labels = { items: t('catalog.answer.items'), reason: t('catalog.answer.reason') };
  return (
    <section className="panel" aria-labelledby={`${formId}-title`}>
      <h2 id={`${formId}-title`}>{t('catalog.answer.title')}</h2>
      <p className="hint">{t(byDataBureau ? 'catalog.answer.helpBureau' : 'catalog.answer.help')}</p>
      <ProblemSummary error={error} formId={formId} labels={labels} target={(field) => field.replace(/^items\[\d+\]$/, 'items')} staleHint={t('catalog.stale')} />
      <form className="form" noValidate onSubmit={(e) => e.preventDefault()}>
        <CheckboxGroup formId={formId} name="items" legend={labels.items} options={request.items.map((item) => ({ value: item, label: item }))} values={items} onChange={setItems} error={errors.items} />
        <TextAreaField formId={formId} name="reason" label={labels.reason} hint={t('catalog.answer.reasonHint')} value={reason} onChange={setReason} error={errors.reason} />
        <div className="button-row">
          <button type="button" className="button" disabled={busy} onClick={() => void run(() => catalogApi.approveRequest(request.id, request.version, items, reason.trim()), t('catalog.done.requestApproved', { count: items.length }))}>
            {items.length < request.items.length ? t('catalog.answer.approveFewer', { count: items.length }) : t('catalog.answer.approve')}
          </button>
          <button type="button" className="button button-danger" disabled={busy} onClick={() => void run(() => catalogApi.rejectRequest(request.id, request.version, reason.trim()), t('catalog.done.requestRejected'))}>
            {t('catalog.answer.reject')}
          </button>
        </div>
      </form>
    </section>
  );
}

export function RevokePanel({ request, onDone }: { request: ShareRequest; onDone: Done }) {
  const { t, lang, lookup } = useI18n();
  const formId = 'catalog-revoke';
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const { error, busy, run } = useAction(onDone);
  return (
    <section className="panel" aria-labelledby={`${formId}-title`}>
      <h2 id={`${formId}-title`}>{t('catalog.revoke.title')}</h2>
      <p className="hint">{t('catalog.revoke.help')}</p>
      <ProblemSummary error={error} formId={formId} labels={{ reason: t('catalog.revoke.reason') }} staleHint={t('catalog.stale')} />
      <form className="form" noValidate onSubmit={(e) => { e.preventDefault(); setConfirming(true); }}>
        <TextAreaField formId={formId} name="reason" label={t('catalog.revoke.reason')} required value={reason} onChange={setReason} error={errorsOf(lookup, error).reason} />
        <div className="button-row">
          <button type="submit" className="button button-danger" disabled={busy}>
            {t('catalog.revoke.button')}
          </button>
        </div>
      </form>
      <ConfirmDialog
        open={confirming}
        danger
        message={t('catalog.revoke.confirm', { consumer: localName(request.consumer, lang) })}
        confirmLabel={t('catalog.revoke.button')}
        onConfirm={() => {
          setConfirming(false);
          void run(() => catalogApi.revokeRequest(request.id, request.version, reason.trim()), t('catalog.done.requestRevoked'));
        }}
        onCancel={() => setConfirming(false)}
      />
    </section>
  );
}

export function WithdrawButton({ request, onDone }: { request: ShareRequest; onDone: Done }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const { error, busy, run } = useAction(onDone);
  return (
    <>
      <ProblemSummary error={error} formId="catalog-withdraw" labels={{}} staleHint={t('catalog.stale')} />
      <button type="button" className="button button-secondary" disabled={busy} onClick={() => setConfirming(true)}>
        {t('catalog.withdraw.button')}
      </button>
      <ConfirmDialog
        open={confirming}
        message={t('catalog.withdraw.confirm')}
        confirmLabel={t('catalog.withdraw.button')}
        onConfirm={() => {
          setConfirming(false);
          void run(() => catalogApi.withdrawRequest(request.id, request.version), t('catalog.done.requestWithdrawn'));
        }}
        onCancel={() => setConfirming(false)}
      />
    </>
  );
}
