// Words on the portal's pages, in both languages, and the helpers every page uses.
import { escapeHtml } from '../../platform/html.ts';
import { t, type Lang } from '../../platform/language.ts';

export type Text = { zh: string; en: string };
export { escapeHtml, t, type Lang };

/** Escaped text in the page's language. */
export const say = (lang: Lang, text: Text) => escapeHtml(t(lang, text));

/** A date and time as people there read it (China Standard Time). */
export function when(lang: Lang, iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(date);
}

/** A link to the same page in the page's language, keeping what else the address says. */
export function withLang(path: string, lang: Lang): string {
  const url = new URL(path, 'http://portal.invalid');
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}
