// The open data site's datasets as a source of the portal's search: the catalog's search over
// open entries, each linking to its page on the open data site.
import type { SearchSource } from '../search.ts';

/** The catalog's open dataset search (catalog.openData.service.list). */
export type OpenDataList = (query: Record<string, unknown>, zh: boolean) => Promise<{ total: number; items: { id: string; nameZh: string; nameEn: string; abstractZh: string; abstractEn: string; provider: { id: string; nameZh: string; nameEn: string }; publishedAt: string }[] }>;

// The catalog's provider facet takes at most this many values at once.
const MAX_PROVIDERS = 20;
const WIDE_PAGE = 100;

export function openDataSource(list: OpenDataList): SearchSource {
  return {
    key: 'open-data',
    title: { zh: '开放数据', en: 'Open data' },
    moreHref: (q, lang) => `/open?${new URLSearchParams({ ...(q ? { q } : {}), lang })}`,
    async search(q, lang, limit, scope) {
      const zh = lang === 'zh-CN';
      const orgs = scope.orgIds;
      // A region with more departments than the facet takes is filtered here instead, from a wider page.
      const narrow = orgs && orgs.length <= MAX_PROVIDERS;
      const found = await list({ ...(q ? { q } : {}), pageSize: String(orgs && !narrow ? WIDE_PAGE : limit), ...(narrow ? { provider: orgs } : {}) }, zh);
      const items = orgs && !narrow ? found.items.filter((i) => orgs.includes(i.provider.id)) : found.items;
      return {
        total: orgs && !narrow ? items.length : found.total,
        hits: items.slice(0, limit).map((i) => ({
          title: zh ? i.nameZh : i.nameEn || i.nameZh,
          href: `/open/datasets/${encodeURIComponent(i.id)}?lang=${lang}`,
          summary: zh ? i.abstractZh : i.abstractEn || i.abstractZh,
          meta: [zh ? i.provider.nameZh : i.provider.nameEn],
        })),
      };
    },
  };
}
