// The top of every page, signed in or not: the skip link, the header bar with the product's
// name, and the language switch that goes in it.
import type { ReactNode } from 'react';
import { useI18n, type Lang, type MessageKey } from '../i18n/index.tsx';
import { Link } from '../router.tsx';

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  const choices: { value: Lang; label: MessageKey }[] = [
    { value: 'zh-CN', label: 'lang.zh' },
    { value: 'en', label: 'lang.en' },
  ];
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.label')}>
      {choices.map((choice) => (
        <button
          key={choice.value}
          type="button"
          lang={choice.value}
          aria-pressed={lang === choice.value}
          className={lang === choice.value ? 'lang-current' : undefined}
          onClick={() => setLang(choice.value)}
        >
          {t(choice.label)}
        </button>
      ))}
    </div>
  );
}

export function SkipLink() {
  const { t } = useI18n();
  return (
    <a className="skip-link" href="#main">
      {t('app.skipToContent')}
    </a>
  );
}

/** The header bar: the product's name (a link home when `linkHome`), then the page's tools. */
export function AppHeader({ linkHome, children }: { linkHome?: boolean; children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-emblem" aria-hidden="true" />
        {linkHome ? (
          <Link to="/workbench" className="brand-name">
            {t('app.name')}
          </Link>
        ) : (
          <span className="brand-name">{t('app.name')}</span>
        )}
      </div>
      <div className="header-tools">{children}</div>
    </header>
  );
}
