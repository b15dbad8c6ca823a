import { describe, expect, it } from 'vitest';
import {
  addMonths,
  dateOrder,
  fieldValue,
  firstWeekday,
  isoToField,
  monthGrid,
  parseFieldDate,
  parseIsoDate,
  todayIso,
  toIsoDate,
} from './dates';
import { es } from './locales/es';
import { en } from './locales/en';

describe('dateOrder', () => {
  it('reads the order of a short date from the locale', () => {
    expect(dateOrder('es')).toEqual(['day', 'month', 'year']);
    expect(dateOrder('en')).toEqual(['month', 'day', 'year']);
  });

  it('matches the placeholder each language shows', () => {
    const initials = (lang: 'es' | 'en') =>
      dateOrder(lang)
        .map((part) => ({ es: { day: 'dd', month: 'mm', year: 'aaaa' }, en: { day: 'dd', month: 'mm', year: 'yyyy' } })[lang][part])
        .join('/');
    expect(es['date.placeholder']).toBe(initials('es'));
    expect(en['date.placeholder']).toBe(initials('en'));
    expect(es['error.invalid.not_a_date']).toContain(initials('es'));
    expect(en['error.invalid.not_a_date']).toContain(initials('en'));
  });
});

describe('parseIsoDate', () => {
  it('takes only real calendar dates written YYYY-MM-DD', () => {
    expect(parseIsoDate('2024-02-29')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(parseIsoDate('2026-02-29')).toBeNull();
    expect(parseIsoDate('2026-13-01')).toBeNull();
    expect(parseIsoDate('2026-3-5')).toBeNull();
    expect(parseIsoDate(' 2026-03-05')).toBeNull();
    expect(parseIsoDate('05/03/2026')).toBeNull();
    expect(parseIsoDate('')).toBeNull();
  });

  it('keeps years before 100 as written', () => {
    expect(toIsoDate(parseIsoDate('0050-01-31') as Date)).toBe('0050-01-31');
  });
});

describe('isoToField', () => {
  it('writes the date in the language order, with two-digit day and month', () => {
    expect(isoToField('2026-03-05', 'es')).toBe('05/03/2026');
    expect(isoToField('2026-03-05', 'en')).toBe('03/05/2026');
  });

  it('leaves what is not a date as it is', () => {
    expect(isoToField('', 'es')).toBe('');
    expect(isoToField('5/3', 'es')).toBe('5/3');
  });
});

describe('parseFieldDate', () => {
  it('reads day first in Spanish and month first in English', () => {
    expect(parseFieldDate('5/3/2026', 'es')).toEqual({ iso: '2026-03-05' });
    expect(parseFieldDate('5/3/2026', 'en')).toEqual({ iso: '2026-05-03' });
    expect(parseFieldDate('31/12/2026', 'es')).toEqual({ iso: '2026-12-31' });
    expect(parseFieldDate('12/31/2026', 'en')).toEqual({ iso: '2026-12-31' });
  });

  it('takes dashes, dots and spaces as separators', () => {
    for (const text of ['05-03-2026', '5.3.2026', '5 3 2026', ' 05 / 03 / 2026 ']) {
      expect(parseFieldDate(text, 'es')).toEqual({ iso: '2026-03-05' });
    }
  });

  it('reads a year-first date as ISO in both languages', () => {
    expect(parseFieldDate('2026-03-05', 'es')).toEqual({ iso: '2026-03-05' });
    expect(parseFieldDate('2026-3-5', 'en')).toEqual({ iso: '2026-03-05' });
  });

  it('says empty for blank text', () => {
    expect(parseFieldDate('  ', 'es')).toEqual({ empty: true });
  });

  it('refuses days that do not exist, two-digit years and other text', () => {
    for (const text of ['31/02/2026', '29/02/2025', '12/31/2026', '5/3/26', '5/3', 'mañana', '1/1/2026/1', '<b>1/1/2026</b>', '001/01/2026', '2026-02-30']) {
      expect(parseFieldDate(text, 'es')).toEqual({ error: 'invalid.not_a_date' });
    }
    expect(parseFieldDate('31/12/2026', 'en')).toEqual({ error: 'invalid.not_a_date' });
  });
});

describe('fieldValue', () => {
  it('gives the ISO date, empty, or the text itself for the form to refuse', () => {
    expect(fieldValue('05/03/2026', 'es')).toBe('2026-03-05');
    expect(fieldValue('', 'es')).toBe('');
    expect(fieldValue('31/02/2026', 'es')).toBe('31/02/2026');
  });
});

describe('addMonths', () => {
  it('keeps the day within the month and crosses years both ways', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-11-29', 12)).toBe('2027-11-29');
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
  });
});

describe('todayIso', () => {
  it('is the calendar day of the machine, whatever its time zone', () => {
    expect(todayIso(new Date(2026, 10, 29, 23, 59))).toBe('2026-11-29');
    expect(todayIso(new Date(2026, 0, 1, 0, 0))).toBe('2026-01-01');
  });
});

describe('monthGrid', () => {
  it('has six weeks of seven days starting on the locale first weekday', () => {
    const weeks = monthGrid(2026, 11, 'es');
    expect(weeks).toHaveLength(6);
    expect(weeks.every((week) => week.length === 7)).toBe(true);
    const times = weeks.flat().map((day) => day.getTime());
    expect(times.slice(1).every((time, i) => time - (times[i] as number) === 86_400_000)).toBe(true);
    const first = weeks[0]?.[0] as Date;
    expect(first.getUTCDay()).toBe(firstWeekday('es'));
    // November 2026 starts on a Sunday: with Sunday first, the grid starts on the 1st.
    expect(toIsoDate(first)).toBe(firstWeekday('es') === 0 ? '2026-11-01' : '2026-10-26');
    const days = weeks.flat().map(toIsoDate);
    expect(days).toContain('2026-11-30');
    expect(new Set(days).size).toBe(42);
  });

  it('includes the whole month even when it spans six weeks', () => {
    // May 2026 starts on a Friday and has 31 days.
    const days = monthGrid(2026, 5, 'en').flat().map(toIsoDate);
    expect(days).toContain('2026-05-01');
    expect(days).toContain('2026-05-31');
  });
});
