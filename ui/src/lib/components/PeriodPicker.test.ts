import { beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import PeriodPicker from './PeriodPicker.svelte';
import { setLang } from '$lib/i18n';

beforeEach(() => setLang('es'));

const shown = { from: '2025-11-30', to: '2026-11-29', currency: 'MXN' };

describe('PeriodPicker', () => {
  it('shows the period the core answered, in the language order', () => {
    render(PeriodPicker, { props: { prefix: 'p', asked: null, shown } });
    expect((screen.getByTestId('p-from') as HTMLInputElement).value).toBe('30/11/2025');
    expect((screen.getByTestId('p-to') as HTMLInputElement).value).toBe('29/11/2026');
  });

  it('names every date that is not a date, asks nothing, and lets go of a field once changed', async () => {
    render(PeriodPicker, { props: { prefix: 'p', asked: null, shown } });
    await fireEvent.input(screen.getByTestId('p-from'), { target: { value: '31/02/2026' } });
    await fireEvent.input(screen.getByTestId('p-to'), { target: { value: 'ayer' } });
    await fireEvent.click(screen.getByTestId('p-apply'));
    expect(screen.getByTestId('p-date-error').textContent?.trim()).toBe('Desde, Hasta: Escriba una fecha como dd/mm/aaaa.');
    expect(screen.getByTestId('p-from').getAttribute('aria-invalid')).toBe('true');
    await fireEvent.input(screen.getByTestId('p-from'), { target: { value: '01/02/2026' } });
    expect(screen.getByTestId('p-date-error').textContent?.trim()).toBe('Hasta: Escriba una fecha como dd/mm/aaaa.');
    expect(screen.getByTestId('p-from').getAttribute('aria-invalid')).toBeNull();
    await fireEvent.click(screen.getByTestId('p-reset'));
    expect(screen.queryByTestId('p-date-error')).toBeNull();
    expect((screen.getByTestId('p-to') as HTMLInputElement).value).toBe('29/11/2026');
  });
});
