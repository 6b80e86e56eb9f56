// A new client token, shown once: the server keeps only its hash, so this is the one chance
// to copy it.
import { useI18n } from '../../i18n/index.tsx';

export function ClientToken({ token, subsystem, onCopied, onClose }: { token: string; subsystem: string; onCopied: () => void; onClose: () => void }) {
  const { t } = useI18n();
  async function copy() {
    try {
      await navigator.clipboard.writeText(token);
      onCopied();
    } catch {
      // Clipboard access can be refused; the token stays on screen to copy by hand.
    }
  }
  return (
    <section className="panel token-once" aria-labelledby="client-token-title">
      <h2 id="client-token-title">{t('exchange.client.tokenTitle', { subsystem })}</h2>
      <p role="alert">{t('exchange.client.tokenOnce')}</p>
      <p>
        <code className="token-value" data-testid="new-client-token">
          {token}
        </code>
      </p>
      <p>{t('exchange.client.tokenUse')}</p>
      <div className="button-row">
        <button type="button" className="button button-secondary button-small" onClick={() => void copy()}>
          {t('exchange.client.copy')}
        </button>
        <button type="button" className="button button-secondary button-small" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </section>
  );
}
