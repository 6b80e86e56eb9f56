import type { Lang } from './i18n/index.tsx';

type Named = { nameZh: string; nameEn: string };

/** An organization's or subsystem's name in the UI language, falling back to the other one. */
export function localName(item: Named, lang: Lang): string {
  return lang === 'en' ? item.nameEn || item.nameZh : item.nameZh || item.nameEn;
}

export function formatDateTime(value: string | null | undefined, lang: Lang): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatDate(value: string | null | undefined, lang: Lang): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium' }).format(date);
}

/** A datetime-local value ("2026-01-31T08:00") read as local time, as an ISO instant. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
