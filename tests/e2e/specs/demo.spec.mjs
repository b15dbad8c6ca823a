// The demo city: a passive and a strategic network on the dashboard, with
// their reasons; the record screens show its data.

import { allByTestId, byTestId, goTo, openDemo, screenshot, waitForText } from '../lib/helpers.mjs';

describe('The demo city', () => {
  it('offers the first-start choice and opens the demo', async () => {
    await openDemo();
    await waitForText('city-name', 'Villa Esperanza (ciudad ficticia)');
  });

  it('shows a passive and a strategic network, each with its reason', async () => {
    const passive = await $('[data-testid="dashboard-row"][data-classification="passive"]');
    const strategic = await $('[data-testid="dashboard-row"][data-classification="strategic"]');
    await expect(passive).toBeDisplayed();
    await expect(strategic).toBeDisplayed();
    await expect(passive.$('[data-testid="classification-badge"]')).toHaveText('Pasiva');
    await expect(strategic.$('[data-testid="classification-badge"]')).toHaveText('Estratégica');
    const acronym = await passive.getAttribute('data-network');
    await expect(
      $(`[data-testid="dashboard-reason-row"][data-network="${acronym}"]`),
    ).toHaveText(expect.stringMatching(/^Pasiva: /));
    await screenshot('demo-dashboard');
  });

  it('lists the demo memberships, costs, meetings, projects, outcomes and metrics', async () => {
    for (const [screen, kind] of [
      ['networks', 'network'],
      ['memberships', 'membership'],
      ['costs', 'cost_entry'],
      ['meetings', 'meeting'],
      ['projects', 'project'],
      ['outcomes', 'outcome'],
      ['metrics', 'metric'],
    ]) {
      await goTo(screen);
      await browser.waitUntil(async () => (await allByTestId(`list-${kind}-row`)).length > 0, {
        timeoutMsg: `no rows on ${screen}`,
      });
      await screenshot(`demo-${screen}`);
    }
  });

  it('counts the projects per stage and per sector, as the core gives them', async () => {
    await goTo('projects');
    const stages = () => $$('[data-testid="projects-by-stage"] li[data-stage]');
    await browser.waitUntil(async () => (await stages()).length === 6, {
      timeoutMsg: 'the six stages of the demo projects are not counted',
    });
    await expect($('[data-testid="projects-by-stage"] li[data-stage="bankable"]')).toHaveText(
      expect.stringMatching(/^Financiable\s*1$/),
    );
    await expect($('[data-testid="projects-by-sector"] li[data-sector="water"]')).toHaveText(
      expect.stringMatching(/^Agua\s*1$/),
    );
  });

  it('sorts a list by a column and filters it', async () => {
    await goTo('costs');
    await byTestId('list-cost_entry-sort-spent_on').click();
    const th = await byTestId('list-cost_entry-sort-spent_on').parentElement();
    await expect(th).toHaveAttribute('aria-sort', 'ascending');
    await byTestId('list-cost_entry-filter-category').selectByAttribute('value', 'dues');
    // The core answers the filtered page: wait until the list shows it.
    const categories = () =>
      browser.execute(() =>
        [...document.querySelectorAll('[data-testid="list-cost_entry"] td[data-col="category"]')].map((td) =>
          td.textContent.trim(),
        ),
      );
    await browser.waitUntil(
      async () => {
        const shown = await categories();
        return shown.length > 0 && shown.every((c) => c === 'Cuotas');
      },
      { timeoutMsg: 'the list never showed only dues' },
    );
  });

  it('shows a field error from the core next to the field, translated', async () => {
    await goTo('settings');
    await byTestId('exchange_rate-new').click();
    await byTestId('form-exchange_rate-currency').setValue('ZZZ');
    await byTestId('form-exchange_rate-rate').setValue('1.5');
    await byTestId('form-exchange_rate-save').click();
    await expect(byTestId('form-exchange_rate-currency-error')).toHaveText(
      expect.stringContaining('No es un código de moneda ISO 4217'),
    );
    await byTestId('form-exchange_rate-cancel').click();
  });
});
