import { describe, expect, it } from 'vitest';
import { AppError } from './api';
import { shareErrorText } from './share.svelte';
import { en } from './locales/en';
import { es } from './locales/es';

const CODES = [
  'file_too_large',
  'too_many_rows',
  'unexpected_schema',
  'bad_value',
  'merge_into_itself',
  'dangling_reference',
  'foreign_backup',
  'csv_columns',
  'csv_encoding',
  'csv_malformed',
  'not_cabildo',
  'corrupt',
  'newer_schema',
  'cancelled',
  'io',
  'disk_full',
];

describe('sharing errors', () => {
  it('translates every error code of the exchange in both languages', () => {
    for (const code of CODES) {
      const key = `share.error.${code}` as keyof typeof es;
      expect(es[key], code).toBeTruthy();
      expect(en[key], code).toBeTruthy();
      expect(shareErrorText(new AppError(code, 'x'), 'es')).toBe(es[key]);
      expect(shareErrorText(new AppError(code, 'x'), 'en')).toBe(en[key]);
    }
  });

  it('falls back to the general error texts for other codes', () => {
    const text = shareErrorText(new AppError('something_else', 'boom'), 'en');
    expect(text).toContain('boom');
  });
});
