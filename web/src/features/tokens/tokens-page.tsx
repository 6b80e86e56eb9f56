import { useState, type FormEvent } from 'react';
import { api, asApiError, type ApiError, type Token, type CreatedToken } from '../../api.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorSummary, fieldErrors, Notice, TextField } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { LoadError, Loading } from '../../components/status.tsx';
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
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreatedToken | undefined>();
  const [copied, setCopied] = useState(false);
  const [revoking, setRevoking] = useState<Token | undefined>();
  const [notice, setNotice] = useState<MessageKey | undefined>();

  const labels = { name: t('tokens.field.name'), expiresInDays: t('tokens.field.expiresInDays') };
  const errors = fieldErrors(lookup, error);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    setCopied(false);
    try {
      const token = await api.post<CreatedToken>('/api/tokens', { name: name.trim(), expiresInDays: Number(days) });
      setCreated(token);
      setName('');
      tokens.reload();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

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

  async function copy(value: string) {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      // Clipboard access can be refused; the token stays visible to copy by hand.
    }
  }

  return (
    <>
      <PageTitle>{t('tokens.title')}</PageTitle>
      <p className="lead">{t('tokens.intro')}</p>
      <Notice>{notice ? t(notice) : copied ? t('tokens.copied') : null}</Notice>
      {created && (
        <section className="panel token-once" aria-labelledby="token-once-title">
          <h2 id="token-once-title">
            {t('tokens.newToken')}: {created.name}
          </h2>
          <p role="alert">{t('tokens.once')}</p>
          <p>
            <code className="token-value" data-testid="new-token">
              {created.token}
            </code>
          </p>
          <div className="button-row">
            <button type="button" className="button button-secondary button-small" onClick={() => void copy(created.token)}>
              {t('tokens.copy')}
            </button>
            <button type="button" className="button button-secondary button-small" onClick={() => setCreated(undefined)}>
              {t('common.close')}
            </button>
          </div>
        </section>
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
        {tokens.error && <LoadError error={tokens.error} onRetry={tokens.reload} />}
        {tokens.loading && !tokens.data && <Loading />}
        {tokens.data &&
          (tokens.data.items.length === 0 ? (
            <p>{t('tokens.empty')}</p>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('tokens.field.name')}</th>
                    <th scope="col">{t('tokens.field.prefix')}</th>
                    <th scope="col">{t('tokens.field.createdAt')}</th>
                    <th scope="col">{t('tokens.field.expiresAt')}</th>
                    <th scope="col">{t('tokens.field.lastUsedAt')}</th>
                    <th scope="col">{t('common.status')}</th>
                    <th scope="col">{t('common.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {tokens.data.items.map((token) => {
                    const status = tokenStatus(token);
                    return (
                      <tr key={token.id}>
                        <td>{token.name}</td>
                        <td className="mono">{token.prefix}</td>
                        <td>{formatDateTime(token.createdAt, lang)}</td>
                        <td>{formatDate(token.expiresAt, lang)}</td>
                        <td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt, lang) : t('tokens.neverUsed')}</td>
                        <td>
                          <span className={`badge badge-${status === 'active' ? 'active' : 'inactive'}`}>{t(`tokens.status.${status}`)}</span>
                        </td>
                        <td className="actions">
                          {status === 'active' && (
                            <button type="button" className="button button-danger button-small" aria-label={`${t('tokens.revoke')} ${token.name}`} onClick={() => setRevoking(token)}>
                              {t('tokens.revoke')}
                            </button>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ))}
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
