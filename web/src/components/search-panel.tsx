import type { FormEvent, ReactNode } from 'react';
import { useT } from '../i18n/index.tsx';

/**
 * A panel with a search form (role="search", named by the panel's heading), its fields and a
 * search button, and a clear button when `onClear` is given. Without a `title` the heading
 * says "search" to assistive technology only.
 */
export function SearchPanel({ formId, title, onSearch, onClear, children }: { formId: string; title?: string; onSearch: () => void; onClear?: () => void; children: ReactNode }) {
  const t = useT();
  const titleId = `${formId}-title`;
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSearch();
  }
  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 id={titleId} className={title ? undefined : 'visually-hidden'}>
        {title ?? t('common.search')}
      </h2>
      <form className="filters" role="search" onSubmit={submit} aria-labelledby={titleId}>
        {children}
        <div className="button-row filters-buttons">
          <button type="submit" className="button">
            {t('common.search')}
          </button>
          {onClear && (
            <button type="button" className="button button-secondary" onClick={onClear}>
              {t('common.clear')}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
