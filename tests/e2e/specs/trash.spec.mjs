// Deleting moves a record to the trash, from which it is restored.

import { byTestId, fill, goTo, startEmpty } from '../lib/helpers.mjs';

describe('Trash', () => {
  it('creates a network', async () => {
    await startEmpty();
    await goTo('networks');
    await byTestId('network-new').click();
    await fill('form-network-name', 'Red Efímera de Prueba');
    await fill('form-network-acronym', 'REP');
    await byTestId('form-network-save').click();
    await fill('list-network-search', 'Efímera');
    await expect(byTestId('list-network-count')).toHaveText(expect.stringMatching(/^1 de /));
  });

  it('deletes it: it leaves the list', async () => {
    await byTestId('list-network-delete').click();
    await expect(byTestId('network-notice')).toHaveText(expect.stringContaining('se movió a la papelera'));
    await expect(byTestId('list-network-count')).toHaveText(expect.stringMatching(/^0 de /));
  });

  it('finds it in the trash and restores it', async () => {
    await goTo('trash');
    const row = await $('[data-testid="list-trash"] td[data-col="label"]');
    await expect(row).toHaveText('REP — Red Efímera de Prueba');
    await expect($('[data-testid="list-trash"] td[data-col="kind"]')).toHaveText('Red');
    await byTestId('trash-restore').click();
    await expect(byTestId('trash-notice')).toHaveText(expect.stringContaining('se restauró'));
    await expect(byTestId('list-trash')).toHaveText(expect.stringContaining('No hay registros.'));
  });

  it('shows it in the list again', async () => {
    await goTo('networks');
    await fill('list-network-search', 'Efímera');
    await expect(byTestId('list-network-count')).toHaveText(expect.stringMatching(/^1 de /));
    await expect($('[data-testid="list-network"] td[data-col="acronym"]')).toHaveText('REP');
  });
});
