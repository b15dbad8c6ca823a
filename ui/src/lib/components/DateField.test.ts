import { beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import DateField from './DateField.svelte';
import { setLang } from '$lib/i18n';
import { todayIso } from '$lib/dates';

beforeEach(() => setLang('es'));

function renderField(value = '') {
  const changes: string[] = [];
  const result = render(DateField, {
    props: { id: 'due', value, onchange: (v: string) => changes.push(v) },
  });
  return { ...result, changes, input: () => screen.getByTestId('due') as HTMLInputElement };
}

describe('DateField', () => {
  it('shows an ISO date in the language order, and again when the language changes', async () => {
    const { input } = renderField('2026-03-05');
    expect(input().value).toBe('05/03/2026');
    expect(input().placeholder).toBe('dd/mm/aaaa');
    setLang('en');
    await waitFor(() => expect(input().value).toBe('03/05/2026'));
    expect(input().placeholder).toBe('mm/dd/yyyy');
  });

  it('gives the ISO date of what is typed, and tidies it when the field is left', async () => {
    const { input, changes } = renderField();
    await fireEvent.input(input(), { target: { value: '5/3/2026' } });
    expect(changes.at(-1)).toBe('2026-03-05');
    expect(input().value).toBe('5/3/2026');
    expect(input().getAttribute('aria-invalid')).toBeNull();
    await fireEvent.blur(input());
    expect(input().value).toBe('05/03/2026');
  });

  it('marks text that is not a date and hands it on as typed', async () => {
    const { input, changes } = renderField('2026-03-05');
    await fireEvent.input(input(), { target: { value: '31/02/2026' } });
    expect(changes.at(-1)).toBe('31/02/2026');
    // Not while typing: only once the field is left.
    expect(input().getAttribute('aria-invalid')).toBeNull();
    await fireEvent.blur(input());
    expect(input().value).toBe('31/02/2026');
    expect(input().getAttribute('aria-invalid')).toBe('true');
    expect(input().getAttribute('aria-describedby')).toBe('due-unreadable');
    expect(document.getElementById('due-unreadable')?.textContent).toBe('Escriba una fecha como dd/mm/aaaa.');
    await fireEvent.input(input(), { target: { value: '' } });
    expect(changes.at(-1)).toBe('');
    expect(input().getAttribute('aria-invalid')).toBeNull();
  });

  it('reads a text that was not a date again when the language changes', async () => {
    const { input, changes } = renderField();
    await fireEvent.input(input(), { target: { value: '12/25/2026' } });
    expect(changes.at(-1)).toBe('12/25/2026');
    setLang('en');
    await waitFor(() => expect(changes.at(-1)).toBe('2026-12-25'));
    expect(input().value).toBe('12/25/2026');
    expect(input().getAttribute('data-iso')).toBe('2026-12-25');
  });

  it('keeps a day to tab to when the month changes, and names every day in full', async () => {
    renderField('2026-01-31');
    await fireEvent.click(screen.getByTestId('due-calendar'));
    await fireEvent.click(screen.getByTestId('due-next'));
    expect(screen.getByTestId('due-month').textContent).toBe('Febrero de 2026');
    const focusable = document.querySelectorAll('[role="gridcell"][tabindex="0"]');
    expect([...focusable].map((el) => el.getAttribute('data-iso'))).toEqual(['2026-02-28']);
    expect(screen.getByTestId('due-day-2026-02-28').getAttribute('aria-label')).toBe('28 de febrero de 2026');
    expect(document.querySelector('[role="grid"]')?.getAttribute('aria-labelledby')).toBe('due-month');
  });

  it('picks a day from the calendar, moving between months', async () => {
    const { input, changes } = renderField('2026-03-05');
    await fireEvent.click(screen.getByTestId('due-calendar'));
    expect(screen.getByTestId('due-month').textContent).toBe('Marzo de 2026');
    expect(screen.getByTestId('due-day-2026-03-05').getAttribute('aria-selected')).toBe('true');
    await fireEvent.click(screen.getByTestId('due-next'));
    expect(screen.getByTestId('due-month').textContent).toBe('Abril de 2026');
    await fireEvent.click(screen.getByTestId('due-day-2026-04-17'));
    expect(changes.at(-1)).toBe('2026-04-17');
    expect(input().value).toBe('17/04/2026');
    expect(screen.queryByTestId('due-popup')).toBeNull();
  });

  it('moves by keyboard in the calendar and closes with Escape', async () => {
    const { input, changes } = renderField('2026-01-31');
    await fireEvent.click(screen.getByTestId('due-calendar'));
    await waitFor(() => expect(document.activeElement?.getAttribute('data-iso')).toBe('2026-01-31'));
    await fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowRight' });
    await waitFor(() => expect(document.activeElement?.getAttribute('data-iso')).toBe('2026-02-01'));
    expect(screen.getByTestId('due-month').textContent).toBe('Febrero de 2026');
    await fireEvent.keyDown(document.activeElement as Element, { key: 'PageDown' });
    await waitFor(() => expect(document.activeElement?.getAttribute('data-iso')).toBe('2026-03-01'));
    await fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' });
    expect(screen.queryByTestId('due-popup')).toBeNull();
    expect(document.activeElement).toBe(input());
    expect(changes).toEqual([]);
  });

  it('closes when the focus leaves it', async () => {
    renderField('2026-03-05');
    const outside = document.createElement('button');
    document.body.append(outside);
    await fireEvent.click(screen.getByTestId('due-calendar'));
    const day = screen.getByTestId('due-day-2026-03-05');
    await fireEvent.focusOut(day, { relatedTarget: screen.getByTestId('due-next') });
    expect(screen.queryByTestId('due-popup')).not.toBeNull();
    await fireEvent.focusOut(day, { relatedTarget: outside });
    expect(screen.queryByTestId('due-popup')).toBeNull();
    outside.remove();
  });

  it('opens on today when empty and offers it', async () => {
    const { changes } = renderField('');
    await fireEvent.click(screen.getByTestId('due-calendar'));
    expect(screen.getByTestId(`due-day-${todayIso()}`).classList.contains('today')).toBe(true);
    expect(screen.getByTestId(`due-day-${todayIso()}`).getAttribute('aria-current')).toBe('date');
    await fireEvent.click(screen.getByTestId('due-today'));
    expect(changes).toEqual([todayIso()]);
  });
});
