// A new client secret, shown once: the server keeps it only sealed, so this is the one chance
// to copy it.
import { useI18n } from '../../i18n/index.tsx';

export function SecretOnce({ name, clientId, secret, onCopied, onClose }: { name: string; clientId: string; secret: string; onCopied: () => void; onClose: () => void }) {
  const { t } = useI18n();
  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      onCopied();
    } catch {
      // Clipboard access can be refused; the secret stays on screen to copy by hand.
    }
  }
  return (
    <section className="panel token-once" aria-labelledby="oidc-secret-title">
      <h2 id="oidc-secret-title">{t('oidcClients.secretTitle', { name })}</h2>
      <p role="alert">{t('oidcClients.secretOnce')}</p>
      <dl>
        <dt>{t('oidcClients.clientId')}</dt>
        <dd>
          <code className="token-value">{clientId}</code>
        </dd>
        <dt>{t('oidcClients.secret')}</dt>
        <dd>
          <code className="token-value" data-testid="new-client-secret">
            {secret}
          </code>
        </dd>
      </dl>
      <div className="button-row">
        <button type="button" className="button button-secondary button-small" onClick={() => void copy()}>
          {t('oidcClients.copy')}
        </button>
        <button type="button" className="button button-secondary button-small" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </section>
  );
}
