// The public pages: a region's home (one search box, life and business events, new open data,
// the cities), the search results across sources, and an event's page.
import { PORTAL_EVENTS, type PortalEvent } from '../events.ts';
import type { Region } from '../regions.ts';
import type { SearchSection } from '../search.ts';
import { escapeHtml, say, t, type Lang, type Text } from '../text.ts';

/** Why the home page says something first: a sign-in that came back, a sign-out. */
export type HomeNotice = 'failed' | 'cancelled' | 'not-citizen' | 'signed-out' | undefined;

const NOTICES: Record<Exclude<HomeNotice, undefined>, Text> = {
  failed: { zh: '登录未完成，请重试。', en: 'Signing in did not complete. Try again.' },
  cancelled: { zh: '您已取消登录。', en: 'You cancelled signing in.' },
  'not-citizen': { zh: '门户面向个人和企业用户；工作人员请从工作台登录。', en: 'The portal is for citizens and businesses; staff sign in to the workbench.' },
  'signed-out': { zh: '您已安全退出。', en: 'You have signed out.' },
};

export function searchForm(lang: Lang, action: string, q: string, label: Text): string {
  return `<form class="search" role="search" method="get" action="${escapeHtml(action)}">
<label for="q" class="visually-hidden">${say(lang, label)}</label>
<input type="search" id="q" name="q" value="${escapeHtml(q)}" maxlength="100" placeholder="${say(lang, { zh: '搜索服务、政务公开和开放数据', en: 'Search services, disclosures and open data' })}">
<input type="hidden" name="lang" value="${lang}">
<button type="submit">${say(lang, { zh: '搜索', en: 'Search' })}</button>
</form>`;
}

const eventCard = (lang: Lang, base: string, e: PortalEvent) => `<li class="card"><a href="${escapeHtml(`${base}events/${e.slug}?lang=${lang}`)}">${say(lang, e.name)}</a><p>${say(lang, e.summary)}</p></li>`;

export function sectionsHtml(lang: Lang, sections: SearchSection[], q: string, headingLevel: 2 | 3 = 2): string {
  const h = `h${headingLevel}`;
  return sections
    .map((s) => {
      const title = say(lang, s.source.title);
      if (s.failed) return `<${h}>${title}</${h}><p class="notice">${say(lang, { zh: '这部分暂时无法检索，请稍后再试。', en: 'This part cannot be searched just now. Try again later.' })}</p>`;
      if (s.hits.length === 0) return `<${h}>${title}</${h}><p>${say(lang, { zh: '没有找到相关内容。', en: 'Nothing found.' })}</p>`;
      const items = s.hits
        .map((hit) => `<li><a href="${escapeHtml(hit.href)}">${escapeHtml(hit.title)}</a>${hit.summary ? `<p>${escapeHtml(hit.summary)}</p>` : ''}${hit.meta.length ? `<p class="meta">${hit.meta.map(escapeHtml).join(' · ')}</p>` : ''}</li>`)
        .join('');
      const more = s.total > s.hits.length ? `<p><a href="${escapeHtml(s.source.moreHref(q, lang))}">${escapeHtml(t(lang, { zh: `查看全部 ${s.total} 条`, en: `See all ${s.total}` }))}</a></p>` : '';
      return `<${h}>${title} <span class="meta">(${s.total})</span></${h}><ul class="results">${items}</ul>${more}`;
    })
    .join('\n');
}

export function homeBody(p: { lang: Lang; region: Region | undefined; regionName: Text; base: string; notice: HomeNotice; latest: SearchSection[]; cities: Region[]; province?: Region }): string {
  const { lang } = p;
  const notice = p.notice ? `<p class="notice" role="status">${say(lang, NOTICES[p.notice])}</p>` : '';
  const events = (audience: PortalEvent['audience']) => PORTAL_EVENTS.filter((e) => e.audience === audience).map((e) => eventCard(lang, p.base, e)).join('');
  const cities = p.cities.length
    ? `<h2 id="cities">${say(lang, { zh: '市级门户', en: 'City portals' })}</h2><ul class="grid">${p.cities.map((c) => `<li class="card"><a href="${escapeHtml(`${c.home}?lang=${lang}`)}">${say(lang, c.name)}</a></li>`).join('')}</ul>`
    : '';
  const up = p.province ? `<p><a href="${escapeHtml(`/?lang=${lang}`)}">${escapeHtml(t(lang, { zh: `返回${p.province.name.zh}门户`, en: `Back to the ${p.province.name.en} portal` }))}</a></p>` : '';
  return `${notice}
<h1>${escapeHtml(t(lang, { zh: `${p.regionName.zh}政务服务`, en: `${p.regionName.en}: government services` }))}</h1>
${searchForm(lang, `${p.base}search`, '', { zh: '搜索', en: 'Search' })}
<h2 id="life-events">${say(lang, { zh: '个人办事：按人生事件', en: 'For citizens: by life event' })}</h2>
<ul class="grid">${events('citizen')}</ul>
<h2 id="business-events">${say(lang, { zh: '法人办事：按经营事件', en: 'For businesses: by business event' })}</h2>
<ul class="grid">${events('enterprise')}</ul>
${sectionsHtml(lang, p.latest, '')}
${cities}
${up}`;
}

export function searchBody(lang: Lang, base: string, q: string, sections: SearchSection[], error?: Text): string {
  const heading = q ? escapeHtml(t(lang, { zh: `“${q}”的搜索结果`, en: `Results for “${q}”` })) : say(lang, { zh: '搜索', en: 'Search' });
  const problem = error ? `<div class="error-summary" role="alert"><h2>${say(lang, { zh: '请修改搜索词', en: 'Change your search' })}</h2><p><a href="#q">${say(lang, error)}</a></p></div>` : '';
  return `<h1>${heading}</h1>${problem}${searchForm(lang, `${base}search`, q, { zh: '搜索', en: 'Search' })}${q && !error ? sectionsHtml(lang, sections, q) : ''}`;
}

export function eventBody(lang: Lang, base: string, event: PortalEvent, sections: SearchSection[]): string {
  return `<p><a href="${escapeHtml(`${base}?lang=${lang}#${event.audience === 'citizen' ? 'life-events' : 'business-events'}`)}">${say(lang, event.audience === 'citizen' ? { zh: '个人办事', en: 'For citizens' } : { zh: '法人办事', en: 'For businesses' })}</a></p>
<h1>${say(lang, event.name)}</h1>
<p>${say(lang, event.summary)}</p>
${sectionsHtml(lang, sections, event.terms.join(' '))}`;
}
