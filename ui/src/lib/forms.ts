// The generic form mechanism: a form is a list of field descriptions (type,
// options, required); these functions turn a record into the texts of the
// inputs and back, and check what can be checked before saving (required
// fields). Numbers go to the core as typed; it reads them, and every other
// rule is the core's: its errors come back with the field they concern and
// are shown beside it.

import type { RecordKind } from './bindings';
import { parseIsoDate } from './dates';
import { minorToInput, numberToInput } from './format';
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

function numberText(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? numberToInput(value) : '';
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
        values[field.name] = typeof value === 'number' ? numberToInput(value / 100) : '';
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
      case 'integer':
      case 'number':
      case 'percent_bp':
      case 'money':
        // The core reads numbers as the user typed them, by the office's
        // number format (numbers.rs): the UI keeps no parser of its own.
        record[field.name] = text;
        break;
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
  return { record, errors };
}
