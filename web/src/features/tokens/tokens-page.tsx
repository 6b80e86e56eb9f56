import { useState } from 'react';
import { api, asApiError, type Token, type CreatedToken } from '../../api.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { DataTable, RowAction, type Column } from '../../components/data-table.tsx';
import { ErrorSummary, fieldErrors, Notice, TextField } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { ShownOnce } from '../../components/shown-once.tsx';
import { Loaded } from '../../components/status.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { formatDate, formatDateTime } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';

const FORM = 'token';

function tokenStatus(token: Token): 'active' | 'revoked' | 'expired' {
  if (token.revokedAt) return 'revoked';
  if (new Date(token.expiresAt).getTime() <= Date.now()) return 'expired';
  return 'active';
}

export function TokensPage() {
  const { t, lang, lookup } = useI18n();
  const tokens = useResource(() => api.get<{ items: Token[] }>('/api/tokens'), 'tokens');
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const [created, setCreated] = useState<CreatedToken | undefined>();
  const [copied, setCopied] = useState(false);
  const [revoking, setRevoking] = useState<Token | undefined>();
  const [notice, setNotice] = useState<MessageKey | undefined>();

  // Creating and revoking share the error summary above the form.
  const { error, setError, busy, submit: create } = useSubmit(async () => {
    setNotice(undefined);
    setCopied(false);
    const token = await api.post<CreatedToken>('/api/tokens', { name: name.trim(), expiresInDays: Number(days) });
    setCreated(token);
    setName('');
    tokens.reload();
  });
  const labels = { name: t('tokens.field.name'), expiresInDays: t('tokens.field.expiresInDays') };
  const errors = fieldErrors(lookup, error);

  async function revoke(token: Token) {
    setRevoking(undefined);
    setError(undefined);
    try {
      await api.del(`/api/tokens/${token.id}`);
      setNotice('tokens.revoked');
      if (created?.id === token.id) setCreated(undefined);
      tokens.reload();
    } catch (e) {
      setError(asApiError(e));
    }
  }

  const columns: Column<Token>[] = [
    { header: t('tokens.field.name'), cell: (token) => token.name },
    { header: t('tokens.field.prefix'), className: 'mono', cell: (token) => token.prefix },
    { header: t('tokens.field.createdAt'), cell: (token) => formatDateTime(token.createdAt, lang) },
    { header: t('tokens.field.expiresAt'), cell: (token) => formatDate(token.expiresAt, lang) },
    { header: t('tokens.field.lastUsedAt'), cell: (token) => (token.lastUsedAt ? formatDateTime(token.lastUsedAt, lang) : t('tokens.neverUsed')) },
    {
      header: t('common.status'),
      cell: (token) => {
        const status = tokenStatus(token);
        return <span className={`badge badge-${status === 'active' ? 'active' : 'inactive'}`}>{t(`tokens.status.${status}`)}</span>;
      },
    },
    {
      header: t('common.actions'),
      className: 'actions',
      cell: (token) => tokenStatus(token) === 'active' && <RowAction label={t('tokens.revoke')} subject={token.name} danger onClick={() => setRevoking(token)} />,
    },
  ];

  return (
    <>
      <PageTitle>{t('tokens.title')}</PageTitle>
      <p className="lead">{t('tokens.intro')}</p>
      <Notice>{notice ? t(notice) : copied ? t('tokens.copied') : null}</Notice>
      {created && (
        <ShownOnce titleId="token-once-title" title={`${t('tokens.newToken')}: ${created.name}`} warning={t('tokens.once')} value={created.token} copyLabel={t('tokens.copy')} onCopied={() => setCopied(true)} onClose={() => setCreated(undefined)}>
          <p>
            <code className="token-value" data-testid="new-token">
              {created.token}
            </code>
          </p>
        </ShownOnce>
      )}
      <section className="panel" aria-labelledby="token-create-title">
        <h2 id="token-create-title">{t('tokens.createTitle')}</h2>
        <ErrorSummary error={error} formId={FORM} labels={labels} />
        <form className="filters" onSubmit={create} noValidate>
          <TextField formId={FORM} name="name" label={labels.name} value={name} onChange={setName} required error={errors.name} className="field-wide" />
          <TextField formId={FORM} name="expiresInDays" type="number" inputMode="numeric" min={1} max={365} label={labels.expiresInDays} value={days} onChange={setDays} required error={errors.expiresInDays} />
          <div className="button-row filters-buttons">
            <button type="submit" className="button" disabled={busy}>
              {busy ? t('common.saving') : t('tokens.create')}
            </button>
          </div>
        </form>
      </section>
      <section className="panel" aria-labelledby="token-list-title">
        <h2 id="token-list-title">{t('tokens.title')}</h2>
        <Loaded resource={tokens}>{(data) => <DataTable items={data.items} columns={columns} rowKey={(token) => token.id} empty={t('tokens.empty')} />}</Loaded>
      </section>
      <ConfirmDialog
        open={revoking !== undefined}
        danger
        message={revoking ? t('tokens.confirm.revoke', { name: revoking.name }) : ''}
        confirmLabel={t('tokens.revoke')}
        onConfirm={() => revoking && void revoke(revoking)}
        onCancel={() => setRevoking(undefined)}
      />
    </>
  );
}
