import { afterEach, describe, expect, it } from 'vitest';
import { currencyExponent, formatDate, formatHours, formatMoment, formatMoney, formatNumber } from './format';
import { numberFormat } from './numberFormat.svelte';

// Intl separates some currency codes and units with a no-break space.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('currencyExponent', () => {
  it('knows minor-unit digits from ISO 4217', () => {
    expect(currencyExponent('MXN')).toBe(2);
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
  });
});

describe('formatMoney', () => {
  it('formats Mexican pesos for es-MX and en-US', () => {
    expect(plain(formatMoney(123456789, 'MXN', 'es'))).toBe('$1,234,567.89');
    expect(plain(formatMoney(123456789, 'MXN', 'en'))).toBe('MX$1,234,567.89');
  });

  it('formats US dollars for es-MX and en-US', () => {
    expect(plain(formatMoney(123450, 'USD', 'es'))).toBe('USD 1,234.50');
    expect(plain(formatMoney(123450, 'USD', 'en'))).toBe('$1,234.50');
  });

  it('treats yen minor units as whole yen (exponent 0)', () => {
    expect(plain(formatMoney(123456, 'JPY', 'en'))).toBe('¥123,456');
    expect(plain(formatMoney(123456, 'JPY', 'es'))).toBe('JPY 123,456');
  });

  it('shows negative amounts and zero', () => {
    expect(plain(formatMoney(-500, 'MXN', 'es'))).toBe('-$5.00');
    expect(plain(formatMoney(0, 'USD', 'en'))).toBe('$0.00');
  });

  it('refuses fractional minor units', () => {
    expect(() => formatMoney(12.5, 'MXN', 'es')).toThrow(RangeError);
  });
});

describe("the office's number format", () => {
  afterEach(() => {
    numberFormat.current = 'comma_point';
  });

  it('writes every number with the marks the office chose', () => {
    numberFormat.current = 'point_comma';
    expect(plain(formatMoney(150050, 'MXN', 'es'))).toBe('$1.500,50');
    expect(formatNumber(1234567.891, 'en')).toBe('1.234.567,89');
    expect(plain(formatHours(12.5, 'es'))).toBe('12,5 h');
    numberFormat.current = 'space_comma';
    expect(plain(formatMoney(123456789, 'EUR', 'en'))).toBe('€1 234 567,89');
  });
});

describe('formatNumber', () => {
  it('groups thousands in both locales', () => {
    expect(formatNumber(1234567.891, 'es')).toBe('1,234,567.89');
    expect(formatNumber(1234567.891, 'en')).toBe('1,234,567.89');
  });

  it('accepts Intl options, e.g. percent', () => {
    expect(plain(formatNumber(0.256, 'en', { style: 'percent' }))).toBe('26%');
  });
});

describe('formatDate', () => {
  it('writes a calendar date as each locale does', () => {
    expect(formatDate('2026-03-05', 'en')).toBe('Mar 5, 2026');
    expect(formatDate('2026-03-05', 'es', 'long')).toBe('5 de marzo de 2026');
    expect(formatDate('2026-03-05', 'en', 'long')).toBe('March 5, 2026');
  });

  it('never shifts the day, whatever the time zone', () => {
    // New Year's Day stays New Year's Day (a UTC-6 shift would give Dec 31).
    expect(formatDate('2026-01-01', 'en')).toBe('Jan 1, 2026');
    expect(formatDate('2026-01-01', 'es', 'long')).toBe('1 de enero de 2026');
  });

  it('rejects text that is not a real calendar date', () => {
    expect(() => formatDate('2026-02-30', 'es')).toThrow(RangeError);
    expect(() => formatDate('05/03/2026', 'es')).toThrow(RangeError);
  });
});

describe('formatHours', () => {
  it('shows hours with at most one decimal', () => {
    expect(plain(formatHours(12.5, 'es'))).toBe('12.5 h');
    expect(plain(formatHours(12.46, 'en'))).toBe('12.5 hr');
    expect(plain(formatHours(1, 'es'))).toBe('1 h');
  });
});

describe('formatMoment', () => {
  it('writes a moment as the locale does, with or without the time', () => {
    const noon = new Date(2026, 10, 29, 12, 5).getTime(); // local time: the machine's zone
    expect(plain(formatMoment(noon, 'es', false))).toBe('29 nov 2026');
    expect(plain(formatMoment(noon, 'en', false))).toBe('Nov 29, 2026');
    expect(plain(formatMoment(noon, 'en'))).toBe('Nov 29, 2026, 12:05 PM');
    expect(plain(formatMoment(noon, 'es'))).toContain('12:05');
  });
});
