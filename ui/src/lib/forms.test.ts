import { describe, expect, it } from 'vitest';
import {
  checkRequired,
  fromFormValues,
  inputToMinor,
  minorToInput,
  toFormValues,
  type FieldDef,
} from './forms';
import { FIELDS } from './screenConfigs';

describe('money in forms', () => {
  it('shows minor units as a plain decimal amount', () => {
    expect(minorToInput(150050, 'MXN')).toBe('1500.50');
    expect(minorToInput(5, 'USD')).toBe('0.05');
    expect(minorToInput(1500, 'JPY')).toBe('1500');
    expect(minorToInput(-250, 'MXN')).toBe('-2.50');
  });

  it('reads a typed amount into minor units without floating point', () => {
    expect(inputToMinor('1,500.5', 'MXN')).toEqual({ minor: 150050 });
    expect(inputToMinor('0.29', 'USD')).toEqual({ minor: 29 });
    expect(inputToMinor('$ 2 000', 'MXN')).toEqual({ minor: 200000 });
    expect(inputToMinor('1500', 'JPY')).toEqual({ minor: 1500 });
    expect(inputToMinor('-3', 'MXN')).toEqual({ minor: -300 });
  });

  it('refuses what is not an amount', () => {
    expect(inputToMinor('abc', 'MXN')).toEqual({ error: 'invalid.not_a_number' });
    expect(inputToMinor('.', 'MXN')).toEqual({ error: 'invalid.not_a_number' });
    expect(inputToMinor('1.234', 'MXN')).toEqual({ error: 'invalid.too_many_decimals' });
    expect(inputToMinor('1.5', 'JPY')).toEqual({ error: 'invalid.too_many_decimals' });
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
    expect(back).toEqual(record);
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
    expect(record).toMatchObject({ year: null, rate: null, share_bp: null, note: null, currency: 'MXN', amount_minor: 100 });
  });

  it('reports numbers that are not numbers, per field', () => {
    const { errors } = fromFormValues(fields, {
      name: 'a',
      year: '20.5',
      rate: 'x',
      amount_minor: '1.999',
      currency: 'MXN',
      share_bp: 'mucho',
      core: false,
    });
    expect(errors).toEqual({
      year: 'invalid.not_a_number',
      rate: 'invalid.not_a_number',
      amount_minor: 'invalid.too_many_decimals',
      share_bp: 'invalid.not_a_number',
    });
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
