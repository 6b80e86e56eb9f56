// The service catalog's published guides as a source of the portal's search, and of the
// events' pages (a service tagged with an event is listed there whatever the words).
import type { ServiceView } from '../../services/index.ts';
import type { SearchSource } from '../search.ts';

export type ServiceSearch = (q: string, options: { orgIds?: string[]; event?: string; limit: number }) => Promise<{ total: number; items: ServiceView[] }>;

const VISITS = { zh: ['全程网办', '最多跑一次'], en: ['Fully online', 'One visit at most'] };

export function servicesSource(search: ServiceSearch): SearchSource {
  return {
    key: 'services',
    title: { zh: '办事服务', en: 'Services' },
    moreHref: (q, lang) => `/search?${new URLSearchParams({ q, lang })}`,
    async search(q, lang, limit, scope) {
      const zh = lang === 'zh-CN';
      const found = await search(scope.event ? '' : q, { limit, ...(scope.orgIds ? { orgIds: scope.orgIds } : {}), ...(scope.event ? { event: scope.event } : {}) });
      return {
        total: found.total,
        hits: found.items.map((s) => ({
          title: zh ? s.nameZh : s.nameEn,
          href: `/services/${encodeURIComponent(s.code)}?lang=${lang}`,
          summary: zh ? s.summaryZh : s.summaryEn,
          meta: [zh ? s.orgNameZh : s.orgNameEn, (zh ? VISITS.zh : VISITS.en)[s.visits]!, zh ? `承诺 ${s.promisedDays} 个工作日` : `${s.promisedDays} working days promised`],
        })),
      };
    },
  };
}
