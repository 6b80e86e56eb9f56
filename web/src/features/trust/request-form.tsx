// The organization admin's form for a new certificate: a signing certificate for a colleague,
// the organization's electronic seal, or a TLS certificate for an exchange node; with the
// platform generating the key, or from the organization's own CSR.
import { useState } from 'react';
import { api, type CertificateRequestView, type Page, type User } from '../../api.ts';
import { ErrorSummary, fieldErrors, SelectField, TextAreaField, TextField } from '../../components/forms.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useCurrentSession } from '../../session.tsx';
import { fileToBase64, MAX_UPLOAD_BYTES } from './files.ts';

const FORM = 'certificate-request';
type Profile = 'signing' | 'seal' | 'tls';

export function RequestForm({ onSubmitted }: { onSubmitted: (request: CertificateRequestView) => void }) {
  const { t, lookup } = useI18n();
  const session = useCurrentSession();
  const people = useResource(() => api.get<Page<User>>('/api/users', { orgId: session.user.orgId, limit: 200 }), `people-${session.user.orgId}`);
  const [profile, setProfile] = useState<Profile>('signing');
  const [holder, setHolder] = useState('');
  const [nodeName, setNodeName] = useState('');
  const [sealName, setSealName] = useState('');
  const [sealImage, setSealImage] = useState<File | undefined>();
  const [csrPem, setCsrPem] = useState('');

  const labels = {
    profile: t('trust.field.kind'),
    holderUserId: t('trust.field.holder'),
    nodeName: t('trust.field.nodeName'),
    'seal.name': t('trust.field.sealName'),
    'seal.imageBase64': t('trust.field.sealImage'),
    csrPem: t('trust.field.csr'),
  };
  const { error, busy, submit } = useSubmit(async () => {
    const seal =
      profile === 'seal' && sealImage && sealImage.size <= MAX_UPLOAD_BYTES
        ? { name: sealName.trim(), imageType: sealImage.type === 'image/jpeg' ? 'image/jpeg' : 'image/png', imageBase64: await fileToBase64(sealImage) }
        : undefined;
    const body = {
      profile,
      ...(profile !== 'tls' && holder ? { holderUserId: holder } : {}),
      ...(profile === 'tls' ? { nodeName: nodeName.trim() } : {}),
      ...(seal ? { seal } : {}),
      ...(csrPem.trim() ? { csrPem: csrPem.trim() } : {}),
    };
    const created = await api.post<CertificateRequestView>('/api/trust/certificate-requests', body);
    setCsrPem('');
    onSubmitted(created);
  });
  const errors = fieldErrors(lookup, error);
  const holderOptions = [{ value: '', label: '—' }, ...(people.data?.items ?? []).filter((u) => u.active).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))];

  return (
    <section className="panel" aria-labelledby="request-title">
      <h2 id="request-title">{t('trust.requests.new')}</h2>
      <ErrorSummary error={error} formId={FORM} labels={labels} />
      <form onSubmit={submit} noValidate className="form-grid">
        <SelectField
          formId={FORM}
          name="profile"
          label={labels.profile}
          value={profile}
          onChange={(v) => setProfile(v as Profile)}
          options={(['signing', 'seal', 'tls'] as const).map((p) => ({ value: p, label: t(`trust.kind.${p}`) }))}
        />
        {profile !== 'tls' && <SelectField formId={FORM} name="holderUserId" label={labels.holderUserId} value={holder} onChange={setHolder} options={holderOptions} required error={errors.holderUserId} />}
        {profile === 'tls' && <TextField formId={FORM} name="nodeName" label={labels.nodeName} value={nodeName} onChange={setNodeName} required error={errors.nodeName} />}
        {profile === 'seal' && (
          <>
            <TextField formId={FORM} name="seal.name" label={labels['seal.name']} value={sealName} onChange={setSealName} required error={errors['seal.name'] ?? errors.seal} />
            <div className="field">
              <label htmlFor={`${FORM}-seal-image`}>{labels['seal.imageBase64']}</label>
              <input id={`${FORM}-seal-image`} type="file" accept="image/png,image/jpeg" onChange={(e) => setSealImage(e.target.files?.[0])} />
              {errors['seal.imageBase64'] && <p className="field-error">{errors['seal.imageBase64']}</p>}
            </div>
          </>
        )}
        <TextAreaField formId={FORM} name="csrPem" label={labels.csrPem} hint={t('trust.field.csrHint')} value={csrPem} onChange={setCsrPem} error={errors.csrPem} />
        <div className="button-row">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t('common.saving') : t('trust.requests.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
