// Switching the language at run time: labels, enum values and the core's
// reasons follow; numbers and dates are formatted for the locale.

import { byTestId, dashboardReason, dashboardRow, goTo, openDemo, screenshot } from '../lib/helpers.mjs';

describe('Language', () => {
  it('shows the demo dashboard in Spanish by default', async () => {
    await openDemo();
    await expect(byTestId('screen-title')).toHaveText('Tablero');
    await expect($('[data-testid="dashboard-table"] thead')).toHaveText(
      expect.stringContaining('Clasificación'),
    );
    await screenshot('dashboard-es');
  });

  it('switches to English: labels, classifications and reasons', async () => {
    await byTestId('lang-en').click();
    await expect(byTestId('screen-title')).toHaveText('Dashboard');
    await expect(byTestId('nav-costs')).toHaveText('Costs');
    await expect($('[data-testid="dashboard-table"] thead')).toHaveText(
      expect.stringContaining('Classification'),
    );
    await expect(dashboardRow('C40').$('[data-testid="classification-badge"]')).toHaveText('Strategic');
    await expect(dashboardReason('C40')).toHaveText(expect.stringMatching(/^Strategic: /));
    await expect(byTestId('dashboard-apply')).toHaveText('Update');
    await screenshot('dashboard-en');
  });

  it('switches back and reads the Spanish labels', async () => {
    await byTestId('lang-es').click();
    await expect(byTestId('screen-title')).toHaveText('Tablero');
    await expect(byTestId('nav-memberships')).toHaveText('Membresías');
    await expect(byTestId('nav-outcomes')).toHaveText('Resultados');
    await expect(byTestId('dashboard-apply')).toHaveText('Actualizar');
    await expect(dashboardRow('C40').$('[data-testid="classification-badge"]')).toHaveText('Estratégica');
    await expect(dashboardReason('C40')).toHaveText(expect.stringMatching(/^Estratégica: /));
    await expect(byTestId('dashboard-theses')).toHaveText(expect.stringContaining('Tesis por revisar'));
    await expect(byTestId('dashboard-renewals')).toHaveText(
      expect.stringContaining('Renovaciones en los próximos 90 días'),
    );
  });

  it('shows a record screen with Spanish columns and values', async () => {
    await goTo('costs');
    await expect(byTestId('screen-title')).toHaveText('Costos de participación');
    await expect($('[data-testid="list-cost_entry"] thead')).toHaveText(expect.stringContaining('Categoría'));
    await expect(byTestId('list-cost_entry-filter-category')).toHaveText(expect.stringContaining('Viajes'));
    await screenshot('costs-es');
  });

  it('remembers the language after a reload', async () => {
    await byTestId('lang-en').click();
    await browser.refresh();
    await expect(byTestId('nav-costs')).toHaveText('Costs');
    await byTestId('lang-es').click();
  });
});
