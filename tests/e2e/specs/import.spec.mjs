// Import ▸ Spreadsheet (issue 12): an office's sheet of costs, in Spanish, with
// a title block, decimal commas, day-first dates and a totals row, imported
// into the demo through the dialog with one column mapped by hand; the
// dashboard shows the new costs, and Undo import takes them back out. Then the
// same file again after the undo, and the imports recorded.
//
// The native open dialog cannot be driven by WebDriver: the harness sets
// CABILDO_E2E_OPEN_FILE (<data folder>/incoming, see wdio.conf.mjs) and the
// app opens that file instead; the spec writes it before each step.

import fs from 'node:fs';
import path from 'node:path';

import { byTestId, choose, dashboardRow, goTo, openDemo, screenshot, textOf } from '../lib/helpers.mjs';

const incoming = () => path.join(process.env.CABILDO_DATA_DIR, 'incoming');

/** dd/mm/yyyy of a day `back` days before today (inside the dashboard's period). */
function daysAgo(back) {
  const d = new Date(Date.now() - back * 86400000);
  const two = (n) => String(n).padStart(2, '0');
  return `${two(d.getDate())}/${two(d.getMonth() + 1)}/${d.getFullYear()}`;
}

/** The sheet as a finance system exports it: "Partida" is no word Cabildo knows. */
function sheet() {
  return [
    'Oficina de Relaciones Internacionales;;;;;',
    'Gastos en redes;;;;;',
    ';;;;;',
    'Fecha;Red;Categoría;Importe;Moneda;Partida',
    `${daysAgo(3)};C40;Viajes;12.500,00;MXN;Vuelo a la cumbre de alcaldes`,
    `${daysAgo(2)};C40;Viajes;8.940,50;MXN;Hotel de la delegación`,
    'Total;;;21.440,50;;',
    '',
  ].join('\r\n');
}

const c40Cost = async () => (await dashboardRow('C40').$('td[data-col="cost"]').getText()).trim();

async function importItem(testid) {
  await byTestId('import-menu').click();
  await byTestId(testid).click();
}

describe('Import a spreadsheet', () => {
  let before = '';

  it('previews the sheet: header under the title, totals left out, formats detected', async () => {
    await openDemo();
    await dashboardRow('C40').waitForDisplayed();
    before = await c40Cost();
    fs.writeFileSync(incoming(), sheet(), 'latin1');
    await importItem('import-spreadsheet');
    await byTestId('import-mapping').waitForDisplayed({ timeout: 30000 });
    await expect(byTestId('import-notes')).toHaveText(expect.stringContaining('fila 4'));
    await expect(byTestId('import-notes')).toHaveText(expect.stringContaining('7'));
    await expect(byTestId('import-ready')).toHaveText(expect.stringContaining('2'));
    await expect(byTestId('import-format-amount_minor')).toHaveValue('point_comma');
    await expect(byTestId('import-column-description')).toHaveValue(':ignore');
    await screenshot('import-preview-es');
  });

  it('maps the description to "Partida" by hand and imports', async () => {
    await choose('import-column-description', 'Partida');
    await browser.waitUntil(async () => (await byTestId('import-records').getText()).includes('Vuelo a la cumbre'), {
      timeoutMsg: 'the preview never showed the description read from Partida',
    });
    await byTestId('import-confirm').click();
    await byTestId('import-done').waitForDisplayed({ timeout: 30000 });
    await expect(byTestId('import-done')).toHaveText(expect.stringContaining('2'));
    await screenshot('import-done-es');
    await byTestId('import-close').click();
    await byTestId('import-dialog').waitForExist({ reverse: true });
  });

  it('shows the new costs on the dashboard', async () => {
    await goTo('dashboard');
    await browser.waitUntil(async () => (await c40Cost()) !== before, {
      timeoutMsg: `the C40 cost stayed ${before}`,
    });
    await goTo('costs');
    await browser.waitUntil(async () => (await textOf('main')).includes('Hotel de la delegación'), {
      timeoutMsg: 'the imported cost is not in the list',
    });
  });

  it('refuses to import the same file twice, and Undo import takes the costs back out', async () => {
    await importItem('import-spreadsheet');
    await byTestId('import-already').waitForDisplayed({ timeout: 30000 });
    await expect(byTestId('import-confirm')).toBeDisabled();
    await byTestId('import-cancel').click();
    await byTestId('import-dialog').waitForExist({ reverse: true });

    await importItem('import-history-open');
    await byTestId('import-history').waitForDisplayed();
    await byTestId('import-history-undo').click();
    await expect(byTestId('import-history-undo')).toHaveText(expect.stringContaining('papelera'));
    await screenshot('import-history-es');
    await byTestId('import-history-undo').click();
    await expect(byTestId('import-history')).toHaveText(expect.stringContaining('Deshecha'));
    await byTestId('import-close').click();

    await goTo('dashboard');
    await browser.waitUntil(async () => (await c40Cost()) === before, {
      timeoutMsg: `the C40 cost did not go back to ${before}`,
    });
  });

  it('says in the user language why a file cannot be read, and keeps the data', async () => {
    fs.writeFileSync(incoming(), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]));
    await importItem('import-spreadsheet');
    await byTestId('import-error').waitForDisplayed({ timeout: 30000 });
    const text = await textOf('import-error');
    expect(text.length).toBeGreaterThan(5);
    expect(text).not.toMatch(/invalid\.|not_a_spreadsheet/);
    await byTestId('import-close').click();
    await goTo('dashboard');
    expect(await c40Cost()).toBe(before);
  });

  it('shows the preview in English', async () => {
    fs.writeFileSync(incoming(), sheet(), 'latin1');
    await byTestId('lang-en').click();
    await importItem('import-spreadsheet');
    await byTestId('import-mapping').waitForDisplayed({ timeout: 30000 });
    await expect(byTestId('import-notes')).toHaveText(expect.stringContaining('Headers on row 4'));
    await expect(byTestId('import-confirm')).toHaveText('Import 2 records');
    await screenshot('import-preview-en');
    await byTestId('import-cancel').click();
    await byTestId('import-dialog').waitForExist({ reverse: true });
    await byTestId('lang-es').click();
  });
});
