// Suggests divisions (GB/T 2260) for what is typed in the division code field, by code or
// by place name, and fills in the code when one is chosen.
import { api, type Division } from '../../api.ts';
import { useDebounced, useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';

const MAX_SHOWN = 8;

export function DivisionLookup({ query, onPick, id }: { query: string; onPick: (code: string) => void; id: string }) {
  const { t } = useI18n();
  const q = useDebounced(query.trim(), 250);
  const result = useResource(() => (q ? api.get<{ items: Division[] }>('/api/divisions', { q }) : Promise.resolve({ items: [] })), q);
  const items = result.data?.items ?? [];
  const exact = items.find((d) => d.code === q);
  const shown = exact ? [] : items.slice(0, MAX_SHOWN);

  return (
    <div className="division-lookup" id={id}>
      <p className="division-status" aria-live="polite">
        {!q
          ? null
          : result.loading
            ? t('org.division.searching')
            : exact
              ? `${exact.code} ${exact.name}（${t(`level.${exact.level}`)}）`
              : items.length === 0
                ? t('org.division.none')
                : t('org.division.matches')}
      </p>
      {shown.length > 0 && !result.loading && (
        <ul className="division-list">
          {shown.map((division) => (
            <li key={division.code}>
              <button type="button" className="button button-secondary button-small" onClick={() => onPick(division.code)}>
                <span className="visually-hidden">{t('org.division.use')} </span>
                <span className="mono">{division.code}</span> {division.name} <span className="muted">{t(`level.${division.level}`)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
