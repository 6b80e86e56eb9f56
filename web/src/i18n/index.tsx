// Language state and message lookup. The choice is remembered in localStorage and mirrored
// on <html lang> so that screen readers pronounce the page in the right language.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { setApiLanguage } from '../api.ts';
import { en } from './en.ts';
import { zhCN, type MessageKey } from './zh-CN.ts';

export type Lang = 'zh-CN' | 'en';
export type { MessageKey };
export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

export const LANG_STORAGE_KEY = 'egov.lang';
const catalogs: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

function interpolate(message: string, vars?: Vars): string {
  if (!vars) return message;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(LANG_STORAGE_KEY);
    if (stored === 'en' || stored === 'zh-CN') return stored;
  } catch {
    // Storage can be disabled; the default is fine then.
  }
  return 'zh-CN';
}

type I18n = {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
  /** Looks up a key built at run time (for example from an error code); undefined if absent. */
  lookup: (key: string, vars?: Vars) => string | undefined;
};

const I18nContext = createContext<I18n | undefined>(undefined);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);

  // Set before children render their first request, so Accept-Language is right from the start.
  setApiLanguage(lang);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const setLang = useCallback((next: Lang) => {
    try {
      localStorage.setItem(LANG_STORAGE_KEY, next);
    } catch {
      // Not remembered, but still switched for this page.
    }
    setLangState(next);
  }, []);

  const value = useMemo<I18n>(() => {
    const catalog = catalogs[lang];
    const t: Translate = (key, vars) => interpolate(catalog[key], vars);
    const lookup = (key: string, vars?: Vars) =>
      Object.hasOwn(catalog, key) ? interpolate(catalog[key as MessageKey], vars) : undefined;
    return { lang, setLang, t, lookup };
  }, [lang, setLang]);

  return <I18nContext value={value}>{children}</I18nContext>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}

export function useT(): Translate {
  return useI18n().t;
}
