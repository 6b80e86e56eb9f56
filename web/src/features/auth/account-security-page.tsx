// Account security: your two-step sign-in (TOTP). Set it up (a secret shown once, as text and
// as an otpauth:// link, confirmed with a code), or turn it off with a current code; the
// server refuses that to administrators, who must keep it on (level 3), so the page does not
// offer it to them.
import { useState } from 'react';
import { api } from '../../api.ts';
import { ErrorSummary, fieldErrors, Notice, TextField } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { Loaded } from '../../components/status.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { useResource } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import type { TotpEnrolment, TotpStatus } from '../../../../src/modules/identity/index.ts';

const FORM = 'totp';
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');

export function AccountSecurityPage() {
  const { t, lookup } = useI18n();
  const status = useResource(() => api.get<TotpStatus>('/api/session/totp'), 'totp');
  const [enrolment, setEnrolment] = useState<TotpEnrolment | undefined>();
  const [code, setCode] = useState('');
  const [notice, setNotice] = useState<MessageKey | undefined>();

  const start = useSubmit(async () => {
    setNotice(undefined);
    setEnrolment(await api.post<TotpEnrolment>('/api/session/totp', undefined));
  });
  const finish = useSubmit(async () => {
    const enabled = status.data?.enabled;
    await api.post(enabled ? '/api/session/totp/remove' : '/api/session/totp/confirm', { code: code.trim() });
    setEnrolment(undefined);
    setCode('');
    setNotice(enabled ? 'security.totp.removed' : 'security.totp.enabled');
    status.reload();
  });
  const error = start.error ?? finish.error;
  const labels = { code: t('security.totp.code') };
  const errors = fieldErrors(lookup, finish.error);
  const codeForm = (submitLabel: MessageKey) => (
    <form className="form narrow" onSubmit={finish.submit} noValidate>
      <TextField formId={FORM} name="code" label={labels.code} hint={t('security.totp.codeHint')} value={code} onChange={setCode} inputMode="numeric" autoComplete="one-time-code" maxLength={6} required error={errors.code} />
      <button type="submit" className="button" disabled={finish.busy}>
        {finish.busy ? t('common.saving') : t(submitLabel)}
      </button>
    </form>
  );

  return (
    <>
      <PageTitle>{t('security.title')}</PageTitle>
      <Notice>{notice ? t(notice) : null}</Notice>
      <ErrorSummary error={error} formId={FORM} labels={labels} />
      <h2>{t('security.totp.heading')}</h2>
      <Loaded resource={status}>
        {(s) =>
          s.enabled ? (
            <>
              <p>{t('security.totp.on')}</p>
              {s.required ? <p className="callout">{t('security.totp.required')}</p> : codeForm('security.totp.remove')}
            </>
          ) : enrolment ? (
            <>
              <p>{t('security.totp.addKey')}</p>
              <p>
                <code className="totp-secret">{grouped(enrolment.secret)}</code>
              </p>
              <p>{t('security.totp.uri')}</p>
              <p>
                <code className="totp-uri">{enrolment.uri}</code>
              </p>
              {codeForm('security.totp.confirm')}
            </>
          ) : (
            <>
              <p>{t(s.required ? 'security.totp.required' : 'security.totp.off')}</p>
              <form onSubmit={start.submit} noValidate>
                <button type="submit" className="button" disabled={start.busy}>
                  {t('security.totp.start')}
                </button>
              </form>
            </>
          )
        }
      </Loaded>
    </>
  );
}
