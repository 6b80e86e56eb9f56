// Client credentials: how a department's client systems prove to this node that they act for
// one of its subsystems. Organization admins manage their own organization's; the platform
// admin sees and manages every organization's.
import { Fragment, useState, type ReactNode } from 'react';
import { api, asApiError, type ApiError, type ClientCredential } from '../../api.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { DataTable, RowAction, type Column } from '../../components/data-table.tsx';
import { ErrorSummary, Notice } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { Loaded } from '../../components/status.tsx';
import { formatDateTime } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { hasAnyRole, useCurrentSession } from '../../session.tsx';
import { ClientForm, type Added } from './client-form.tsx';
import { ClientToken } from './client-token.tsx';
import { kindLabel } from './labels.ts';

/** A long identifier may wrap after each "/", not in the middle of a segment. */
function breakable(identifier: string): ReactNode {
  return identifier.split('/').map((part, i) => (i === 0 ? part : <Fragment key={i}>/<wbr />{part}</Fragment>));
}

export function ExchangeClientsPage() {
  const { t, lang } = useI18n();
  const session = useCurrentSession();
  const seesAll = hasAnyRole(session, 'platform_admin');
  const credentials = useResource(() => api.get<ClientCredential[]>('/api/exchange/clients'), 'exchange-clients');
  const [notice, setNotice] = useState('');
  const [created, setCreated] = useState<{ token: string; subsystem: string } | undefined>();
  const [revoking, setRevoking] = useState<ClientCredential | undefined>();
  const [error, setError] = useState<ApiError | undefined>();

  function added({ credential, token }: Added) {
    setNotice(t('exchange.client.added', { kind: t(kindLabel(credential.kind)), subsystem: credential.subsystem }));
    setCreated(token ? { token, subsystem: credential.subsystem } : undefined);
    credentials.reload();
  }

  async function revoke(credential: ClientCredential) {
    setRevoking(undefined);
    setError(undefined);
    try {
      await api.del(`/api/exchange/clients/${credential.id}`);
      setNotice(t('exchange.client.revoked'));
      credentials.reload();
    } catch (e) {
      setError(asApiError(e));
    }
  }

  const columns: Column<ClientCredential>[] = [
    { header: t('exchange.client.subsystem'), className: 'mono', cell: (c) => breakable(c.subsystem) },
    { header: t('exchange.client.kind'), cell: (c) => t(kindLabel(c.kind)) },
    { header: t('exchange.client.value'), className: 'mono', cell: (c) => c.value },
    { header: t('exchange.client.label'), cell: (c) => c.label },
    { header: t('exchange.client.createdBy'), cell: (c) => c.createdByName },
    { header: t('exchange.client.createdAt'), cell: (c) => formatDateTime(c.createdAt, lang) },
    { header: t('common.actions'), className: 'actions', cell: (c) => <RowAction label={t('exchange.client.revoke')} subject={c.label || c.value} danger onClick={() => setRevoking(c)} /> },
  ];

  return (
    <>
      <PageTitle>{t('exchange.clients.title')}</PageTitle>
      <p className="lead">{t('exchange.clients.intro')}</p>
      <Notice>{notice}</Notice>
      {created && <ClientToken token={created.token} subsystem={created.subsystem} onCopied={() => setNotice(t('exchange.client.copied'))} onClose={() => setCreated(undefined)} />}
      <ClientForm choosesOrganization={seesAll} onAdded={added} />
      <section className="panel" aria-labelledby="clients-title">
        <h2 id="clients-title">{t('exchange.clients.listTitle')}</h2>
        {seesAll && <p>{t('exchange.clients.scopeAll')}</p>}
        <ErrorSummary error={error} />
        <Loaded resource={credentials}>{(data) => <DataTable items={data} columns={columns} rowKey={(c) => c.id} empty={t('exchange.clients.empty')} />}</Loaded>
      </section>
      <ConfirmDialog
        open={revoking !== undefined}
        danger
        message={revoking ? t('exchange.client.confirmRevoke', { kind: t(kindLabel(revoking.kind)), subsystem: revoking.subsystem }) : ''}
        confirmLabel={t('exchange.client.revoke')}
        onConfirm={() => revoking && void revoke(revoking)}
        onCancel={() => setRevoking(undefined)}
      />
    </>
  );
}
