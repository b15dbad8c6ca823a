// A membership with a thesis, a travel cost and staff hours, a financing
// outcome attributed to it: the dashboard shows the new figures.

import {
  byTestId,
  choose,
  dashboardReason,
  dashboardRow,
  fill,
  goTo,
  screenshot,
  startEmpty,
  waitForCell,
} from '../lib/helpers.mjs';

describe('Recording a membership and reading its return', () => {
  it('starts empty and adds the city', async () => {
    await startEmpty('Ciudad de Prueba');
  });

  it('creates a membership of C40', async () => {
    await goTo('memberships');
    await byTestId('membership-new').click();
    await choose('form-membership-network_id', 'C40');
    await byTestId('form-membership-save').click();
    await expect(byTestId('membership-notice')).toHaveText('Guardado.');
    await expect($('[data-testid="list-membership"] td[data-col="network_id"]')).toHaveText('C40');
  });

  it('gives it a thesis', async () => {
    await byTestId('membership-thesis').click();
    await byTestId('thesis-new').click();
    await fill('form-thesis-statement', 'Asistencia técnica para el BRT y una ruta de financiamiento');
    await byTestId('form-thesis-save').click();
    await waitForCell('list-thesis', 'statement', 'Asistencia técnica para el BRT y una ruta de financiamiento');
    await waitForCell('list-membership', 'thesis', 'Asistencia técnica para el BRT y una ruta de financiamiento');
  });

  it('sets an hourly rate for the analyst role', async () => {
    await goTo('settings');
    await byTestId('role_rate-new').click();
    await fill('form-role_rate-role', 'Analista');
    await fill('form-role_rate-hourly_minor', '500');
    await byTestId('form-role_rate-save').click();
    await expect($('[data-testid="list-role_rate"] td[data-col="role"]')).toHaveText('Analista');
  });

  it('adds a travel cost', async () => {
    await goTo('costs');
    await byTestId('cost_entry-new').click();
    await choose('form-cost_entry-membership_id', 'C40');
    await fill('form-cost_entry-amount_minor', '15,000');
    await fill('form-cost_entry-description', 'Vuelo a la cumbre');
    await byTestId('form-cost_entry-save').click();
    await expect(byTestId('cost_entry-notice')).toHaveText('Guardado.');
  });

  it('adds ten hours of staff time with the quick entry', async () => {
    await $('[data-testid="quick-hours"] summary').click();
    await choose('form-hours-membership_id', 'C40');
    await fill('form-hours-role', 'Analista');
    await fill('form-hours-hours', '10');
    await byTestId('form-hours-save').click();
    await expect(byTestId('quick-hours-status')).toHaveText('Horas registradas.');
    await expect(byTestId('list-cost_entry-count')).toHaveText('2 de 2 registros');
  });

  it('records a financing outcome and attributes it to the membership', async () => {
    await goTo('outcomes');
    await byTestId('outcome-new').click();
    await fill('form-outcome-description', 'Préstamo concesional para el BRT');
    await fill('form-outcome-amount_minor', '2000000');
    await choose('form-outcome-instrument', 'concessional_loan');
    await byTestId('form-outcome-save').click();
    await expect(byTestId('outcome-notice')).toHaveText('Guardado.');
    await byTestId('outcome-attribution').click();
    await byTestId('attribution-new').click();
    await choose('form-attribution-membership_id', 'C40');
    await byTestId('form-attribution-save').click();
    await expect($('[data-testid="list-attribution"] td[data-col="share_bp"]')).toHaveText('100');
  });

  it('reads the new figures on the dashboard', async () => {
    await goTo('dashboard');
    const row = await dashboardRow('C40');
    await row.waitForDisplayed();
    // 15,000.00 of travel + 10 h × 500.00 of staff time
    await expect(row.$('td[data-col="cost"]')).toHaveText(expect.stringContaining('$20,000.00'));
    await expect(row.$('span[data-col="committed"]')).toHaveText('$2,000,000.00');
    await expect(row.$('td[data-col="leverage"]')).toHaveText('100×');
    await expect(row.$('[data-testid="classification-badge"]')).toHaveText('Estratégica');
    await expect(dashboardReason('C40')).toHaveText(expect.stringMatching(/^Estratégica: tesis vigente/));
    await screenshot('membership-roi-dashboard');
  });
});
