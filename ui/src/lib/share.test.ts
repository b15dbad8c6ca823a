import { afterEach, describe, expect, it } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { AppError } from './api';
import type { CommandErrorCode } from './commands';
import { language } from './lang.svelte';
import { share, shareErrorText } from './share.svelte';
import { en } from './locales/en';
import { es } from './locales/es';
import { translations } from './i18n';

const CODES: CommandErrorCode[] = [
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
  'sender_clock_ahead',
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

  it('names each received record that breaks a rule, in the language asked for', () => {
    const error = new AppError('record_rules', 'x', null, [
      { kind: 'city', id: 'c-1', field: 'population_year', rule: 'out_of_range' },
    ]);
    const es_ = shareErrorText(error, 'es');
    expect(es_).toContain(es['share.error.record_rules']);
    expect(es_).toContain('c-1');
    expect(es_).toContain(translations.es['enum.record_kind.city']);
    expect(es_).toContain(es['error.invalid.out_of_range']);
    expect(shareErrorText(error, 'en')).toContain(en['error.invalid.out_of_range']);
  });

  it('falls back to the general error texts for other codes', () => {
    // A code this UI has no words for (none today: the type lists every one).
    const text = shareErrorText(new AppError('something_else' as CommandErrorCode, 'boom'), 'en');
    expect(text).toContain('boom');
  });
});

describe('CSV export of a kind', () => {
  afterEach(() => {
    clearMocks();
    share.close();
  });

  it('saves where chosen, in the app language, and says how many records', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === 'charts_save_override') return '/saved/cabildo-cost_entry.csv';
      if (cmd === 'export_csv') return { path: '/saved/cabildo-cost_entry.csv', records: 1000 };
      return null;
    });
    language.current = 'en';
    await share.exportCsv('cost_entry');
    expect(calls[0]).toEqual(['charts_save_override', { fileName: 'cabildo-cost_entry.csv' }]);
    expect(calls[1]).toEqual([
      'export_csv',
      { path: '/saved/cabildo-cost_entry.csv', kind: 'cost_entry', lang: 'en' },
    ]);
    expect(share.dialog).toEqual({ kind: 'message', text: 'Saved to /saved/cabildo-cost_entry.csv · records: 1000' });
  });

  it('shows a full disk in the user language and nothing else', async () => {
    mockIPC((cmd) => {
      if (cmd === 'charts_save_override') return '/full/x.csv';
      if (cmd === 'export_csv') throw { code: 'disk_full', message: 'No space left on device' };
      return null;
    });
    language.current = 'es';
    await share.exportCsv('city');
    expect(share.dialog?.kind).toBe('error');
    if (share.dialog?.kind === 'error') {
      expect(shareErrorText(share.dialog.error)).toBe(es['share.error.disk_full']);
    }
  });
});

