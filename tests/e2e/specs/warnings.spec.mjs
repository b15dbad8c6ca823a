// A cost in a currency without an exchange rate is said, never counted as
// zero (issues 2 and 3): the dashboard and the charts list the missing rate,
// in the language chosen, and the totals leave the amount out.

import { byTestId, choose, fill, goTo, openDemo, screenshot, textOf } from '../lib/helpers.mjs';

describe('Warnings', () => {
  it('says a missing exchange rate on the dashboard and the charts', async () => {
    await openDemo();
    const before = await textOf('dashboard-summary');

    await goTo('costs');
    await byTestId('cost_entry-new').click();
    await choose('form-cost_entry-membership_id', 'C40');
    await fill('form-cost_entry-amount_minor', '15,000');
    await fill('form-cost_entry-currency', 'CHF');
    await byTestId('form-cost_entry-save').click();
    await expect(byTestId('cost_entry-notice')).toHaveText('Guardado.');

    await goTo('dashboard');
    await byTestId('dashboard-warnings').waitForDisplayed({ timeout: 30000 });
    await expect(byTestId('dashboard-warnings')).toHaveText(expect.stringContaining('Falta el tipo de cambio de CHF'));
    // The amount stays out of the totals.
    expect(await textOf('dashboard-summary')).toBe(before);
    await screenshot('warnings-dashboard-es');

    await byTestId('lang-en').click();
    await expect(byTestId('dashboard-warnings')).toHaveText(expect.stringContaining('CHF'));
    await goTo('charts');
    await byTestId('chart-warnings').waitForDisplayed({ timeout: 30000 });
    await expect(byTestId('chart-warnings')).toHaveText(expect.stringContaining('CHF'));
    await byTestId('lang-es').click();
  });
});
