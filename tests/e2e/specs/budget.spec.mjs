// The budget cycle (issue 14) on the demo city: an invoice paid in two parts goes
// from unpaid to paid and its arrears leave the dashboard; a recommendation
// overridden with a justification reaches the budget chart, the council pack and
// the Excel export's budget sheet.

import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import {
  byTestId,
  choose,
  dashboardRow,
  fill,
  goTo,
  openDemo,
  screenshot,
} from '../lib/helpers.mjs';

const savedDir = () => path.join(process.env.CABILDO_DATA_DIR, 'saved');
const JUSTIFICATION = 'La ventanilla digital entra en ejecución: la red aporta la asistencia técnica.';

/** The row of a generic list whose cell in `column` reads `text`. */
async function rowWith(list, column, text) {
  const rows = await $$(`[data-testid="${list}-row"]`);
  for (const row of rows) {
    const cell = await row.$(`td[data-col="${column}"]`);
    if ((await cell.isExisting()) && (await cell.getText()) === text) return row;
  }
  throw new Error(`no row of ${list} with ${column} "${text}"`);
}

/** The row of a generic list whose text holds `part` (long cells are clamped). */
async function waitForRowHolding(list, part) {
  let found = null;
  await browser.waitUntil(
    async () => {
      for (const row of await $$(`[data-testid="${list}-row"]`)) {
        // textContent: a clamped cell's rendered text can be empty.
        if ((await browser.execute((el) => el.textContent, row)).includes(part)) {
          found = row;
          return true;
        }
      }
      return false;
    },
    { timeoutMsg: `no row of ${list} holding "${part}"` },
  );
  return found;
}

async function waitForRowWith(list, column, text) {
  let found = null;
  await browser.waitUntil(
    async () => {
      try {
        found = await rowWith(list, column, text);
        return true;
      } catch {
        return false;
      }
    },
    { timeoutMsg: `no row of ${list} with ${column} "${text}"` },
  );
  return found;
}

const status = async () => (await byTestId('invoice-status')).getText();

/** Clicks a button after bringing it to the middle of the window (a long form's
 * Save can sit under the window's lower edge, where a click does not land). */
async function press(testid) {
  await pressElement(await byTestId(testid));
}

async function pressElement(button) {
  await button.scrollIntoView({ block: 'center' });
  await button.click();
}

