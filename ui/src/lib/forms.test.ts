import { afterEach, describe, expect, it } from 'vitest';
import { minorToInput } from './format';
import { checkRequired, fromFormValues, toFormValues, type FieldDef } from './forms';
import { numberFormat } from './numberFormat.svelte';
import { FIELDS } from './screenConfigs';

describe('numbers in forms', () => {
  afterEach(() => {
    numberFormat.current = 'comma_point';
  });

  it('shows minor units as a plain amount with the office decimal mark', () => {
    expect(minorToInput(150050, 'MXN')).toBe('1500.50');
    expect(minorToInput(5, 'USD')).toBe('0.05');
    expect(minorToInput(1500, 'JPY')).toBe('1500');
    expect(minorToInput(-250, 'MXN')).toBe('-2.50');
    numberFormat.current = 'point_comma';
    expect(minorToInput(150050, 'MXN')).toBe('1500,50');
  });

  it('sends what the user typed to the core, which reads it (no parser in the UI)', () => {
    const typed: FieldDef[] = [
      { name: 'amount_minor', type: 'money', currencyField: 'currency' },
      { name: 'currency', type: 'currency' },
      { name: 'rate', type: 'number' },
      { name: 'share_bp', type: 'percent_bp' },
    ];
    const { record, errors } = fromFormValues(typed, {
      amount_minor: ' 1.500,50 ',
      currency: 'eur',
      rate: '17,25',
      share_bp: '12,5',
    });
    expect(errors).toEqual({});
    expect(record).toEqual({ amount_minor: '1.500,50', currency: 'EUR', rate: '17,25', share_bp: '12,5' });
  });
});

const fields: FieldDef[] = [
  { name: 'name', type: 'text', required: true },
  { name: 'year', type: 'integer' },
  { name: 'rate', type: 'number' },
  { name: 'amount_minor', type: 'money', currencyField: 'currency', required: true },
  { name: 'currency', type: 'currency', required: true },
  { name: 'share_bp', type: 'percent_bp' },
  { name: 'core', type: 'bool' },
  { name: 'note', type: 'text', visible: (v) => v.core === true },
];

describe('the form mechanism', () => {
  it('turns a record into input texts and back, keeping its id and other fields', () => {
    const record = {
      id: 'r1',
      created_at: 1,
      name: 'Cumbre',
      year: 2026,
      rate: 17.25,
      amount_minor: 1234567,
      currency: 'MXN',
      share_bp: 2500,
      core: true,
      note: 'x',
      unrelated: 'kept',
    };
    const values = toFormValues(record, fields);
    expect(values).toEqual({
      name: 'Cumbre',
      year: '2026',
      rate: '17.25',
      amount_minor: '12345.67',
      currency: 'MXN',
      share_bp: '25',
      core: true,
      note: 'x',
    });
    const { record: back, errors } = fromFormValues(fields, values, record);
    expect(errors).toEqual({});
    // Numbers go back as the texts shown; the core reads them into the same values.
    expect(back).toEqual({ ...record, year: '2026', rate: '17.25', amount_minor: '12345.67', share_bp: '25' });
  });

  it('checks required fields before saving, but only visible ones', () => {
    const values = toFormValues({}, fields);
    expect(checkRequired(fields, values)).toEqual({
      name: 'invalid.required',
      amount_minor: 'invalid.required',
      currency: 'invalid.required',
    });
    const { errors } = fromFormValues(fields, { ...values, name: '  ' });
    expect(errors.name).toBe('invalid.required');
  });

  it('clears hidden fields and sends empty optional fields as null', () => {
    const { record } = fromFormValues(
      fields,
      { name: 'a', year: '', rate: '', amount_minor: '1', currency: 'mxn', share_bp: '', core: false, note: 'hidden' },
      {},
    );
    expect(record).toMatchObject({ year: null, rate: null, share_bp: null, note: null, currency: 'MXN', amount_minor: '1' });
  });

  it('keeps a date that is a date and refuses one that is not, never saving it as empty', () => {
    const dated: FieldDef[] = [
      { name: 'spent_on', type: 'date', required: true },
      { name: 'review_on', type: 'date' },
    ];
    expect(fromFormValues(dated, { spent_on: '2026-03-05', review_on: '' })).toEqual({
      record: { spent_on: '2026-03-05', review_on: null },
      errors: {},
    });
    const { errors } = fromFormValues(dated, { spent_on: '2026-02-30', review_on: '31/02/2026' });
    expect(errors).toEqual({ spent_on: 'invalid.not_a_date', review_on: 'invalid.not_a_date' });
  });

  it('shows each outcome kind only its own fields', () => {
    const visible = (kind: string) =>
      FIELDS.outcome
        .filter((f: FieldDef) => (f.visible ? f.visible({ kind }) : true))
        .map((f: FieldDef) => f.name);
    expect(visible('acceleration')).toContain('months_saved');
    expect(visible('acceleration')).not.toContain('amount_minor');
    expect(visible('financing')).toEqual(expect.arrayContaining(['amount_minor', 'instrument', 'committed_minor']));
    expect(visible('financing')).not.toContain('source_peer');
    expect(visible('policy_transfer')).toEqual(expect.arrayContaining(['policy_instrument', 'source_peer']));
    expect(visible('policy_transfer')).not.toContain('project_id');
  });

  it('describes the cost form by category: money or hours', () => {
    const shown = (category: string) =>
      FIELDS.cost_entry.filter((f: FieldDef) => (f.visible ? f.visible({ category }) : true)).map((f: FieldDef) => f.name);
    expect(shown('travel')).toEqual(expect.arrayContaining(['amount_minor', 'currency']));
    expect(shown('travel')).not.toContain('hours');
    expect(shown('staff_time')).toEqual(expect.arrayContaining(['hours', 'role']));
    expect(shown('staff_time')).not.toContain('amount_minor');
  });
});
