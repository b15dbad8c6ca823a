// The generic form mechanism: a form is a list of field descriptions (type,
// options, required); these functions turn a record into the texts of the
// inputs and back, and check what can be checked before saving (required
// fields, numbers that are numbers). Every other rule is the core's: its
// errors come back with the field they concern and are shown beside it.

import type { RecordKind } from './bindings';
import { parseIsoDate } from './dates';
import { currencyExponent } from './format';
import type { MessageKey } from './locales/keys';
import type { AnyRecord, EnumName } from './records';

export type FieldType =
  | 'text'
  | 'textarea'
  | 'date'
  | 'integer'
  | 'number'
  /** Minor units, entered as a decimal amount in the currency of `currencyField`. */
  | 'money'
  | 'currency'
  | 'enum'
  | 'ref'
  | 'bool'
  /** Basis points, entered as a percentage ("25" is 2500). */
  | 'percent_bp';

export type FormValues = Record<string, string | boolean>;

export interface FieldDef {
  name: string;
  type: FieldType;
  required?: boolean;
  /** Enum fields: which enum (values from records.ts ENUMS, labels enum.<name>.<value>). */
  enumName?: EnumName;
  /** Enum fields: offer only these values (default: every value of the enum). */
  options?: readonly string[];
  /** Text fields: values to suggest (a datalist), e.g. the roles that have a rate. */
  suggestions?: () => readonly string[];
  /** Reference fields: the kind of record referred to. */
  ref?: RecordKind;
  /** Money fields: the field holding the currency. */
  currencyField?: string;
  /** Label key; default `field.<name>`. */
  label?: MessageKey;
  /** A shown only when this returns true (e.g. the fields of one outcome kind). */
  visible?: (values: FormValues) => boolean;
  /** Spans the whole width of the form. */
  wide?: boolean;
}

/** A check the UI makes itself, with a code translated like the core's. */
export type FieldErrors = Record<string, string>;

export function labelKey(field: FieldDef): MessageKey {
  return field.label ?? (`field.${field.name}` as MessageKey);
}

export function isVisible(field: FieldDef, values: FormValues): boolean {
  return field.visible ? field.visible(values) : true;
}

/** Minor units as the decimal text an input shows: 150050 MXN → "1500.50". */
export function minorToInput(minor: number, currency: string): string {
  const exponent = safeExponent(currency);
  if (exponent === 0) return String(minor);
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

function safeExponent(currency: string): number {
  try {
    return currencyExponent(currency || 'MXN');
  } catch {
    return 2;
  }
}

/**
 * A typed amount as minor units, without floating point: "1,500.5" MXN →
 * 150050. Returns an error code when the text is not an amount.
 */
export function inputToMinor(
  text: string,
  currency: string,
): { minor: number } | { error: string } {
  const cleaned = text.trim().replace(/[\s,]/g, '').replace(/^\$/, '');
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(cleaned);
  if (!match || (match[2] === '' && !match[3])) return { error: 'invalid.not_a_number' };
  const [, sign, whole, fraction = ''] = match;
  const exponent = safeExponent(currency);
  if (fraction.length > exponent) return { error: 'invalid.too_many_decimals' };
  const minor = Number(`${whole || '0'}${fraction.padEnd(exponent, '0')}`);
  if (!Number.isSafeInteger(minor)) return { error: 'invalid.too_large' };
  return { minor: sign ? -minor : minor };
}

function numberText(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
}

/** The texts of the inputs for a record (empty texts for a new one). */
export function toFormValues(
  record: Partial<AnyRecord> | Record<string, unknown>,
  fields: readonly FieldDef[],
): FormValues {
  const values: FormValues = {};
  for (const field of fields) {
    const value = record[field.name];
    switch (field.type) {
      case 'bool':
        values[field.name] = value === true;
        break;
      case 'money': {
        const currency = String(record[field.currencyField ?? 'currency'] ?? '');
        values[field.name] = typeof value === 'number' ? minorToInput(value, currency) : '';
        break;
      }
      case 'percent_bp':
        values[field.name] = typeof value === 'number' ? String(value / 100) : '';
        break;
      case 'integer':
      case 'number':
        values[field.name] = numberText(value);
        break;
      default:
        values[field.name] = value === null || value === undefined ? '' : String(value);
    }
  }
  return values;
}

function isEmpty(value: string | boolean | undefined): boolean {
  return value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** The fields that are required, visible and empty. */
export function checkRequired(fields: readonly FieldDef[], values: FormValues): FieldErrors {
  const errors: FieldErrors = {};
  for (const field of fields) {
    if (field.required && field.type !== 'bool' && isVisible(field, values)) {
      if (isEmpty(values[field.name])) errors[field.name] = 'invalid.required';
    }
  }
  return errors;
}

/**
 * The record to save: the original record (its id and any field the form
 * does not show) with the form's values parsed into the types the core
 * expects. Hidden fields are cleared. Returns the errors found instead of a
 * record when a value cannot be parsed or a required one is missing.
 */
export function fromFormValues(
  fields: readonly FieldDef[],
  values: FormValues,
  base: Record<string, unknown> = {},
): { record: Record<string, unknown>; errors: FieldErrors } {
  const errors = checkRequired(fields, values);
  const record: Record<string, unknown> = { ...base };
  for (const field of fields) {
    const raw = values[field.name];
    if (!isVisible(field, values)) {
      record[field.name] = field.type === 'bool' ? false : null;
      continue;
    }
    if (field.type === 'bool') {
      record[field.name] = raw === true;
      continue;
    }
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (text === '') {
      // Required text stays an empty string, so the core names the rule too.
      record[field.name] = field.required && field.type === 'text' ? '' : null;
      continue;
    }
    switch (field.type) {
      case 'integer': {
        if (!/^-?\d+$/.test(text)) errors[field.name] ??= 'invalid.not_a_number';
        else record[field.name] = Number(text);
        break;
      }
      case 'number': {
        const n = Number(text.replace(/,/g, ''));
        if (!Number.isFinite(n)) errors[field.name] ??= 'invalid.not_a_number';
        else record[field.name] = n;
        break;
      }
      case 'percent_bp': {
        const n = Number(text.replace(/[,%\s]/g, ''));
        if (!Number.isFinite(n)) errors[field.name] ??= 'invalid.not_a_number';
        else record[field.name] = Math.round(n * 100);
        break;
      }
      case 'money': {
        const currency = String(values[field.currencyField ?? 'currency'] ?? '');
        const parsed = inputToMinor(text, currency);
        if ('error' in parsed) errors[field.name] ??= parsed.error;
        else record[field.name] = parsed.minor;
        break;
      }
      case 'currency':
        record[field.name] = text.toUpperCase();
        break;
      case 'date':
        // The date field gives an ISO date, or the text when it is not one.
        if (!parseIsoDate(text)) errors[field.name] ??= 'invalid.not_a_date';
        else record[field.name] = text;
        break;
      default:
        record[field.name] = text;
    }
  }
  // A currency without an amount says nothing: an optional amount left empty
  // takes its optional currency with it (dues, capital cost).
  for (const field of fields) {
    if (field.type !== 'money' || !field.currencyField || record[field.name] !== null) continue;
    const currencyField = fields.find((f) => f.name === field.currencyField);
    if (currencyField && !currencyField.required) record[field.currencyField] = null;
  }
  return { record, errors };
}

/** Initial values for a new record: the defaults given, else empty. */
export function newFormValues(
  fields: readonly FieldDef[],
  defaults: Record<string, unknown> = {},
): FormValues {
  return toFormValues(defaults, fields);
}
