import type { ReactNode } from 'react';
import type { Page } from '../api.ts';
import type { Resource } from '../hooks.ts';
import { Pager } from './pager.tsx';
import { Loaded } from './status.tsx';

/**
 * A panel of paged search results: a heading with the total, the results (busy while a new
 * page loads) and the pager. `announceCount` makes screen readers read out a new total.
 */
export function ResultsSection<T>({
  titleId,
  title,
  count,
  announceCount,
  results,
  offset,
  limit,
  onPage,
  children,
}: {
  titleId: string;
  title: string;
  count: (total: number) => string;
  announceCount?: boolean;
  results: Resource<Page<T>>;
  offset: number;
  limit: number;
  onPage: (offset: number) => void;
  children: (items: T[]) => ReactNode;
}) {
  return (
    <section className="panel" aria-labelledby={titleId} aria-busy={results.loading}>
      <div className="section-head">
        <h2 id={titleId}>{title}</h2>
        {results.data && (
          <p className="muted" role={announceCount ? 'status' : undefined}>
            {count(results.data.total)}
          </p>
        )}
      </div>
      <Loaded resource={results}>
        {(page) => (
          <>
            {children(page.items)}
            <Pager offset={offset} limit={limit} total={page.total} onChange={onPage} />
          </>
        )}
      </Loaded>
    </section>
  );
}
