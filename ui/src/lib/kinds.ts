// The UI's forms, list columns and filters, derived from the core's description
// of each record kind (KINDS in bindings.ts, from src/kinds.rs): a field's type,
// whether it is required, when it applies, its enum, its reference and its
// currency are the core's. A screen says only which fields it shows, in what
// order and how wide (screenConfigs.ts).

import { KINDS, type RecordKind } from './bindings';
import { formatDate, formatHours, formatMoney, formatNumber } from './format';
import type { FieldDef, FieldType, FormValues } from './forms';
import { t, type MessageKey } from './i18n';
import { enumLabel, refLabel, refOptions } from './labels';
import type { CellValue, Column, Filter } from './list';
import { ENUMS, type AnyRecord, type EnumName, type RecordTypes } from './records';

type Kinds = typeof KINDS;
/** The names of a kind's fields, as the core describes them. */
export type FieldName<K extends RecordKind> = Kinds[K]['fields'][number]['name'];

/** One field of a kind as the core describes it. */
export interface FieldDescription {
  name: string;
  type:
    | 'text'
    | 'long_text'
    | 'date'
    | 'bool'
    | 'currency'
    | 'money'
    | 'enum'
    | 'ref'
    | 'integer'
    | 'year'
    | 'decimal'
    | 'hours'
    | 'percent'
    | 'percent_bp';
  required: boolean;
  currency?: string;
  enum?: string;
  ref?: string;
  when?: { field: string; any_of: readonly string[]; negate: boolean };
  bounds?: { min: number; max: number };
}

/** The core's description of a field; a name the core does not know is a bug. */
export function describe<K extends RecordKind>(kind: K, name: FieldName<K>): FieldDescription {
  const fields = KINDS[kind].fields as readonly FieldDescription[];
  const field = fields.find((f) => f.name === name);
  if (!field) throw new Error(`${kind} has no field ${String(name)}`);
  return field;
}

/** The words of a field: `field.<kind>.<name>`. */
export function fieldLabel<K extends RecordKind>(kind: K, name: FieldName<K>): MessageKey {
  return `field.${kind}.${String(name)}` as MessageKey;
}

const FORM_TYPES: Record<FieldDescription['type'], FieldType> = {
  text: 'text',
  long_text: 'textarea',
  date: 'date',
  bool: 'bool',
  currency: 'currency',
  money: 'money',
  enum: 'enum',
  ref: 'ref',
  integer: 'integer',
  year: 'integer',
  decimal: 'number',
  hours: 'number',
  percent: 'number',
  percent_bp: 'percent_bp',
};

/** True when a field applies to the values of a form (the fields of one outcome kind). */
export function applies(field: FieldDescription, values: FormValues): boolean {
  if (!field.when) return true;
  const { field: other, any_of, negate } = field.when;
  const value = values[other];
  const hit = typeof value === 'string' && any_of.includes(value);
  return hit !== negate;
}

/** How a screen lays out one field: its name, and whether it spans the form. */
export type FieldLayout<K extends RecordKind> =
  | FieldName<K>
  | {
      name: FieldName<K>;
      wide?: boolean;
      /** Text fields: values to suggest (a datalist). */
      suggestions?: () => readonly string[];
      /** Enum fields: offer only these values. */
      options?: readonly string[];
    };

/** A kind's form: the fields a screen lays out, described by the core. */
export function formFields<K extends RecordKind>(
  kind: K,
  layout: readonly FieldLayout<K>[],
): FieldDef[] {
  return layout.map((entry) => {
    const spec = typeof entry === 'object' ? entry : { name: entry };
    const field = describe(kind, spec.name);
    const def: FieldDef = {
      name: field.name,
      type: FORM_TYPES[field.type],
      required: field.required,
      label: fieldLabel(kind, spec.name),
    };
    if (field.enum) def.enumName = field.enum as EnumName;
    if (field.ref) def.ref = field.ref as RecordKind;
    if (field.currency) def.currencyField = field.currency;
    if (field.when) def.visible = (values) => applies(field, values);
    if ('wide' in spec && spec.wide) def.wide = true;
    if ('suggestions' in spec && spec.suggestions) def.suggestions = spec.suggestions;
    if ('options' in spec && spec.options) def.options = spec.options;
    return def;
  });
}

