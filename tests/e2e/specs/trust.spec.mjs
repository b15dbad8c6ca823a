// Figures a council can trust: numbers typed the office's way, a figure that
// opens the records it sums, and a deletion that says what goes with it.

import {
  byTestId,
  choose,
  dashboardRow,
  fill,
  goTo,
  screenshot,
  startEmpty,
  textOf,
  waitForCell,
  waitForText,
} from '../lib/helpers.mjs';

async function setNumberFormat(format) {
  await goTo('settings');
  await choose('office-number-format', format);
  await byTestId('office-save').click();
  await expect(byTestId('office-form')).toHaveText(expect.stringContaining('Datos de la oficina guardados.'));
}

async function newTravelCost(amount) {
  await goTo('costs');
  await byTestId('cost_entry-new').click();
  await choose('form-cost_entry-membership_id', 'C40');
  await fill('form-cost_entry-amount_minor', amount);
  await fill('form-cost_entry-description', 'Vuelo a la cumbre');
  await byTestId('form-cost_entry-save').click();
}

describe('Figures a council can trust', () => {
  it('starts empty with a C40 membership', async () => {
    await startEmpty('Ciudad de Prueba');
    await goTo('memberships');
    await byTestId('membership-new').click();
    await choose('form-membership-network_id', 'C40');
    await byTestId('form-membership-save').click();
    await expect(byTestId('membership-notice')).toHaveText('Guardado.');
  });

  it('with 1.234,56 chosen, reads 1.500,50 as fifteen hundred and shows it so', async () => {
    await setNumberFormat('1.234,56');
    await newTravelCost('1.500,50');
    await expect(byTestId('cost_entry-notice')).toHaveText('Guardado.');
    await waitForCell('list-cost_entry', 'value', '$1.500,50');
  });

  it('with 1,234.56 chosen, refuses 1500,5 beside the field and saves nothing', async () => {
    await setNumberFormat('1,234.56');
    await newTravelCost('1500,5');
    await waitForText('form-cost_entry-amount_minor-error', 'Escriba los decimales con punto: 1,500.5');
    await expect(byTestId('list-cost_entry-count')).toHaveText('1 de 1 registros');
    await screenshot('trust-decimal-comma-refused');
    await byTestId('form-cost_entry-cancel').click();
    await waitForCell('list-cost_entry', 'value', '$1,500.50');
  });

  it('opens a dashboard cost to its entries, whose total equals the cell', async () => {
    await goTo('dashboard');
    const row = await dashboardRow('C40');
    await row.waitForDisplayed();
    const cell = await row.$('[data-testid="figure-cost_total"]');
    await expect(cell).toHaveText('$1,500.50');
    await cell.click();
    await byTestId('explain-table').waitForDisplayed();
    await expect(byTestId('explain-sum')).toHaveText('$1,500.50');
    await expect(byTestId('explain-total')).toHaveText(expect.stringContaining('$1,500.50'));
    const rows = await $$('[data-testid="explain-row"]');
    expect(rows.length).toBe(1);
    await screenshot('trust-explain');
    await byTestId('explain-close').click();
    await byTestId('explain-dialog').waitForExist({ reverse: true });
    // The same records in English.
    await byTestId('lang-en').click();
    await (await dashboardRow('C40')).$('[data-testid="figure-cost_total"]').click();
    await waitForText('explain-sum', 'MX$1,500.50');
    await expect(byTestId('explain-table')).toHaveText(expect.stringContaining('Same currency'));
    await screenshot('trust-explain-en');
    await byTestId('explain-close').click();
    await byTestId('explain-dialog').waitForExist({ reverse: true });
    await byTestId('lang-es').click();
  });

  it('says what a membership takes to the trash, and changes nothing until confirmed', async () => {
    await goTo('memberships');
    await byTestId('list-membership-delete').click();
    await waitForText(
      'membership-delete-confirm-text',
      'Con «C40 · Ciudad de Prueba» irán a la papelera los registros que dependen de este registro (Costo: 1) y saldrán de los totales. Si lo restaura, volverán con él.',
    );
    await screenshot('trust-delete-confirm');
    await byTestId('membership-delete-confirm-no').click();
    await goTo('dashboard');
    await expect((await dashboardRow('C40')).$('[data-testid="figure-cost_total"]')).toHaveText('$1,500.50');
    expect(await textOf('dashboard-totals')).toContain('$1,500.50');
  });

  it('moves it with its cost once confirmed, and brings both back', async () => {
    await goTo('memberships');
    await byTestId('list-membership-delete').click();
    await byTestId('membership-delete-confirm-yes').click();
    await expect(byTestId('membership-notice')).toHaveText(
      '«C40 · Ciudad de Prueba» se movió a la papelera con los registros que dependen de este registro (Costo: 1).',
    );
    await goTo('trash');
    await waitForCell('list-trash', 'dependents', '1');
    await byTestId('trash-restore').click();
    await goTo('costs');
    await waitForCell('list-cost_entry', 'value', '$1,500.50');
  });
});
