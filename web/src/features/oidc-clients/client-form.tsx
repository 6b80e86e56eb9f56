// Registers a business system as a client of the platform's unified sign-in: its redirect
// URIs, the scopes it may ask for, and how it proves who it is (a secret made by the server
// and shown once, or its public keys for private_key_jwt). An organization admin picks one of
// their organization's business systems; the platform admin picks the organization first.
import { useState } from 'react';
import { api, ApiError, type Subsystem } from '../../api.ts';
import { ErrorSummary, fieldErrors, fieldId, SelectField, TextAreaField } from '../../components/forms.tsx';
import { useOrgDirectory } from '../../components/org-directory.ts';
import { useSubmit } from '../../components/use-submit.ts';
import { localName } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useCurrentSession } from '../../session.tsx';
import type { OidcClientWithSecret } from './types.ts';

const FORM = 'oidc-client';
export const SCOPES = ['openid', 'profile', 'org', 'enterprise', 'id_number', 'offline_access'] as const;
const AUTH_METHODS = ['client_secret_basic', 'private_key_jwt'] as const;
type AuthMethod = (typeof AUTH_METHODS)[number];

const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

export function OidcClientForm({ choosesOrganization, registered, onCreated }: { choosesOrganization: boolean; registered: Set<string>; onCreated: (created: OidcClientWithSecret) => void }) {
  const { t, lang, lookup } = useI18n();
  const session = useCurrentSession();
  const directory = useOrgDirectory(lang, 'active');
  const [orgId, setOrgId] = useState(session.user.orgId);
  const subsystems = useResource(() => api.get<{ items: Subsystem[] }>(`/api/organizations/${orgId}/subsystems`), `oidc-subsystems-${orgId}`);
  const available = (subsystems.data?.items ?? []).filter((s) => s.status === 'active' && !registered.has(s.id));
  const [chosen, setChosen] = useState('');
  const subsystemId = available.some((s) => s.id === chosen) ? chosen : (available[0]?.id ?? '');
  const [redirectUris, setRedirectUris] = useState('');
  const [postLogout, setPostLogout] = useState('');
  const [scopes, setScopes] = useState<Set<string>>(new Set(['openid', 'profile']));
  const [authMethod, setAuthMethod] = useState<AuthMethod>('client_secret_basic');
  const [jwks, setJwks] = useState('');

  const { error, busy, submit } = useSubmit(async () => {
    let keys: unknown;
    if (authMethod === 'private_key_jwt') {
      try {
        keys = JSON.parse(jwks);
      } catch {
        throw new ApiError(400, 'validation_failed', t('oidcClients.jwksInvalid'), [{ field: 'jwks', code: 'invalid_json', message: t('oidcClients.jwksInvalid') }]);
      }
    }
    const created = await api.post<OidcClientWithSecret>('/api/identity/oidc-clients', {
      subsystemId,
      redirectUris: lines(redirectUris),
      postLogoutRedirectUris: lines(postLogout),
      scopes: SCOPES.filter((s) => scopes.has(s)),
      authMethod,
      ...(authMethod === 'private_key_jwt' ? { jwks: keys } : {}),
    });
    setRedirectUris('');
    setPostLogout('');
    setJwks('');
    onCreated(created);
  });

  const labels: Record<string, string> = {
    subsystemId: t('oidcClients.subsystem'),
    redirectUris: t('oidcClients.redirectUris'),
    postLogoutRedirectUris: t('oidcClients.postLogoutRedirectUris'),
    scopes: t('oidcClients.scopes'),
    authMethod: t('oidcClients.authMethod'),
    jwks: t('oidcClients.jwks'),
  };
  // "redirectUris[1]" and "jwks.keys[0].kty" belong to the field they start with.
  const errors: Record<string, string> = {};
  for (const [field, message] of Object.entries(fieldErrors(lookup, error))) {
    const base = field.replace(/[[.].*$/, '');
    errors[base] = errors[base] ? `${errors[base]}; ${message}` : message;
  }
  const summaryError = error && new ApiError(error.status, error.code, error.detail, error.errors.map((p) => ({ ...p, field: p.field.replace(/^body\./, '').replace(/[[.].*$/, '') })));
  const noSubsystems = subsystems.data !== undefined && available.length === 0;

  function toggleScope(scope: string, on: boolean) {
    const next = new Set(scopes);
    if (on) next.add(scope);
    else next.delete(scope);
    setScopes(next);
  }

  return (
    <section className="panel" aria-labelledby="oidc-client-add-title">
      <h2 id="oidc-client-add-title">{t('oidcClients.add')}</h2>
      <ErrorSummary error={summaryError} formId={FORM} labels={labels} />
      <form onSubmit={submit} noValidate className="form-grid">
        {choosesOrganization && <SelectField formId={FORM} name="organization" label={t('oidcClients.organization')} value={orgId} onChange={setOrgId} options={directory.options} required />}
        {noSubsystems ? (
          <p>{t('oidcClients.noSubsystems')}</p>
        ) : (
          <SelectField formId={FORM} name="subsystemId" label={labels.subsystemId} value={subsystemId} onChange={setChosen} options={available.map((s) => ({ value: s.id, label: `${localName(s, lang)} (${s.code})` }))} required error={errors.subsystemId} />
        )}
        <TextAreaField formId={FORM} name="redirectUris" label={labels.redirectUris} hint={t('oidcClients.redirectUrisHint')} value={redirectUris} onChange={setRedirectUris} required error={errors.redirectUris} className="client-wide mono-input" />
        <TextAreaField formId={FORM} name="postLogoutRedirectUris" label={labels.postLogoutRedirectUris} hint={t('oidcClients.postLogoutHint')} value={postLogout} onChange={setPostLogout} error={errors.postLogoutRedirectUris} className="client-wide mono-input" />
        <fieldset className="field checkbox-group" id={fieldId(FORM, 'scopes')} aria-describedby={errors.scopes ? `${fieldId(FORM, 'scopes')}-error` : undefined}>
          <legend>{labels.scopes}</legend>
          {errors.scopes && (
            <p className="field-error" id={`${fieldId(FORM, 'scopes')}-error`}>
              {errors.scopes}
            </p>
          )}
          {SCOPES.map((scope) => {
            const id = fieldId(FORM, `scope-${scope}`);
            return (
              <div className="checkbox" key={scope}>
                <input id={id} type="checkbox" name="scopes" value={scope} checked={scopes.has(scope)} onChange={(e) => toggleScope(scope, e.target.checked)} />
                <label htmlFor={id}>{t(`oidcClients.scope.${scope}` as MessageKey)}</label>
              </div>
            );
          })}
        </fieldset>
        <fieldset className="field checkbox-group" id={fieldId(FORM, 'authMethod')}>
          <legend>{labels.authMethod}</legend>
          {AUTH_METHODS.map((method) => {
            const id = fieldId(FORM, `auth-${method}`);
            return (
              <div className="checkbox" key={method}>
                <input id={id} type="radio" name="authMethod" value={method} checked={authMethod === method} onChange={() => setAuthMethod(method)} aria-describedby={`${id}-hint`} />
                <label htmlFor={id}>{t(`oidcClients.auth.${method}` as MessageKey)}</label>
                <p className="hint" id={`${id}-hint`}>
                  {t(`oidcClients.auth.${method}Hint` as MessageKey)}
                </p>
              </div>
            );
          })}
        </fieldset>
        {authMethod === 'private_key_jwt' && <TextAreaField formId={FORM} name="jwks" label={labels.jwks} hint={t('oidcClients.jwksHint')} value={jwks} onChange={setJwks} required error={errors.jwks} className="client-wide mono-input" />}
        <div className="button-row">
          <button type="submit" className="button" disabled={busy || noSubsystems || subsystems.loading}>
            {busy ? t('common.saving') : t('oidcClients.add')}
          </button>
        </div>
      </form>
    </section>
  );
}