// ---- list columns --------------------------------------------------------------------

function valueOf(row: unknown, name: string): unknown {
  return (row as AnyRecord)[name];
}

function safeDate(value: unknown): string {
  if (typeof value !== 'string' || !value) return '';
  try {
    return formatDate(value, undefined, 'medium');
  } catch {
    return value;
  }
}

/** An amount with its currency, or its digits when the currency is unknown. */
export function moneyText(minor: unknown, currency: unknown): string {
  if (typeof minor !== 'number' || typeof currency !== 'string' || !currency) return '';
  try {
    return formatMoney(minor, currency);
  } catch {
    return `${minor} ${currency}`;
  }
}

export interface ColumnOptions {
  /** Another label than the field's words. */
  label?: MessageKey;
  /** Long texts: at most two lines. */
  clamp?: boolean;
  /** References: the text of an empty reference. */
  empty?: MessageKey;
  /** Numbers: the most decimals shown. */
  digits?: number;
}

/** A list column for a field, drawn as the core's description of its type says. */
export function column<K extends RecordKind>(
  kind: K,
  name: FieldName<K>,
  options: ColumnOptions = {},
): Column<RecordTypes[K]> {
  const field = describe(kind, name);
  const id = field.name;
  const label = options.label ?? fieldLabel(kind, name);
  const raw = (r: RecordTypes[K]) => valueOf(r, id);
  const plain = (r: RecordTypes[K]) => (raw(r) as CellValue) ?? null;
  switch (field.type) {
    case 'enum':
      return { id, label, value: (r) => enumLabel(field.enum as EnumName, raw(r) as string) };
    case 'ref':
      return {
        id,
        label,
        value: (r) => {
          const ref = raw(r);
          if (!ref && options.empty) return t(options.empty);
          return refLabel(field.ref as RecordKind, ref, true);
        },
      };
    case 'date':
      return { id, label, value: plain, text: (r) => safeDate(raw(r)) };
    case 'money':
      return {
        id,
        label,
        align: 'end',
        value: plain,
        text: (r) => moneyText(raw(r), valueOf(r, field.currency ?? 'currency')),
      };
    case 'bool':
      return { id, label, value: (r) => (raw(r) ? t('common.yes') : t('common.no')) };
    case 'year':
      // Sorts as a number, shown without grouping ("2025", not "2,025").
      return { id, label, value: plain };
    case 'hours':
      return {
        id,
        label,
        align: 'end',
        value: plain,
        text: (r) => (typeof raw(r) === 'number' ? formatHours(raw(r) as number) : ''),
      };
    case 'percent_bp':
      return {
        id,
        label,
        align: 'end',
        value: plain,
        text: (r) => (typeof raw(r) === 'number' ? formatNumber((raw(r) as number) / 100) : ''),
      };
    case 'integer':
    case 'decimal':
    case 'percent': {
      const digits = options.digits ?? 2;
      return {
        id,
        label,
        align: 'end',
        value: plain,
        text: (r) => {
          const v = raw(r);
          return typeof v === 'number'
            ? formatNumber(v, undefined, { maximumFractionDigits: digits })
            : '';
        },
      };
    }
    default:
      return { id, label, value: plain, clamp: options.clamp ?? field.type === 'long_text' };
  }
}

/** A list filter for an enum or reference field: its values as the options. */
export function filter<K extends RecordKind>(
  kind: K,
  name: FieldName<K>,
): Filter<RecordTypes[K]> {
  const field = describe(kind, name);
  const id = field.name;
  const label = fieldLabel(kind, name);
  const value = (r: RecordTypes[K]) => valueOf(r, id) as string | null;
  if (field.enum) {
    const enumName = field.enum as EnumName;
    return {
      id,
      label,
      options: ENUMS[enumName].map((v) => ({ value: v, label: enumLabel(enumName, v) })),
      value,
    };
  }
  if (field.ref) return { id, label, options: refOptions(field.ref as RecordKind), value };
  throw new Error(`${kind}.${String(name)} is not an enum or a reference`);
}
