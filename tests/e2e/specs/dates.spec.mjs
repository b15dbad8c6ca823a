// Dates are typed and read in the language's order (dd/mm/aaaa in Spanish,
// mm/dd/yyyy in English) or picked from a month calendar. A day that does not
// exist is refused beside its field and nothing is saved.

import { allByTestId, byTestId, fill, goTo, screenshot, startEmpty, textOf, waitForText } from '../lib/helpers.mjs';

const rows = async () => (await allByTestId('list-cost_entry-row')).length;

/** The value the text input shows (WebDriver reads the property). */
const shown = (testid) => byTestId(testid).getValue();

function isoDay(date, day) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(day)}`;
}

describe('Typing and picking dates', () => {
  it('starts empty', async () => {
    await startEmpty('Ciudad de Fechas');
    await goTo('costs');
  });

  it('saves a cost dated day first, as typed in Spanish', async () => {
    await byTestId('cost_entry-new').click();
    await expect(byTestId('form-cost_entry-spent_on')).toHaveAttribute('placeholder', 'dd/mm/aaaa');
    await fill('form-cost_entry-spent_on', '5/3/2026');
    await fill('form-cost_entry-amount_minor', '1200');
    await fill('form-cost_entry-description', 'Taxi del 5 de marzo');
    await byTestId('form-cost_entry-save').click();
    await expect(byTestId('cost_entry-notice')).toHaveText('Guardado.');
    await browser.waitUntil(async () => (await rows()) === 1);
    await byTestId('list-cost_entry-edit').click();
    await expect(byTestId('form-cost_entry-spent_on')).toHaveAttribute('data-iso', '2026-03-05');
    expect(await shown('form-cost_entry-spent_on')).toBe('05/03/2026');
    await byTestId('form-cost_entry-cancel').click();
  });

  it('refuses the 31st of February beside the field and saves nothing', async () => {
    await byTestId('cost_entry-new').click();
    await fill('form-cost_entry-spent_on', '31/02/2026');
    await fill('form-cost_entry-amount_minor', '80');
    await byTestId('form-cost_entry-save').click();
    await waitForText('form-cost_entry-spent_on-error', 'Escriba una fecha como dd/mm/aaaa.');
    await expect(byTestId('form-cost_entry-spent_on')).toHaveAttribute('aria-invalid', 'true');
    expect(await rows()).toBe(1);
  });

  it('picks the day from the calendar instead', async () => {
    const today = new Date();
    const tenth = isoDay(today, 10);
    await byTestId('form-cost_entry-spent_on-calendar').click();
    await byTestId('form-cost_entry-spent_on-popup').waitForDisplayed();
    const month = new Intl.DateTimeFormat('es-MX', { month: 'long' }).format(today);
    expect((await textOf('form-cost_entry-spent_on-month')).toLowerCase()).toContain(month);
    await screenshot('dates-calendar');
    await byTestId(`form-cost_entry-spent_on-day-${tenth}`).click();
    await byTestId('form-cost_entry-spent_on-popup').waitForExist({ reverse: true });
    await expect(byTestId('form-cost_entry-spent_on')).toHaveAttribute('data-iso', tenth);
    await expect(byTestId('form-cost_entry-spent_on')).not.toHaveAttribute('aria-invalid', 'true');
    await byTestId('form-cost_entry-save').click();
    await expect(byTestId('cost_entry-notice')).toHaveText('Guardado.');
    await browser.waitUntil(async () => (await rows()) === 2);
  });

  it('filters the list by a period typed in Spanish', async () => {
    await fill('list-cost_entry-from', '01/03/2026');
    await fill('list-cost_entry-to', '31/03/2026');
    await browser.waitUntil(async () => (await rows()) === 1, { timeoutMsg: 'the March filter keeps one row' });
    await screenshot('dates-filter-es');
  });

  it('shows the same period month first in English', async () => {
    await byTestId('lang-en').click();
    await browser.waitUntil(async () => (await shown('list-cost_entry-from')) === '03/01/2026', {
      timeoutMsg: 'the From field is not rewritten month first',
    });
    expect(await shown('list-cost_entry-to')).toBe('03/31/2026');
    await expect(byTestId('list-cost_entry-from')).toHaveAttribute('placeholder', 'mm/dd/yyyy');
    expect(await rows()).toBe(1);
    // The last save's message follows the language too.
    await expect(byTestId('cost_entry-notice')).toHaveText('Saved.');
  });

  it('opens the calendar on the chosen month, named in English', async () => {
    await byTestId('list-cost_entry-from-calendar').click();
    await waitForText('list-cost_entry-from-month', 'March 2026');
    await expect(byTestId('list-cost_entry-from-day-2026-03-01')).toHaveAttribute('aria-selected', 'true');
    await screenshot('dates-calendar-en');
    await browser.keys('Escape');
    await byTestId('list-cost_entry-from-popup').waitForExist({ reverse: true });
    await byTestId('lang-es').click();
  });
});
