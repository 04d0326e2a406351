import { describe, expect, it } from 'vitest';
import { en } from './en';
import { detectLang, format, makeI18n } from './i18n';
import { zhCN } from './zh-cn';

describe('language', () => {
  it('defaults from the browser and prefers a remembered choice', () => {
    expect(detectLang(null, ['zh-TW', 'en'])).toBe('zh-CN');
    expect(detectLang(null, ['fr-FR', 'en-GB'])).toBe('en');
    expect(detectLang(null, ['fr-FR'])).toBe('en');
    expect(detectLang('en', ['zh-CN'])).toBe('en');
    expect(detectLang('klingon', ['zh-CN'])).toBe('zh-CN');
  });
  it('translates every key, keeping the placeholders', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(zhCN[key], key).toBeTruthy();
      const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(vars(zhCN[key]), key).toEqual(vars(en[key]));
    }
  });
  it('formats numbers, percentages and dates per language', () => {
    const zh = makeI18n('zh-CN', () => undefined);
    const e = makeI18n('en', () => undefined);
    expect(e.n(22832, 0)).toBe('22,832');
    expect(e.pct(0.125)).toBe('12.5%');
    expect(e.n(null)).toBe('unknown');
    expect(zh.n(Number.NaN)).toBe('未知');
    expect(zh.t('services.ready', { ready: 1, want: 2 })).toBe('2 个中 1 个就绪');
    const when = Date.UTC(2026, 10, 29, 8, 0, 0);
    expect(zh.dateTime(when)).toMatch(/2026年11月29日/);
    expect(e.dateTime(when)).toMatch(/Nov 29, 2026/);
  });
  it('leaves unknown placeholders visible', () => {
    expect(format('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});
