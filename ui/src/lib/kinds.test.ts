import { describe, expect, it } from 'vitest';
import { KINDS, type RecordKind } from './bindings';
import { applies, column, describe as describeField, formFields, type FieldDescription } from './kinds';
import { RECORD_KINDS } from './records';
import { FIELDS, SCREEN_CONFIGS } from './screenConfigs';
import { translations, type MessageKey } from './i18n';

const fieldsOf = (kind: RecordKind) => KINDS[kind].fields as readonly FieldDescription[];

describe("the forms follow the core's description of each kind", () => {
  it('every required field of a kind is on its form, required', () => {
    for (const kind of RECORD_KINDS) {
      const form = FIELDS[kind];
      for (const field of fieldsOf(kind).filter((f) => f.required)) {
        const def = form.find((d) => d.name === field.name);
        expect(def, `${kind}.${field.name} on the form`).toBeDefined();
        expect(def?.required, `${kind}.${field.name}`).toBe(true);
      }
    }
  });

  it('a field shows when the core says it applies', () => {
    const hours = FIELDS.cost_entry.find((d) => d.name === 'hours');
    const amount = FIELDS.cost_entry.find((d) => d.name === 'amount_minor');
    expect(hours?.visible?.({ category: 'staff_time' })).toBe(true);
    expect(hours?.visible?.({ category: 'travel' })).toBe(false);
    expect(amount?.visible?.({ category: 'travel' })).toBe(true);
    const peer = describeField('outcome', 'source_peer');
    expect(applies(peer, { kind: 'policy_transfer' })).toBe(true);
    expect(applies(peer, { kind: 'financing' })).toBe(false);
  });

  it('labels every field, column and filter with the core words, in both languages', () => {
    for (const kind of RECORD_KINDS) {
      for (const def of FIELDS[kind]) {
        const key = def.label as MessageKey;
        expect(translations.es[key], key).toBeTruthy();
        expect(translations.en[key], key).toBeTruthy();
      }
    }
    for (const config of Object.values(SCREEN_CONFIGS)) {
      for (const col of config.columns) expect(translations.en[col.label], col.label).toBeTruthy();
      // Every screen's filters build (a filter only on an enum, a reference or a list).
      const make = (config as { filters?: () => { label: MessageKey }[] }).filters;
      const filters = make?.() ?? [];
      for (const f of filters) expect(translations.es[f.label], f.label).toBeTruthy();
    }
  });

  it('draws a column by the field type: money with its currency, enums in words', () => {
    const dues = column('membership', 'dues_minor');
    expect(dues.align).toBe('end');
    const row = { dues_minor: 150050, dues_currency: 'USD' } as never;
    expect(dues.text?.(row)).toContain('1,500.50');
    const status = column('membership', 'status');
    expect(status.value({ status: 'suspended' } as never)).toBe('Suspendida');
  });

  it('refuses a field the core does not describe', () => {
    expect(() => formFields('city', ['nonexistent' as never])).toThrow(/no field/);
  });
});

describe("records are named by the core's label rule", () => {
  it('writes the parts the core describes, numbers and dates the office way', async () => {
    const { recordLabel } = await import('./labels');
    const rate = { currency: 'USD', rate: 17.25, quote_currency: 'MXN', on_date: '2026-01-05' };
    expect(recordLabel('exchange_rate', rate)).toMatch(/^1 USD = 17\.25 MXN · /);
    expect(recordLabel('cost_entry', { spent_on: null, description: '', role: 'Analista' })).toBe('Analista');
    expect(recordLabel('network', { acronym: 'C40', name: 'C40 Cities' })).toBe('C40 — C40 Cities');
  });
});
