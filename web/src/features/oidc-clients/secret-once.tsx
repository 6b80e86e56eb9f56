// A new client secret, shown once: the server keeps it only sealed, so this is the one chance
// to copy it.
import { ShownOnce } from '../../components/shown-once.tsx';
import { useI18n } from '../../i18n/index.tsx';

export function SecretOnce({ name, clientId, secret, onCopied, onClose }: { name: string; clientId: string; secret: string; onCopied: () => void; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <ShownOnce titleId="oidc-secret-title" title={t('oidcClients.secretTitle', { name })} warning={t('oidcClients.secretOnce')} value={secret} copyLabel={t('oidcClients.copy')} onCopied={onCopied} onClose={onClose}>
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
    </ShownOnce>
  );
}
