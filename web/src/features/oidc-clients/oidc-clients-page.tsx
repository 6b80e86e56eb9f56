// Sign-in clients: the business systems that sign their users in through the platform's
// unified sign-in (OpenID Connect relying parties). Organization admins manage their own
// organization's; the platform admin sees and manages every organization's. The workbench is
// the platform's own client and is not listed here.
import { useState } from 'react';
import { api, asApiError, type ApiError } from '../../api.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { DataTable, RowAction, type Column } from '../../components/data-table.tsx';
import { ErrorSummary, Notice } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { Loaded } from '../../components/status.tsx';
import { formatDateTime } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { hasAnyRole, useCurrentSession } from '../../session.tsx';
import { OidcClientForm } from './client-form.tsx';
import { SecretOnce } from './secret-once.tsx';
import type { OidcClient, OidcClientWithSecret } from './types.ts';

type Pending = { action: 'rotate' | 'delete'; client: OidcClient };

export function OidcClientsPage() {
  const { t, lang } = useI18n();
  const session = useCurrentSession();
  const seesAll = hasAnyRole(session, 'platform_admin');
  const clients = useResource(() => api.get<{ items: OidcClient[] }>('/api/identity/oidc-clients'), 'oidc-clients');
  const [notice, setNotice] = useState('');
  const [secret, setSecret] = useState<{ name: string; clientId: string; secret: string } | undefined>();
  const [pending, setPending] = useState<Pending | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const nameOf = (c: OidcClient) => (lang === 'en' ? c.nameEn || c.nameZh : c.nameZh || c.nameEn);
  const origin = window.location.origin;

  function showSecret(created: OidcClientWithSecret) {
    setSecret(created.clientSecret ? { name: nameOf(created), clientId: created.clientId, secret: created.clientSecret } : undefined);
  }

  function created(client: OidcClientWithSecret) {
    setNotice(t('oidcClients.created', { name: nameOf(client) }));
    showSecret(client);
    clients.reload();
  }

  async function confirm({ action, client }: Pending) {
    setPending(undefined);
    setError(undefined);
    try {
      if (action === 'rotate') {
        const rotated = await api.post<OidcClientWithSecret>(`/api/identity/oidc-clients/${encodeURIComponent(client.clientId)}/secret`, {});
        setNotice(t('oidcClients.rotated', { name: nameOf(client) }));
        showSecret(rotated);
      } else {
        await api.del(`/api/identity/oidc-clients/${encodeURIComponent(client.clientId)}`);
        setNotice(t('oidcClients.deleted', { name: nameOf(client) }));
        setSecret(undefined);
      }
      clients.reload();
    } catch (e) {
      setError(asApiError(e));
    }
  }

  const columns: Column<OidcClient>[] = [
    { header: t('oidcClients.subsystem'), cell: (c) => nameOf(c) },
    { header: t('oidcClients.clientId'), className: 'mono', cell: (c) => c.clientId },
    { header: t('oidcClients.authMethod'), cell: (c) => t(`oidcClients.auth.${c.authMethod}` as MessageKey) },
    { header: t('oidcClients.redirectUris'), className: 'mono', cell: (c) => c.redirectUris.map((u) => <div key={u}>{u}</div>) },
    { header: t('oidcClients.scopes'), className: 'mono', cell: (c) => c.scopes.join(' ') },
    { header: t('oidcClients.createdAt'), cell: (c) => formatDateTime(c.createdAt, lang) },
    {
      header: t('common.actions'),
      className: 'actions',
      cell: (c) => (
        <>
          {c.authMethod === 'client_secret_basic' && <RowAction label={t('oidcClients.rotate')} subject={nameOf(c)} onClick={() => setPending({ action: 'rotate', client: c })} />}
          <RowAction label={t('oidcClients.delete')} subject={nameOf(c)} danger onClick={() => setPending({ action: 'delete', client: c })} />
        </>
      ),
    },
  ];

  const registered = new Set((clients.data?.items ?? []).map((c) => c.subsystemId));

  return (
    <>
      <PageTitle>{t('oidcClients.title')}</PageTitle>
      <p className="lead">{t('oidcClients.intro')}</p>
      <p>{t('oidcClients.issuer', { issuer: origin, discovery: `${origin}/.well-known/openid-configuration` })}</p>
      <Notice>{notice}</Notice>
      {secret && <SecretOnce {...secret} onCopied={() => setNotice(t('oidcClients.copied'))} onClose={() => setSecret(undefined)} />}
      {clients.data && <OidcClientForm choosesOrganization={seesAll} registered={registered} onCreated={created} />}
      <section className="panel" aria-labelledby="oidc-clients-title">
        <h2 id="oidc-clients-title">{t('oidcClients.listTitle')}</h2>
        {seesAll && <p>{t('oidcClients.scopeAll')}</p>}
        <ErrorSummary error={error} />
        <Loaded resource={clients}>{(data) => <DataTable items={data.items} columns={columns} rowKey={(c) => c.clientId} empty={t('oidcClients.empty')} />}</Loaded>
      </section>
      <ConfirmDialog
        open={pending !== undefined}
        danger={pending?.action === 'delete'}
        message={pending ? t(pending.action === 'rotate' ? 'oidcClients.confirmRotate' : 'oidcClients.confirmDelete', { name: nameOf(pending.client) }) : ''}
        confirmLabel={pending?.action === 'rotate' ? t('oidcClients.rotate') : t('oidcClients.delete')}
        onConfirm={() => pending && void confirm(pending)}
        onCancel={() => setPending(undefined)}
      />
    </>
  );
}