describe('The budget cycle', () => {
  it('lists the demo invoices with where each stands', async () => {
    await openDemo();
    await goTo('dues');
    const late = await waitForRowWith('list-invoice', 'reference', 'MC-0131');
    await expect(late.$('td[data-col="status"]')).toHaveText('Sin pagar');
    await expect(late.$('td[data-col="arrears"]')).toHaveText(expect.stringContaining("USD 2,000.00"));
    const paid = await rowWith('list-invoice', 'reference', 'ICLEI-0412');
    await expect(paid.$('td[data-col="status"]')).toHaveText('Pagada');
    // What each network would cost the city by its rules, member or not.
    expect((await $$('[data-testid="dues-estimate-row"]')).length).toBeGreaterThan(5);
    await screenshot('budget-dues');
  });

  it('records an overdue invoice, which the dashboard shows in arrears', async () => {
    await press('invoice-new');
    await choose('form-invoice-membership_id', 'UCLG');
    await fill('form-invoice-amount_minor', '10,000');
    await fill('form-invoice-issued_on', '2/1/2026');
    await fill('form-invoice-due_on', '15/1/2026');
    await fill('form-invoice-reference', 'UCLG-EXTRA');
    await press('form-invoice-save');
    await expect(byTestId('invoice-notice')).toHaveText('Guardado.');
    await goTo('dashboard');
    const row = await dashboardRow('UCLG');
    await row.waitForDisplayed();
    await expect(row.$('span[data-col="arrears"]')).toHaveText(expect.stringContaining('$10,000.00'));
  });

  it('is paid in two parts: unpaid, partly paid, paid', async () => {
    await goTo('dues');
    const row = await waitForRowWith('list-invoice', 'reference', 'UCLG-EXTRA');
    await pressElement(await row.$('[data-testid="invoice-payments"]'));
    await browser.waitUntil(async () => (await status()) === 'Sin pagar', { timeoutMsg: 'not unpaid' });
    await press('cost_entry-new');
    // The payment starts as what is left, in the invoice's currency.
    await expect(byTestId('form-cost_entry-amount_minor')).toHaveValue(expect.stringContaining('10'));
    await fill('form-cost_entry-amount_minor', '4,000');
    await press('form-cost_entry-save');
    await browser.waitUntil(async () => (await status()) === 'Pagada en parte', {
      timeoutMsg: `not partly paid (${await status()})`,
    });
    await expect(byTestId('invoice-standing')).toHaveText(expect.stringContaining('$6,000.00'));
    await press('cost_entry-new');
    await fill('form-cost_entry-amount_minor', '6,000');
    await press('form-cost_entry-save');
    await browser.waitUntil(async () => (await status()) === 'Pagada', { timeoutMsg: 'not paid' });
    await expect($$('[data-testid="list-cost_entry-row"]')).toBeElementsArrayOfSize(2);
    await screenshot('budget-invoice-paid');
  });

  it('leaves the dashboard without those arrears', async () => {
    await goTo('dashboard');
    const row = await dashboardRow('UCLG');
    await row.waitForDisplayed();
    await browser.waitUntil(async () => !(await row.$('span[data-col="arrears"]').isExisting()), {
      timeoutMsg: 'the arrears are still shown',
    });
    // Mercociudades' dues are still overdue.
    await expect((await dashboardRow('Mercociudades')).$('span[data-col="arrears"]')).toBeExisting();
  });

  it('proposes next year with an exit, and keeps an override with its justification', async () => {
    await goTo('budget');
    const year = String(new Date().getFullYear() + 1);
    await expect(byTestId('budget-year')).toHaveValue(year);
    const metropolis = await waitForRowWith('list-budget', 'membership', 'Metropolis');
    await expect(metropolis.$('td[data-col="decision"]')).toHaveText('Salir');
    const uclg = await rowWith('list-budget', 'membership', 'UCLG');
    await pressElement(await uclg.$('[data-testid="budget-plan"]'));
    const plan = await byTestId('list-budget_plan-row');
    await plan.waitForDisplayed();
    await pressElement(await plan.$('[data-testid="list-budget_plan-edit"]'));
    await choose('form-budget_plan-decision', 'upgrade');
    await fill('form-budget_plan-justification', JUSTIFICATION);
    await press('form-budget_plan-save');
    await browser.waitUntil(
      async () =>
        (await (await rowWith('list-budget', 'membership', 'UCLG')).$('td[data-col="decision"]').getText()) ===
        'Ampliar (decisión de la oficina)',
      { timeoutMsg: 'the override is not in the proposal' },
    );
    await screenshot('budget-proposal');
  });

  it('shows the override among the budget chart\'s key figures', async () => {
    await goTo('charts');
    await byTestId('chart-thumb-budget').click();
    await expect(byTestId('chart-view')).toHaveAttribute('data-kind', 'budget');
    await browser.waitUntil(
      async () =>
        (await browser.execute(() => document.querySelector('[data-testid="chart-figures"]')?.textContent ?? '')).includes(
          JUSTIFICATION,
        ),
      { timeoutMsg: 'the justification is not among the key figures', timeout: 30000 },
    );
    await screenshot('budget-chart');
  });

  it('saves the council pack with the budget page', async () => {
    await press('charts-pack-open');
    await byTestId('charts-pack').waitForDisplayed();
    await press('charts-pack-save');
    // Saved under the pack's language's name (Spanish by default).
    const file = path.join(savedDir(), 'paquete-cabildo.pdf');
    await browser.waitUntil(async () => fs.existsSync(file) && fs.statSync(file).size > 0, {
      timeout: 40000,
      timeoutMsg: 'no pack',
    });
    // A title page and the eight charts, the budget's among them.
    const pdf = fs.readFileSync(file).toString('latin1');
    expect(pdf).toContain('/Count 9');
  });

  it('says the grant element of each loan from its terms', async () => {
    await goTo('outcomes');
    const dear = await waitForRowHolding('list-outcome', 'Crédito de Banobras en pesos');
    await pressElement(await dear.$('[data-testid="outcome-attribution"]'));
    // 9.2 % against a 5 % discount rate: a negative grant element, said as such.
    await browser.waitUntil(
      async () => (await byTestId('outcome-grant-element').getText().catch(() => '')).startsWith('Elemento de donación: -'),
      { timeoutMsg: 'no negative grant element for the 9.2 % loan' },
    );
    const soft = await waitForRowHolding('list-outcome', 'Préstamo del Banco Mundial');
    await pressElement(await soft.$('[data-testid="outcome-attribution"]'));
    await browser.waitUntil(
      async () => /^Elemento de donación: \d/.test(await byTestId('outcome-grant-element').getText().catch(() => '')),
      { timeoutMsg: 'no positive grant element for the 3.1 % loan' },
    );
  });

  it('exports the budget sheet, with the override, to Excel', async () => {
    await byTestId('share-menu').click();
    await byTestId('share-export-xlsx').click();
    const file = path.join(savedDir(), 'cabildo.xlsx');
    await browser.waitUntil(async () => fs.existsSync(file) && fs.statSync(file).size > 0, {
      timeout: 60000,
      timeoutMsg: 'no workbook',
    });
    const zip = await JSZip.loadAsync(fs.readFileSync(file));
    const workbook = await zip.file('xl/workbook.xml').async('string');
    expect(workbook).toContain(`name="Presupuesto ${new Date().getFullYear() + 1}"`);
    expect(workbook).toContain('name="Estado de cuotas"');
    let found = false;
    for (const name of Object.keys(zip.files).filter((n) => n.endsWith('.xml'))) {
      if ((await zip.file(name).async('string')).includes(JUSTIFICATION)) found = true;
    }
    expect(found).toBe(true);
  });
});
