import { useT } from '../i18n/index.tsx';

export function Pager({ offset, limit, total, onChange }: { offset: number; limit: number; total: number; onChange: (offset: number) => void }) {
  const t = useT();
  if (total === 0) return null;
  const from = offset + 1;
  const to = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label={t('common.pagination')}>
      <button type="button" className="button button-secondary button-small" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>
        {t('common.previous')}
      </button>
      <span className="pager-info">{t('common.pageInfo', { from, to, total })}</span>
      <button type="button" className="button button-secondary button-small" disabled={to >= total} onClick={() => onChange(offset + limit)}>
        {t('common.next')}
      </button>
    </nav>
  );
}
