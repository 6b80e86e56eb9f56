import { useEffect, useState } from 'react';
import { queryString } from '../api.ts';
import { navigate, useLocation } from '../router.tsx';

type Filters = Record<string, string>;

function readFilters<F extends Filters>(search: URLSearchParams, defaults: F): F {
  const out = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof F & string)[]) out[key] = (search.get(key) ?? defaults[key]) as F[keyof F & string];
  return out;
}

/**
 * A search page's filters, kept in the URL so a view can be bookmarked: `applied` and `offset`
 * are what the URL asks for, `filters` what the form shows. A filter at its default value is
 * left out of the URL.
 */
export function useUrlFilters<F extends Filters>(path: string, defaults: F) {
  const { search, href } = useLocation();
  const applied = readFilters(search, defaults);
  const offset = Math.max(0, Number(search.get('offset') ?? 0) || 0);
  const [filters, setFilters] = useState<F>(applied);
  // Back and forward change the URL; keep the form showing what the results are for.
  useEffect(() => setFilters(readFilters(new URL(href, window.location.origin).searchParams, defaults)), [href]);

  function go(next: F, nextOffset = 0) {
    const query: Record<string, string | number> = {};
    for (const key of Object.keys(next)) query[key] = next[key] === defaults[key] ? '' : next[key];
    navigate(`${path}${queryString({ ...query, offset: nextOffset || '' })}`);
  }

  function clear() {
    setFilters(defaults);
    go(defaults);
  }

  const set = (key: keyof F) => (value: string) => setFilters((f) => ({ ...f, [key]: value }));
  return { href, applied, offset, filters, set, go, clear };
}
