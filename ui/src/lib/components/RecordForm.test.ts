import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import RecordForm from './RecordForm.svelte';
import { FIELDS } from '$lib/screenConfigs';
import { setLang } from '$lib/i18n';

let saved: unknown[] = [];

beforeEach(() => {
  saved = [];
  setLang('es');
  mockIPC((cmd, args) => {
    if (cmd === 'records_list') return [];
    if (cmd === 'record_save') {
      const record = (args as { record: Record<string, unknown> }).record;
      saved.push(record);
      // The core reads the typed text (numbers.rs); this stands in for two of its rules.
      const amount = String(record.amount_minor ?? '');
      if (amount.startsWith('-')) {
        throw { code: 'invalid.negative', message: 'invalid amount_minor: negative', field: 'amount_minor' };
      }
      if (amount === '1500,5') {
        throw {
          code: 'invalid.decimal_point_expected',
          message: 'invalid amount_minor: decimal_point_expected (1,500.5)',
          field: 'amount_minor',
          detail: '1,500.5',
        };
      }
      return { ...record, id: 'new-id' };
    }
    return null;
  });
});

afterEach(() => clearMocks());

function renderCostForm(onSaved = () => {}) {
  return render(RecordForm, {
    props: {
      kind: 'cost_entry',
      fields: FIELDS.cost_entry,
      record: { city_id: 'c1', spent_on: '2026-03-01', category: 'travel', currency: 'MXN' },
      onSaved,
    },
  });
}

describe('RecordForm', () => {
  it('refuses to save with a required field empty, and says which', async () => {
    renderCostForm();
    await fireEvent.click(screen.getByTestId('form-cost_entry-save'));
    expect(screen.getByTestId('form-cost_entry-amount_minor-error').textContent).toBe(
      'Este dato es obligatorio.',
    );
    expect(screen.getByTestId('form-cost_entry-amount_minor').getAttribute('aria-invalid')).toBe('true');
    expect(saved).toHaveLength(0);
  });

  it('refuses a date that does not exist, saves nothing, and clears the error once the date is fixed', async () => {
    renderCostForm();
    const date = screen.getByTestId('form-cost_entry-spent_on') as HTMLInputElement;
    expect(date.value).toBe('01/03/2026');
    await fireEvent.input(screen.getByTestId('form-cost_entry-amount_minor'), { target: { value: '100' } });
    await fireEvent.input(date, { target: { value: '30/02/2026' } });
    await fireEvent.click(screen.getByTestId('form-cost_entry-save'));
    expect(screen.getByTestId('form-cost_entry-spent_on-error').textContent).toBe('Escriba una fecha como dd/mm/aaaa.');
    expect(date.getAttribute('aria-invalid')).toBe('true');
    expect(saved).toHaveLength(0);
    await fireEvent.input(date, { target: { value: '28/02/2026' } });
    expect(screen.queryByTestId('form-cost_entry-spent_on-error')).toBeNull();
    expect(screen.queryByTestId('form-cost_entry-error')).toBeNull();
    expect(date.getAttribute('aria-invalid')).toBeNull();
    await fireEvent.click(screen.getByTestId('form-cost_entry-save'));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect((saved[0] as Record<string, unknown>).spent_on).toBe('2026-02-28');
  });

  it('shows the core error next to its field, in the current language', async () => {
    renderCostForm();
    await fireEvent.input(screen.getByTestId('form-cost_entry-amount_minor'), { target: { value: '-5' } });
    await fireEvent.click(screen.getByTestId('form-cost_entry-save'));
    await waitFor(() =>
      expect(screen.getByTestId('form-cost_entry-amount_minor-error').textContent).toBe('No puede ser negativo.'),
    );
    expect(saved).toHaveLength(1);
    setLang('en');
    await waitFor(() =>
      expect(screen.getByTestId('form-cost_entry-amount_minor-error').textContent).toBe('It cannot be negative.'),
    );
    expect(screen.getByTestId('form-cost_entry-error').textContent).toBe('Check the fields marked.');
  });

  it('says how to write a number the office way, with the number written so', async () => {
    renderCostForm();
    await fireEvent.input(screen.getByTestId('form-cost_entry-amount_minor'), { target: { value: '1500,5' } });
    await fireEvent.click(screen.getByTestId('form-cost_entry-save'));
    await waitFor(() =>
      expect(screen.getByTestId('form-cost_entry-amount_minor-error').textContent).toBe(
        'Escriba los decimales con punto: 1,500.5',
      ),
    );
    setLang('en');
    await waitFor(() =>
      expect(screen.getByTestId('form-cost_entry-amount_minor-error').textContent).toBe(
        'Write decimals with a point: 1,500.5',
      ),
    );
  });

  it('sends typed numbers as typed, for the core to read', async () => {
    let result: unknown = null;
    renderCostForm();
    await fireEvent.input(screen.getByTestId('form-cost_entry-amount_minor'), { target: { value: '1,250.50' } });
    await fireEvent.click(screen.getByTestId('form-cost_entry-save'));
    await waitFor(() => expect(saved).toHaveLength(1));
    result = saved[0];
    expect(result).toMatchObject({
      city_id: 'c1',
      category: 'travel',
      amount_minor: '1,250.50',
      currency: 'MXN',
      hours: null,
      role: null,
      membership_id: null,
    });
  });

  it('asks for money or for hours, by category', async () => {
    renderCostForm();
    expect(screen.getByTestId('form-cost_entry-amount_minor')).toBeTruthy();
    expect(screen.queryByTestId('form-cost_entry-hours')).toBeNull();
    render(RecordForm, {
      props: {
        kind: 'cost_entry',
        fields: FIELDS.cost_entry,
        record: { city_id: 'c1', spent_on: '2026-03-01', category: 'staff_time' },
        testid: 'hours',
      },
    });
    expect(screen.getByTestId('hours-hours')).toBeTruthy();
    expect(screen.getByTestId('hours-role')).toBeTruthy();
    expect(screen.queryByTestId('hours-amount_minor')).toBeNull();
  });

  it('sends an empty optional amount as no value (the core drops its currency)', async () => {
    render(RecordForm, {
      props: {
        kind: 'membership',
        fields: FIELDS.membership,
        record: { city_id: 'c1', network_id: 'n1', status: 'active', role: 'member', dues_currency: 'MXN' },
      },
    });
    await fireEvent.click(screen.getByTestId('form-membership-save'));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toMatchObject({ dues_minor: null, core: false });
  });
});
