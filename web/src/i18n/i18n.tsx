/**
 * Language: zh-CN or en for every string, number and date. The default comes from the browser
 * (any zh* language picks zh-CN); a choice is remembered in localStorage.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en, type MessageKey } from './en';
import { zhCN } from './zh-cn';

export const languages = ['zh-CN', 'en'] as const;
export type Lang = (typeof languages)[number];
const storageKey = 'tessera.lang';

export function detectLang(stored: string | null, browser: readonly string[]): Lang {
  if (stored === 'zh-CN' || stored === 'en') return stored;
  for (const l of browser) {
    if (/^zh\b/i.test(l)) return 'zh-CN';
    if (/^en\b/i.test(l)) return 'en';
  }
  return 'en';
}

export function format(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

export interface I18n {
  lang: Lang;
  setLang(l: Lang): void;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  /** A number in the language's grouping; `digits` fraction digits at most. */
  n(value: number | null | undefined, digits?: number): string;
  pct(fraction: number | null | undefined, digits?: number): string;
  dateTime(ms: number | null | undefined): string;
  time(ms: number | null | undefined): string;
}

export function makeI18n(lang: Lang, setLang: (l: Lang) => void): I18n {
  const dict = lang === 'zh-CN' ? zhCN : en;
  const nfs = new Map<number, Intl.NumberFormat>();
  const nf = (d: number): Intl.NumberFormat => {
    let f = nfs.get(d);
    if (!f) nfs.set(d, (f = new Intl.NumberFormat(lang, { maximumFractionDigits: d })));
    return f;
  };
  const dtf = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const tf = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const unknown = dict['common.unknown'];
  return {
    lang,
    setLang,
    t: (key, vars) => format(dict[key], vars),
    n: (v, digits = 1) => (v === null || v === undefined || !Number.isFinite(v) ? unknown : nf(digits).format(v)),
    pct: (f, digits = 1) => (f === null || f === undefined || !Number.isFinite(f) ? unknown : new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: digits }).format(f)),
    dateTime: (ms) => (ms === null || ms === undefined ? '—' : dtf.format(new Date(ms))),
    time: (ms) => (ms === null || ms === undefined ? '—' : tf.format(new Date(ms))),
  };
}

const Ctx = createContext<I18n>(makeI18n('en', () => undefined));

function readStored(): string | null {
  try {
    return localStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Lang }) {
  const [lang, setLangState] = useState<Lang>(() => initial ?? detectLang(readStored(), typeof navigator === 'undefined' ? [] : navigator.languages));
  const setLang = useCallback((l: Lang) => {
    try {
      localStorage.setItem(storageKey, l);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
    setLangState(l);
  }, []);
  const value = useMemo(() => makeI18n(lang, setLang), [lang, setLang]);
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  return useContext(Ctx);
}
