import { describe, expect, it } from 'vitest';
import { AppError } from './api';
import { errorCodeText, errorText, hasErrorText } from './errors';
import { translations, type MessageKey } from './i18n';
import { ENUMS, type EnumName } from './records';
import type { FieldDef } from './forms';
import { FIELDS } from './screenConfigs';

/** Every rule of the core (src/records.rs, src/store/mod.rs, src/money.rs). */
const CORE_RULES = [
  'required',
  'too_long',
  'negative',
  'too_large',
  'unknown_currency',
  'end_before_start',
  'shares_over_100',
  'unknown_reference',
  'thesis_already_open',
  'country_code',
  'out_of_range',
  'must_be_positive',
  'duplicate',
  'wrong_type',
  'not_a_number',
  'time_has_no_amount',
  'over_amount',
  'over_committed',
  'grace_over_tenor',
  'invoice_not_dues',
  'invoice_other_membership',
  'min_over_max',
  'fee_table_empty',
  'unknown_language',
];

/** The core's and the shell's other codes the UI can meet. */
const OTHER_CODES = [
  'malformed',
  'not_found',
  'already_exists',
  'not_cabildo',
  'newer_schema',
  'corrupt',
  'database',
  'disk_full',
  'migration',
  'io',
  'argument',
  'no_database',
  'ipc',
  'shell',
  'cancelled',
];

describe('error translation', () => {
  it('has its own text for every rule of the core, in both languages', () => {
    for (const rule of CORE_RULES) {
      const code = `invalid.${rule}`;
      expect(hasErrorText(code), code).toBe(true);
      const textEs = errorCodeText(code, 'es');
      const textEn = errorCodeText(code, 'en');
      expect(textEs, code).not.toBe('');
      expect(textEn, code).not.toBe('');
      expect(textEs, code).not.toBe(textEn);
    }
  });

  it('has its own text for the other codes of the core and the shell', () => {
    for (const code of OTHER_CODES) {
      expect(hasErrorText(code), code).toBe(true);
    }
    expect(errorCodeText('not_cabildo', 'es')).toContain('no es una base de datos de Cabildo');
    expect(errorCodeText('newer_schema', 'en')).toContain('newer version');
  });

  it('translates by code, never by the English message', () => {
    const error = new AppError('invalid.negative', 'invalid amount_minor: negative', 'amount_minor');
    expect(errorText(error, 'es')).toBe('No puede ser negativo.');
    expect(errorText(error, 'en')).toBe('It cannot be negative.');
  });

  it('falls back for codes it does not know', () => {
    expect(errorCodeText('invalid.some_new_rule', 'es')).toBe('El dato no es válido.');
    expect(errorCodeText('weird', 'en', 'boom')).toBe('Something went wrong: boom');
  });
});

describe('labels for every form field and enum value', () => {
  it('has a label for every field of every form, in both languages', () => {
    for (const [kind, fields] of Object.entries(FIELDS) as [string, readonly FieldDef[]][]) {
      for (const field of fields) {
        const key = (field.label ?? `field.${kind}.${field.name}`) as MessageKey;
        expect(translations.es[key], `${kind}.${field.name}`).toBeTruthy();
        expect(translations.en[key], `${kind}.${field.name}`).toBeTruthy();
      }
    }
  });

  it('has a label for every value of every enum, in both languages', () => {
    for (const [name, values] of Object.entries(ENUMS) as [EnumName, readonly string[]][]) {
      for (const value of values) {
        const key = `enum.${name}.${value}` as MessageKey;
        expect(translations.es[key], key).toBeTruthy();
        expect(translations.en[key], key).toBeTruthy();
      }
    }
  });
});
