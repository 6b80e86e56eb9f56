// Signing with a certificate I hold (CMS detached or enveloping, or a seal on a JSON or XML
// document), and timestamping any file. Results come back as files to download.
import { useState } from 'react';
import { api, type CertificateView, type Page } from '../../api.ts';
import { ErrorSummary, Notice, SelectField } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { formatDateTime } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useCurrentSession } from '../../session.tsx';
import { DownloadLink } from './download-link.tsx';
import { fileToBase64, MAX_UPLOAD_BYTES } from './files.ts';
import { kindLabel } from './labels.ts';

type Format = 'detached' | 'enveloping' | 'seal-json' | 'seal-xml';
type Signed = { signatureBase64: string; mediaType: string; fileExtension: string; signedAt: string };

function FileField({ id, label, onChange }: { id: string; label: string; onChange: (file: File | undefined) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="file" onChange={(e) => onChange(e.target.files?.[0])} />
    </div>
  );
}

export function SignPage() {
  const { t, lang } = useI18n();
  const session = useCurrentSession();
  const certificates = useResource(() => api.get<Page<CertificateView>>('/api/trust/certificates', { limit: 200 }), 'my-certificates');
  const mine = (certificates.data?.items ?? []).filter((c) => c.holderUserId === session.user.id && c.status === 'good' && c.platformHeldKey);
  const [serial, setSerial] = useState('');
  const [format, setFormat] = useState<Format>('detached');
  const [file, setFile] = useState<File | undefined>();
  const [signed, setSigned] = useState<(Signed & { name: string }) | undefined>();
  const [tsFile, setTsFile] = useState<File | undefined>();
  const [stamped, setStamped] = useState<{ tokenBase64: string; genTime: string; name: string } | undefined>();
  const [localError, setLocalError] = useState('');

  const chosen = mine.find((c) => c.serial === serial) ?? mine[0];
  const formats: Format[] = chosen?.profile === 'seal' ? ['detached', 'enveloping', 'seal-json', 'seal-xml'] : ['detached', 'enveloping'];

  function checkFile(f: File | undefined): f is File {
    if (!f) setLocalError(t('trust.sign.chooseFile'));
    else if (f.size > MAX_UPLOAD_BYTES) setLocalError(t('trust.sign.tooLarge'));
    else {
      setLocalError('');
      return true;
    }
    return false;
  }

  const sign = useSubmit(async () => {
    setSigned(undefined);
    if (!chosen || !checkFile(file)) return;
    const body = {
      certificateSerial: chosen.serial,
      documentBase64: await fileToBase64(file),
      ...(format === 'seal-json' || format === 'seal-xml' ? { format } : { format: 'cms', mode: format }),
    };
    const result = await api.post<Signed>('/api/trust/signatures', body);
    setSigned({ ...result, name: file.name });
  });
  const timestamp = useSubmit(async () => {
    setStamped(undefined);
    if (!checkFile(tsFile)) return;
    const result = await api.post<{ tokenBase64: string; genTime: string }>('/api/trust/timestamps', { documentBase64: await fileToBase64(tsFile) });
    setStamped({ ...result, name: tsFile.name });
  });

  return (
    <>
      <PageTitle>{t('trust.sign.title')}</PageTitle>
      <p className="lead">{t('trust.sign.intro')}</p>
      <Notice>{localError}</Notice>
      <section className="panel" aria-labelledby="sign-title">
        <h2 id="sign-title">{t('trust.sign.title')}</h2>
        {certificates.data && mine.length === 0 ? (
          <p>{t('trust.sign.noCertificate')}</p>
        ) : (
          <>
            <ErrorSummary error={sign.error} />
            <form onSubmit={sign.submit} noValidate className="form-grid">
              <SelectField
                formId="sign"
                name="certificate"
                label={t('trust.sign.certificate')}
                value={chosen?.serial ?? ''}
                onChange={setSerial}
                options={mine.map((c) => ({ value: c.serial, label: `${t(kindLabel(c.profile))}：${c.seal?.name ?? c.subject.commonName} (${c.serial.slice(0, 8)}…)` }))}
              />
              <SelectField formId="sign" name="format" label={t('trust.sign.format')} value={format} onChange={(v) => setFormat(v as Format)} options={formats.map((f) => ({ value: f, label: t(`trust.sign.format.${f}`) }))} />
              <FileField id="sign-file" label={t('trust.sign.file')} onChange={setFile} />
              <div className="button-row">
                <button type="submit" className="button" disabled={sign.busy}>
                  {sign.busy ? t('trust.sign.signing') : t('trust.sign.submit')}
                </button>
              </div>
            </form>
            {signed && (
              <div className="result" role="status">
                <p>{t('trust.sign.done', { time: formatDateTime(signed.signedAt, lang) })}</p>
                <DownloadLink base64={signed.signatureBase64} mediaType={signed.mediaType} fileName={`${signed.name}${signed.fileExtension}`} label={t('trust.sign.download')} />
              </div>
            )}
          </>
        )}
      </section>
      <section className="panel" aria-labelledby="timestamp-title">
        <h2 id="timestamp-title">{t('trust.timestamp.title')}</h2>
        <p>{t('trust.timestamp.intro')}</p>
        <ErrorSummary error={timestamp.error} />
        <form onSubmit={timestamp.submit} noValidate className="form-grid">
          <FileField id="timestamp-file" label={t('trust.sign.file')} onChange={setTsFile} />
          <div className="button-row">
            <button type="submit" className="button" disabled={timestamp.busy}>
              {t('trust.timestamp.submit')}
            </button>
          </div>
        </form>
        {stamped && (
          <div className="result" role="status">
            <p>{t('trust.timestamp.done', { time: formatDateTime(stamped.genTime, lang) })}</p>
            <DownloadLink base64={stamped.tokenBase64} mediaType="application/timestamp-reply" fileName={`${stamped.name}.tst`} label={t('trust.timestamp.download')} />
          </div>
        )}
      </section>
    </>
  );
}
