// The anchor a new node is installed with, for the platform admin to hand over. A plain link:
// the API answers with the file as an attachment, and same-origin cookies sign the request.
import { useI18n } from '../../i18n/index.tsx';

export function AnchorPanel() {
  const { t } = useI18n();
  return (
    <section className="panel" aria-labelledby="anchor-title">
      <h2 id="anchor-title">{t('exchange.anchor.title')}</h2>
      <p>{t('exchange.anchor.intro')}</p>
      <p>
        <a className="button" href="/api/exchange/anchor" download="anchor.json">
          {t('exchange.anchor.download')}
        </a>
      </p>
    </section>
  );
}
