// The language of a server-rendered page (the provider's sign-in, the portal): an explicit
// choice (?lang= or a form's hidden field) wins, then the browser's Accept-Language; Chinese
// when nothing says otherwise.
export type Lang = 'zh-CN' | 'en';

export function pickLang(explicit: unknown, acceptLanguage: string | undefined): Lang {
  if (explicit === 'en' || explicit === 'zh-CN') return explicit;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? '1');
      return { tag, q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((l) => l.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

export const t = (lang: Lang, text: { zh: string; en: string }) => (lang === 'en' ? text.en : text.zh);
