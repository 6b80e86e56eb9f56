// The public "verify a signature" page: upload a signed file, or a file and its signature or
// timestamp, and read the answer in plain words. No sign-in; nothing uploaded is stored.
import { useState } from 'react';
import { api, type VerificationResult } from '../../api.ts';
import { ErrorSummary, Notice } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { formatDateTime } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { DownloadLink } from './download-link.tsx';
import { fileToBase64, MAX_UPLOAD_BYTES } from './files.ts';
import { reasonLabel } from './labels.ts';

function VerdictDetails({ result }: { result: VerificationResult }) {
  const { t, lang } = useI18n();
  const cert = result.certificate;
  return (
    <dl className="details">
      {result.signer?.organization && (
        <div>
          <dt>{t('trust.verify.signer')}</dt>
          <dd data-testid="verify-organization">{result.signer.organization}</dd>
        </div>
      )}
      {result.signer?.creditCode && (
        <div>
          <dt>{t('trust.verify.creditCode')}</dt>
          <dd className="mono">{result.signer.creditCode}</dd>
        </div>
      )}
      {result.signer?.person && (
        <div>
          <dt>{t('trust.verify.person')}</dt>
          <dd data-testid="verify-person">{result.signer.person}</dd>
        </div>
      )}
      {result.seal && (
        <div>
          <dt>{t('trust.verify.seal')}</dt>
          <dd>
            {result.seal.name}（{result.seal.holderName}）
          </dd>
        </div>
      )}
      {result.signedAt && (
        <div>
          <dt>{t('trust.verify.signedAt')}</dt>
          <dd>
            {formatDateTime(result.signedAt, lang)} {result.timestamped ? t('trust.verify.provenByTimestamp') : t('trust.verify.claimed')}
          </dd>
        </div>
      )}
      {cert && (
        <div>
          <dt>{t('trust.verify.certificate')}</dt>
          <dd>
            {cert.validAtSigningTime ? t('trust.verify.certValid') : t('trust.verify.certInvalid')}
            {cert.revokedAt && (
              <>
                <br />
                {t(result.valid ? 'trust.verify.revokedLater' : 'trust.verify.revoked', { time: formatDateTime(cert.revokedAt, lang), reason: t(reasonLabel(cert.revocationReason)) })}
              </>
            )}
          </dd>
        </div>
      )}
    </dl>
  );
}

export function VerifyPage() {
  const { t, lang } = useI18n();
  const [signedFile, setSignedFile] = useState<File | undefined>();
  const [documentFile, setDocumentFile] = useState<File | undefined>();
  const [result, setResult] = useState<VerificationResult | undefined>();
  const [localError, setLocalError] = useState('');

  const { error, busy, submit } = useSubmit(async () => {
    setResult(undefined);
    setLocalError('');
    if (!signedFile) return setLocalError(t('trust.sign.chooseFile'));
    if (signedFile.size > MAX_UPLOAD_BYTES || (documentFile?.size ?? 0) > MAX_UPLOAD_BYTES) return setLocalError(t('trust.sign.tooLarge'));
    const body = { signatureBase64: await fileToBase64(signedFile), ...(documentFile ? { documentBase64: await fileToBase64(documentFile) } : {}) };
    setResult(await api.post<VerificationResult>('/api/trust/verify', body, { handleUnauthorized: false }));
  });

  const verdict = result && (result.valid ? (result.format === 'timestamp' ? t('trust.verify.timestampValid') : t('trust.verify.valid')) : t('trust.verify.invalid'));
  return (
    <>
      <PageTitle>{t('trust.verify.title')}</PageTitle>
      <p className="lead">{t('trust.verify.intro')}</p>
      <Notice>{localError}</Notice>
      <section className="panel" aria-labelledby="verify-form-title">
        <h2 id="verify-form-title" className="visually-hidden">
          {t('trust.verify.title')}
        </h2>
        <ErrorSummary error={error} />
        <form onSubmit={submit} noValidate className="form-grid">
          <div className="field">
            <label htmlFor="verify-signed">{t('trust.verify.signed')}</label>
            <input id="verify-signed" type="file" onChange={(e) => setSignedFile(e.target.files?.[0])} />
          </div>
          <div className="field">
            <label htmlFor="verify-document">{t('trust.verify.document')}</label>
            <input id="verify-document" type="file" onChange={(e) => setDocumentFile(e.target.files?.[0])} />
          </div>
          <div className="button-row">
            <button type="submit" className="button" disabled={busy}>
              {busy ? t('trust.verify.checking') : t('trust.verify.submit')}
            </button>
          </div>
        </form>
      </section>
      {result && (
        <section className={`panel verdict ${result.valid ? 'verdict-valid' : 'verdict-invalid'}`} aria-labelledby="verdict-title" role="status">
          <h2 id="verdict-title" data-testid="verdict">
            {verdict}
          </h2>
          {result.reason && <p data-testid="verdict-reason">{lang === 'en' ? result.reason.message : result.reason.messageZh}</p>}
          <VerdictDetails result={result} />
          {result.contentBase64 && (
            <p>
              <DownloadLink base64={result.contentBase64} mediaType="application/octet-stream" fileName={signedFile?.name.replace(/\.(p7m|sealed\.json|sealed\.xml)$/, '') ?? 'document'} label={t('trust.verify.downloadContent')} />
            </p>
          )}
        </section>
      )}
      <p>
        <a href="/api/trust/crl">{t('trust.certificates.crl')}</a> · <a href="/api/trust/ca.pem">{t('trust.certificates.caChain')}</a>
      </p>
    </>
  );
}
