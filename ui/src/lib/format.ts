// Display formatting of numbers, money, dates and hours for the current
// language's locale. These functions only present values the core computed;
// they never compute a figure.

import { CURRENCY_EXPONENTS, type NumberFormat } from './bindings';
import { parseIsoDate } from './dates';
import { language, LOCALES, type Lang } from './lang.svelte';
import { MARKS, numberFormat } from './numberFormat.svelte';

/**
 * Formats with Intl (currency symbols, units, the language's words) and puts
 * the office's grouping and decimal marks in place of the locale's.
 */
function withMarks(
  formatter: Intl.NumberFormat,
  value: number,
  format: NumberFormat = numberFormat.current,
): string {
  const marks = MARKS[format];
  return formatter
    .formatToParts(value)
    .map((part) =>
      part.type === 'group' ? marks.group : part.type === 'decimal' ? marks.decimal : part.value,
    )
    .join('');
}

function localeFor(lang: Lang | undefined): string {
  return LOCALES[lang ?? language.current];
}

/**
 * The number of minor-unit digits of an ISO 4217 currency: 2 for MXN and USD,
 * 0 for JPY, 3 for KWD: the core's table (bindings.ts), so the screens and the
 * core read and show an amount with the same decimals.
 */
export function currencyExponent(currency: string): number {
  return CURRENCY_EXPONENTS[currency.toUpperCase()] ?? 2;
}

/**
 * Money is an integer count of minor units plus a currency code (never a
 * float in the data). `formatMoney(123456, 'MXN', 'es')` → "$1,234.56".
 */
export function formatMoney(minorUnits: number, currency: string, lang?: Lang): string {
  if (!Number.isSafeInteger(minorUnits)) {
    throw new RangeError(`money must be a whole number of minor units, got ${minorUnits}`);
  }
  const exponent = currencyExponent(currency);
  const major = minorUnits / 10 ** exponent;
  const formatter = new Intl.NumberFormat(localeFor(lang), {
    style: 'currency',
    currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  });
  return withMarks(formatter, major);
}

/**
 * Minor units as the amount a form's input shows, in the office's format and
 * without grouping: 150050 MXN → "1500.50" (or "1500,50").
 */
export function minorToInput(minor: number, currency: string): string {
  let exponent = 2;
  try {
    exponent = currencyExponent(currency || 'MXN');
  } catch {
    exponent = 2;
  }
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  const decimal = MARKS[numberFormat.current].decimal;
  return `${negative ? '-' : ''}${whole}${exponent ? decimal + fraction : ''}`;
}

/** A plain number as a form's input shows it: no grouping, the office's decimal mark. */
export function numberToInput(value: number): string {
  // Never an exponent ("1e-7"): the core reads plain digits only.
  const plain = value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
  return plain.replace('.', MARKS[numberFormat.current].decimal);
}

/** A plain number in the locale's grouping and decimal marks. */
export function formatNumber(
  value: number,
  lang?: Lang,
  options: Intl.NumberFormatOptions = { maximumFractionDigits: 2 },
): string {
  return withMarks(new Intl.NumberFormat(localeFor(lang), options), value);
}

/**
 * A calendar date ("2026-03-05") as the locale writes it. The date is never
 * moved by the machine's time zone: it is built and formatted in UTC.
 */
export function formatDate(
  isoDate: string,
  lang?: Lang,
  style: 'short' | 'medium' | 'long' = 'medium',
): string {
  const date = parseIsoDate(isoDate);
  if (!date) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${isoDate}`);
  }
  return new Intl.DateTimeFormat(localeFor(lang), {
    dateStyle: style,
    timeZone: 'UTC',
  }).format(date);
}

/**
 * A moment (Unix milliseconds: a save, a merge, a backup) in the machine's
 * time zone: "29 nov 2026, 21:55", or the day alone.
 */
export function formatMoment(ms: number, lang?: Lang, withTime = true): string {
  return new Intl.DateTimeFormat(localeFor(lang), {
    dateStyle: 'medium',
    timeStyle: withTime ? 'short' : undefined,
  }).format(new Date(ms));
}

/** Hours of work, e.g. "12.5 h"; at most one decimal. */
export function formatHours(hours: number, lang?: Lang): string {
  const formatter = new Intl.NumberFormat(localeFor(lang), {
    style: 'unit',
    unit: 'hour',
    unitDisplay: 'short',
    maximumFractionDigits: 1,
  });
  return withMarks(formatter, hours);
}

/** A path's last part: the file's name without its folder. */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}
