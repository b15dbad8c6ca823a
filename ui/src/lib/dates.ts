// Calendar dates as the user types and reads them. The data holds ISO dates
// ("2026-03-05"); a date field shows and reads them in the order of the
// language's locale (05/03/2026 in Spanish, 03/05/2026 in English), because
// WebKitGTK's own date input ignores the page's language.

import { LOCALES, type Lang } from './lang.svelte';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Year first, as typed: "2026-3-5". */
const YEAR_FIRST = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;

export type DatePart = 'day' | 'month' | 'year';

/** A calendar date at midnight UTC, or null when the parts name no such day. */
export function utcDate(year: number, month: number, day: number): Date | null {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  date.setUTCFullYear(year); // Date.UTC maps years 0–99 to 1900–1999
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date;
}

/** "2026-03-05" as a Date at midnight UTC, or null when it is not a calendar date. */
export function parseIsoDate(text: string): Date | null {
  const match = ISO_DATE.exec(text);
  if (!match) return null;
  return utcDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** A Date's calendar day (read in UTC) as "YYYY-MM-DD". */
export function toIsoDate(date: Date): string {
  const y = String(date.getUTCFullYear()).padStart(4, '0');
  const m = String(date.getUTCMonth() + 1).padStart(2, '0');
  const d = String(date.getUTCDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** Today on the machine's calendar, as "YYYY-MM-DD". */
export function todayIso(now: Date = new Date()): string {
  return toIsoDate(new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())));
}

/** The same day `months` later (or earlier), kept within the month: 31 January + 1 → 28 February. */
export function addMonths(iso: string, months: number): string {
  const date = parseIsoDate(iso);
  if (!date) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${iso}`);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, last));
  return toIsoDate(date);
}

const orders = new Map<Lang, DatePart[]>();

/** The order the locale writes a short date's parts in: day, month, year for es-MX. */
export function dateOrder(lang: Lang): DatePart[] {
  let order = orders.get(lang);
  if (!order) {
    order = new Intl.DateTimeFormat(LOCALES[lang], {
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      timeZone: 'UTC',
    })
      .formatToParts(new Date(Date.UTC(2026, 10, 29)))
      .map((part) => part.type)
      .filter((type): type is DatePart => type === 'day' || type === 'month' || type === 'year');
    orders.set(lang, order);
  }
  return order;
}

/** An ISO date as the field shows it: "05/03/2026" in Spanish. Anything else is shown as it is. */
export function isoToField(iso: string, lang: Lang): string {
  const date = parseIsoDate(iso);
  if (!date) return iso;
  const parts: Record<DatePart, string> = {
    day: String(date.getUTCDate()).padStart(2, '0'),
    month: String(date.getUTCMonth() + 1).padStart(2, '0'),
    year: String(date.getUTCFullYear()).padStart(4, '0'),
  };
  return dateOrder(lang)
    .map((part) => parts[part])
    .join('/');
}

export type ParsedDate = { iso: string } | { empty: true } | { error: 'invalid.not_a_date' };

/**
 * What the user typed, read in the language's order: "5/3/2026", "05-03-2026"
 * and "5.3.2026" are the 5th of March in Spanish and the 3rd of May in
 * English. A year-first date ("2026-03-05") is read as ISO in either language.
 * The year has four digits: "5/3/26" is refused rather than guessed.
 */
export function parseFieldDate(text: string, lang: Lang): ParsedDate {
  const trimmed = text.trim();
  if (trimmed === '') return { empty: true };
  const yearFirst = YEAR_FIRST.exec(trimmed);
  if (yearFirst) {
    const date = utcDate(Number(yearFirst[1]), Number(yearFirst[2]), Number(yearFirst[3]));
    return date ? { iso: toIsoDate(date) } : { error: 'invalid.not_a_date' };
  }
  const pieces = trimmed.split(/\s*[/.\-\s]\s*/);
  if (pieces.length !== 3 || !pieces.every((piece) => /^\d+$/.test(piece))) {
    return { error: 'invalid.not_a_date' };
  }
  const parts = {} as Record<DatePart, string>;
  dateOrder(lang).forEach((part, i) => (parts[part] = pieces[i] ?? ''));
  if (parts.year.length !== 4 || parts.day.length > 2 || parts.month.length > 2) {
    return { error: 'invalid.not_a_date' };
  }
  const date = utcDate(Number(parts.year), Number(parts.month), Number(parts.day));
  return date ? { iso: toIsoDate(date) } : { error: 'invalid.not_a_date' };
}

/**
 * The value a date field gives its form: the ISO date when the text is a
 * date, '' when it is empty, else the text itself, which the form then
 * refuses (a typo is never saved as "no date").
 */
export function fieldValue(text: string, lang: Lang): string {
  const parsed = parseFieldDate(text, lang);
  if ('iso' in parsed) return parsed.iso;
  if ('empty' in parsed) return '';
  return text;
}

/** The weeks of a month for a calendar: 6 rows of 7 days, the first column the locale's first weekday. */
export function monthGrid(year: number, month: number, lang: Lang): Date[][] {
  const first = utcDate(year, month, 1);
  if (!first) throw new RangeError(`no such month: ${year}-${month}`);
  const weekStart = firstWeekday(lang);
  const offset = (first.getUTCDay() - weekStart + 7) % 7;
  const start = new Date(first.getTime() - offset * 86_400_000);
  const weeks: Date[][] = [];
  for (let w = 0; w < 6; w++) {
    const week: Date[] = [];
    for (let d = 0; d < 7; d++) {
      week.push(new Date(start.getTime() + (w * 7 + d) * 86_400_000));
    }
    weeks.push(week);
  }
  return weeks;
}

/** 0 = Sunday … 6 = Saturday: the locale's first day of the week (Sunday for es-MX and en-US). */
export function firstWeekday(lang: Lang): number {
  const locale = new Intl.Locale(LOCALES[lang]) as Intl.Locale & {
    getWeekInfo?: () => { firstDay: number };
    weekInfo?: { firstDay: number };
  };
  const info = locale.getWeekInfo?.() ?? locale.weekInfo;
  // Intl numbers days 1 (Monday) to 7 (Sunday); an engine without week data
  // gets CLDR's answer for both locales.
  return info ? info.firstDay % 7 : 0;
}
