// The lists of a coordinator's file are answered by the core (issue 13): on a
// generated 200-city file (200,000 costs; wdio.conf.mjs makes it and opens it
// with --open), the Costs list shows the page the core gives for the same
// query (`cabildo list … --json`), re-sorted, filtered and paged.

import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { byTestId, goTo, screenshot } from '../lib/helpers.mjs';
import { cli } from '../lib/paths.mjs';

const file = () => path.join(process.env.CABILDO_DATA_DIR, 'coordinador.cabildo');

/** The core's answer to a query of the Costs list (what the UI should show). */
function corePage(...args) {
  const out = execFileSync(cli, ['list', file(), 'cost_entry', '--json', ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out);
}

/** The texts of one column of the Costs list, as the DOM holds them. */
async function column(name) {
  return browser.execute(
    (col) =>
      [...document.querySelectorAll(`[data-testid="list-cost_entry"] td[data-col="${col}"]`)].map((td) =>
        td.textContent.trim(),
      ),
    name,
  );
}

/** The numbers of "12 de 200000 registros", separators aside. */
async function counted() {
  const text = await byTestId('list-cost_entry-count').getText();
  return (text.match(/[\d.,\u00a0\u202f]+/g) ?? []).map((n) => Number(n.replace(/[^\d]/g, '')));
}

/**
 * What a row of the core's page shows that tells it from the others: its
 * membership's label (as the core names it) and its amount's digits.
 */
function expectedRows(page) {
  return page.rows.map((r) => ({
    membership: r.membership_id ? page.labels[r.membership_id] : 'Trabajo internacional general',
    amount: r.amount_minor === null ? null : String(r.amount_minor),
  }));
}

async function shownRows() {
  const memberships = await column('membership_id');
  const values = await column('value');
  return memberships.map((membership, i) => ({ membership, digits: (values[i] ?? '').replace(/[^\d]/g, '') }));
}

/** Waits until the list shows the core's page, row by row, in its order. */
async function waitForPage(page, label) {
  const expected = expectedRows(page);
  expect(expected.length).toBeGreaterThan(0);
  let last = [];
  const same = async () => {
    last = await shownRows();
    return (
      last.length === expected.length &&
      expected.every(
        (e, i) => e.membership === last[i].membership && (e.amount === null || e.amount === last[i].digits),
      )
    );
  };
  await browser.waitUntil(same, {
    timeout: 30000,
    timeoutMsg: `${label}: the list never showed the core's page (shown ${JSON.stringify(last.slice(0, 3))}, expected ${JSON.stringify(expected.slice(0, 3))})`,
  });
}

/** The acronyms of the membership rows the dashboard shows. */
async function dashboardNetworks() {
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid="dashboard-row"]')].map((tr) => tr.getAttribute('data-network')),
  );
}

describe('The lists of a coordinator file, answered by the core', () => {
  it('opens on the roll-ups per network and per city, and a network\'s memberships a page at a time', async function () {
    this.timeout(180000);
    await byTestId('main').waitForDisplayed({ timeout: 120000 });
    if (await byTestId('lang-es').isExisting()) await byTestId('lang-es').click();
    await byTestId('dashboard-by-network').waitForDisplayed({ timeout: 120000 });
    await byTestId('dashboard-by-city').waitForDisplayed();
    // Roll-ups first: no membership row until one is asked for.
    expect(await dashboardNetworks()).toHaveLength(0);
    await expect(byTestId('dashboard-choose')).toBeDisplayed();
    const cities = await $$('[data-testid="rollup-city-row"]');
    expect(cities.length).toBe(20); // one page of the 200 cities
    const label = await browser.execute(
      () => document.querySelector('[data-testid="rollup-network-row"] td[data-col="label"]').textContent.trim(),
    );
    const acronym = label.split(' — ')[0];
    await screenshot('lists-dashboard-rollups');
    await byTestId('rollup-network-show').click();
    await browser.waitUntil(async () => (await dashboardNetworks()).length > 0, { timeoutMsg: 'no membership rows' });
    const first = await dashboardNetworks();
    expect(first.length).toBe(50);
    expect(first.every((n) => n === acronym)).toBe(true);
    await expect(byTestId('dashboard-rows-page')).toHaveText(expect.stringContaining('1–50 de'));
    await byTestId('dashboard-rows-next').scrollIntoView({ block: 'center' });
    await byTestId('dashboard-rows-next').click();
    await expect(byTestId('dashboard-rows-page')).toHaveText(expect.stringContaining('51–'));
    expect((await dashboardNetworks()).every((n) => n === acronym)).toBe(true);
    await screenshot('lists-dashboard-network-rows');
    await byTestId('dashboard-rows-close').click();
    await byTestId('dashboard-choose').waitForDisplayed();
  });

  it('shows the newest costs with the total the core counts', async function () {
    this.timeout(180000);
    await goTo('costs');
    const page = corePage('--sort', 'spent_on:desc', '--page-size', '50');
    expect(page.total).toBeGreaterThan(100000);
    await waitForPage(page, 'newest first');
    expect(await column('membership_id')).toHaveLength(50);
    const [shown, total] = await counted();
    expect(shown).toBe(page.total);
    expect(total).toBe(page.total);
    await screenshot('lists-costs-200-cities');
  });

  it('sorts by amount through the core, ascending then descending', async () => {
    await byTestId('list-cost_entry-sort-value').click();
    await waitForPage(corePage('--sort', 'amount_minor', '--page-size', '50'), 'smallest first');
    await byTestId('list-cost_entry-sort-value').click();
    await waitForPage(corePage('--sort', 'amount_minor:desc', '--page-size', '50'), 'largest first');
  });

  it('filters to travel and pages on, each page the core\'s', async () => {
    const select = await byTestId('list-cost_entry-filter-category');
    await select.selectByAttribute('value', 'travel');
    const first = corePage('--sort', 'amount_minor:desc', '--filter', 'category=travel', '--page-size', '50');
    expect(first.total).toBeGreaterThan(0);
    await waitForPage(first, 'travel, largest first');
    await browser.waitUntil(async () => (await counted())[0] === first.total, {
      timeoutMsg: 'the count never read the filtered total',
    });
    const [, whole] = await counted();
    expect(whole).toBeGreaterThan(first.total);
    await byTestId('list-cost_entry-next').click();
    const second = corePage(
      '--sort',
      'amount_minor:desc',
      '--filter',
      'category=travel',
      '--page-size',
      '50',
      '--page',
      '2',
    );
    await waitForPage(second, 'travel, second page');
    await screenshot('lists-costs-travel-page-2');
  });
});
