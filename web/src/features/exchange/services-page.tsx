// My organization's exchange services: register a service of one of our subsystems (backend
// URL, OpenAPI document, timeout, size limit, the classification of its data), and decide who
// may call it (access rights), optionally for only some fields of its answer.
import { useMemo, useState } from 'react';
import { api, ApiError, asApiError, type AccessRight, type Classification, type ExchangeService, type Subsystem } from '../../api.ts';
import { DataTable, RowAction, type Column } from '../../components/data-table.tsx';
import { ErrorSummary, fieldErrors, Notice, SelectField, TextField } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { Loaded } from '../../components/status.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { hasAnyRole, useCurrentSession } from '../../session.tsx';
import { classificationLabel, CLASSIFICATIONS } from './labels.ts';

const FORM = 'exchange-service';
const METHODS = ['', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** "name, birthDate" as the list the API takes; nothing typed: undefined (the whole answer). */
function fieldList(text: string): string[] | undefined {
  const names = text.split(/[,，]/).map((name) => name.trim()).filter(Boolean);
  return names.length > 0 ? names : undefined;
}

function RightsPanel({ service, mayManage }: { service: ExchangeService; mayManage: boolean }) {
  const { t, lookup } = useI18n();
  const rights = useResource(() => api.get<AccessRight[]>(`/api/exchange/services/${service.id}/rights`), `rights-${service.id}`);
  const [client, setClient] = useState('');
  const [method, setMethod] = useState('');
  const [pathPattern, setPathPattern] = useState('');
  const [fields, setFields] = useState('');
  const [error, setError] = useState<ApiError | undefined>();
  const grant = useSubmit(async () => {
    const granted = fieldList(fields);
    await api.post(`/api/exchange/services/${service.id}/rights`, { clientKind: client.includes('/') ? 'subsystem' : 'group', client: client.trim(), ...(method ? { method } : {}), ...(pathPattern.trim() ? { pathPattern: pathPattern.trim() } : {}), ...(granted ? { fields: granted } : {}) });
    setClient('');
    setPathPattern('');
    setFields('');
    rights.reload();
  });
  async function revoke(right: AccessRight) {
    setError(undefined);
    try {
      await api.del(`/api/exchange/services/${service.id}/rights/${right.id}`);
      rights.reload();
    } catch (e) {
      setError(asApiError(e));
    }
  }
  // A bad name in the list comes back as fields.N (the Nth name): shown on the one input.
  // Memoized: a new error object would move the focus to the summary on every keystroke.
  const grantError = useMemo(() => grant.error && new ApiError(grant.error.status, grant.error.code, grant.error.detail, grant.error.errors.map((p) => ({ ...p, field: p.field.replace(/^(body\.)?fields\.\d+$/, 'fields') }))), [grant.error]);
  const errors = fieldErrors(lookup, grantError);
  const columns: Column<AccessRight>[] = [
    { header: t('exchange.right.client'), className: 'mono', cell: (r) => (r.clientKind === 'group' ? `${t('exchange.right.group')}: ${r.client}` : r.client) },
    { header: t('exchange.right.method'), cell: (r) => r.method ?? t('exchange.right.any') },
    { header: t('exchange.right.path'), className: 'mono', cell: (r) => r.pathPattern ?? t('exchange.right.any') },
    { header: t('exchange.right.fieldsColumn'), className: 'mono', cell: (r) => (r.fields ? r.fields.join(', ') : t('exchange.right.allFields')) },
    { header: t('common.actions'), className: 'actions', cell: (r) => mayManage && <RowAction label={t('exchange.right.revoke')} subject={r.client} danger onClick={() => void revoke(r)} /> },
  ];
  const formId = `${FORM}-right-${service.code}`;
  return (
    <div>
      <h3>{t('exchange.rights.title', { service: service.identifier })}</h3>
      <ErrorSummary error={error ?? grantError} formId={formId} labels={{ client: t('exchange.right.clientInput'), method: t('exchange.right.method'), pathPattern: t('exchange.right.path'), fields: t('exchange.right.fieldsColumn') }} />
      <Loaded resource={rights}>{(data) => <DataTable items={data} columns={columns} rowKey={(r) => r.id} empty={t('exchange.rights.empty')} compact />}</Loaded>
      {mayManage && (
        <form className="filters" onSubmit={grant.submit} noValidate>
          <TextField formId={formId} name="client" label={t('exchange.right.clientInput')} value={client} onChange={setClient} required error={errors.client} className="field-wide" />
          <SelectField formId={formId} name="method" label={t('exchange.right.method')} value={method} onChange={setMethod} options={METHODS.map((m) => ({ value: m, label: m || t('exchange.right.any') }))} />
          <TextField formId={formId} name="pathPattern" label={t('exchange.right.path')} value={pathPattern} onChange={setPathPattern} error={errors.pathPattern} />
          <TextField formId={formId} name="fields" label={t('exchange.right.fields')} value={fields} onChange={setFields} hint={t('exchange.right.fieldsHint')} error={errors.fields} className="field-wide" />
          <div className="button-row filters-buttons">
            <button type="submit" className="button" disabled={grant.busy}>
              {t('exchange.right.grant')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

export function ExchangeServicesPage() {
  const { t, lookup } = useI18n();
  const session = useCurrentSession();
  const orgId = session.user.orgId;
  const mayManage = hasAnyRole(session, 'org_admin');
  const services = useResource(() => api.get<ExchangeService[]>('/api/exchange/services', { orgId }), `services-${orgId}`);
  const subsystems = useResource(() => api.get<{ items: Subsystem[] }>(`/api/organizations/${orgId}/subsystems`), `subsystems-${orgId}`);
  const [subsystemId, setSubsystemId] = useState('');
  const [code, setCode] = useState('');
  const [backendUrl, setBackendUrl] = useState('');
  const [timeoutMs, setTimeoutMs] = useState('30000');
  const [openapi, setOpenapi] = useState<string | undefined>();
  // The server's default too: data stays inside a network until someone says otherwise.
  const [classification, setClassification] = useState<Classification>('internal');
  const [notice, setNotice] = useState('');
  const [open, setOpen] = useState<string | undefined>();
  const chosenSubsystem = subsystemId || subsystems.data?.items[0]?.id || '';

  const register = useSubmit(async () => {
    const created = await api.post<ExchangeService>('/api/exchange/services', { subsystemId: chosenSubsystem, code: code.trim(), backendUrl: backendUrl.trim(), timeoutMs: Number(timeoutMs), classification, ...(openapi ? { openapi } : {}) });
    setNotice(t('exchange.service.registered', { identifier: created.identifier }));
    setCode('');
    setBackendUrl('');
    setOpenapi(undefined);
    setClassification('internal');
    services.reload();
  });
  const labels = { subsystemId: t('exchange.service.subsystem'), code: t('exchange.service.code'), backendUrl: t('exchange.service.backendUrl'), timeoutMs: t('exchange.service.timeoutMs'), openapi: t('exchange.service.openapi'), classification: t('exchange.service.classification') };
  const errors = fieldErrors(lookup, register.error);
  const columns: Column<ExchangeService>[] = [
    { header: t('exchange.service.identifier'), className: 'mono', cell: (s) => s.identifier },
    { header: t('exchange.service.backendUrl'), className: 'mono', cell: (s) => s.backendUrl },
    { header: t('exchange.service.timeoutMs'), cell: (s) => String(s.timeoutMs) },
    { header: t('exchange.service.classification'), cell: (s) => t(classificationLabel(s.classification)) },
    { header: t('common.status'), cell: (s) => <span className={`badge badge-${s.status === 'active' ? 'active' : 'inactive'}`}>{t(`status.${s.status}`)}</span> },
    { header: t('common.actions'), className: 'actions', cell: (s) => <RowAction label={t('exchange.rights.show')} subject={s.code} onClick={() => setOpen(open === s.id ? undefined : s.id)} /> },
  ];

  return (
    <>
      <PageTitle>{t('exchange.services.title')}</PageTitle>
      <p className="lead">{t('exchange.services.intro')}</p>
      <Notice>{notice}</Notice>
      <section className="panel" aria-labelledby="services-title">
        <h2 id="services-title">{t('exchange.services.title')}</h2>
        <Loaded resource={services}>
          {(data) => (
            <>
              <DataTable items={data} columns={columns} rowKey={(s) => s.id} empty={t('exchange.services.empty')} />
              {data.filter((s) => s.id === open).map((s) => (
                <RightsPanel key={s.id} service={s} mayManage={mayManage} />
              ))}
            </>
          )}
        </Loaded>
      </section>
      {mayManage && (
        <section className="panel" aria-labelledby="register-title">
          <h2 id="register-title">{t('exchange.service.register')}</h2>
          <ErrorSummary error={register.error} formId={FORM} labels={labels} />
          <form onSubmit={register.submit} noValidate className="form-grid">
            <SelectField formId={FORM} name="subsystemId" label={labels.subsystemId} value={chosenSubsystem} onChange={setSubsystemId} options={(subsystems.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.code} (${s.nameZh})` }))} required error={errors.subsystemId} />
            <TextField formId={FORM} name="code" label={labels.code} value={code} onChange={setCode} required error={errors.code} />
            <TextField formId={FORM} name="backendUrl" label={labels.backendUrl} value={backendUrl} onChange={setBackendUrl} required error={errors.backendUrl} className="field-wide" />
            <TextField formId={FORM} name="timeoutMs" type="number" label={labels.timeoutMs} value={timeoutMs} onChange={setTimeoutMs} error={errors.timeoutMs} />
            <SelectField formId={FORM} name="classification" label={labels.classification} hint={t('exchange.service.classificationHint')} value={classification} onChange={(v) => setClassification(v as Classification)} options={CLASSIFICATIONS.map((c) => ({ value: c, label: t(classificationLabel(c)) }))} error={errors.classification} />
            <div className="field">
              <label htmlFor={`${FORM}-openapi`}>{labels.openapi}</label>
              <input id={`${FORM}-openapi`} type="file" accept=".json,.yaml,.yml,application/json" onChange={(e) => void e.target.files?.[0]?.text().then(setOpenapi)} />
            </div>
            <div className="button-row">
              <button type="submit" className="button" disabled={register.busy}>
                {register.busy ? t('common.saving') : t('exchange.service.register')}
              </button>
            </div>
          </form>
        </section>
      )}
    </>
  );
}
