// A secret the server keeps only hashed or sealed (an API token, a client token, a client
// secret), shown once after it is made: this panel is the one chance to copy it. Callers give
// the texts and what to show; the panel gives the warning, the copy and close buttons.
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/index.tsx';

export function ShownOnce({ titleId, title, warning, value, copyLabel, onCopied, onClose, children }: { titleId: string; title: string; warning: string; value: string; copyLabel: string; onCopied: () => void; onClose: () => void; children: ReactNode }) {
  const { t } = useI18n();
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      onCopied();
    } catch {
      // Clipboard access can be refused; the value stays on screen to copy by hand.
    }
  }
  return (
    <section className="panel token-once" aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      <p role="alert">{warning}</p>
      {children}
      <div className="button-row">
        <button type="button" className="button button-secondary button-small" onClick={() => void copy()}>
          {copyLabel}
        </button>
        <button type="button" className="button button-secondary button-small" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </section>
  );
}
