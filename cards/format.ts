// Numbers as people read them in each language (German: 3,8 · 42 % · −5), shared by every card that
// shows figures, so that the same figure reads the same on every surface.
import type { Locale } from '../src/i18n';

const numberLocale = (locale: Locale) => (locale === 'en' ? 'en-GB' : 'de-DE');

const cache = new Map<string, Intl.NumberFormat>();
function formatter(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Intl.NumberFormat(numberLocale(locale), options)));
  return f;
}

/** 1.234 (de) / 1,234 (en). */
export function integer(n: number, locale: Locale): string {
  return formatter(locale, { maximumFractionDigits: 0 }).format(n);
}

/** One decimal: 3,8 (de) / 3.8 (en). */
export function decimal(n: number, locale: Locale): string {
  return formatter(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(n);
}

/**
 * +12, 0, −12 (whole numbers), or with `digits` decimals: +0,3. Negatives carry the minus sign (U+2212)
 * that the scale texts use ("−100 bis +100"), not a hyphen, which screen readers may read as a dash.
 * For cards only: files (CSV, XLSX) carry plain numbers.
 */
export function signed(n: number, locale: Locale, digits = 0): string {
  return formatter(locale, {
    signDisplay: 'exceptZero',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  })
    .format(Number(n.toFixed(digits)) || 0)
    .replace('-', '\u2212');
}

/** A share 0…1 as a whole percentage: "42 %" (de) / "42%" (en). */
export function percent(share: number, locale: Locale): string {
  return formatter(locale, { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

/** count / base as a percentage; "0 %" without a base. */
export function shareOf(count: number, base: number, locale: Locale): string {
  return percent(base > 0 ? count / base : 0, locale);
}

/**
 * Element ids of the figures on cards: every shown figure sits in a TextBlock with such an id, so
 * that tests (and screen-reader checks) can read each figure back from any surface. `prefix`
 * separates runs on a card that shows several (the digest).
 */
export const figureIds = {
  participation: (prefix: string, stat: 'audience' | 'delivered' | 'respondents' | 'rate') =>
    `${prefix}p.${stat}`,
  count: (prefix: string, questionId: string, key: string) => `${prefix}q.${questionId}.n.${key}`,
  share: (prefix: string, questionId: string, key: string) => `${prefix}q.${questionId}.s.${key}`,
  stat: (prefix: string, questionId: string, stat: 'answered' | 'mean' | 'nps' | 'change' | 'texts') =>
    `${prefix}q.${questionId}.${stat}`,
  field: (prefix: string, field: string, stat: 'index' | 'change' = 'index') => `${prefix}f.${field}.${stat}`,
  district: (prefix: string, district: string, column: string) => `${prefix}d.${district}.${column}`,
};

/** The NPS answer groups the cards show: 0–6 (detractors), 7–8 (passives), 9–10 (promoters). */
export const NPS_GROUPS = [
  { key: 'g0-6', from: 0, to: 6, name: 'detractors' },
  { key: 'g7-8', from: 7, to: 8, name: 'passives' },
  { key: 'g9-10', from: 9, to: 10, name: 'promoters' },
] as const;
