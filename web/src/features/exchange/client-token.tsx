// A new client token, shown once: the server keeps only its hash, so this is the one chance
// to copy it.
import { ShownOnce } from '../../components/shown-once.tsx';
import { useI18n } from '../../i18n/index.tsx';

export function ClientToken({ token, subsystem, onCopied, onClose }: { token: string; subsystem: string; onCopied: () => void; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <ShownOnce titleId="client-token-title" title={t('exchange.client.tokenTitle', { subsystem })} warning={t('exchange.client.tokenOnce')} value={token} copyLabel={t('exchange.client.copy')} onCopied={onCopied} onClose={onClose}>
      <p>
        <code className="token-value" data-testid="new-client-token">
          {token}
        </code>
      </p>
      <p>{t('exchange.client.tokenUse')}</p>
    </ShownOnce>
  );
}
