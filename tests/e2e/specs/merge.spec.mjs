// Sharing between offices (issue 5): import CDP's public list of cities
// through the Import menu (the report), the Peers screen, the merge of a
// second office's file (preview with counts per kind, Cancel, Confirm, the
// summary), in Spanish and English, and a file that is not a Cabildo
// database refused with its translated error.
//
// The native open dialog cannot be driven by WebDriver: the harness sets
// CABILDO_E2E_OPEN_FILE (<data folder>/incoming, see wdio.conf.mjs) and the
// app opens that file instead; the spec writes it before each step.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { byTestId, goTo, openDemo, screenshot } from '../lib/helpers.mjs';
import { cli, repoRoot } from '../lib/paths.mjs';

const incoming = () => path.join(process.env.CABILDO_DATA_DIR, 'incoming');
const cdpCsv = path.resolve(repoRoot, '..', 'shared', 'data', 'cdp-cities-disclosing-2018.csv');

async function shareItem(testid) {
  await byTestId('share-menu').click();
  await byTestId(testid).click();
}

const number = async (testid) => Number((await byTestId(testid).getText()).trim());

describe('Sharing between offices', () => {
  it('imports the CDP list of cities and shows the report', async function () {
    if (!fs.existsSync(cdpCsv)) this.skip();
    await openDemo();
    fs.copyFileSync(cdpCsv, incoming());
    await byTestId('import-menu').click();
    await byTestId('share-import-cdp').click();
    await byTestId('cdp-report').waitForDisplayed({ timeout: 60000 });
    await expect(byTestId('share-dialog')).toHaveText(expect.stringContaining('Ciudades agregadas'));
    await screenshot('cdp-report-es');
    await byTestId('share-close').click();
  });

  it('shows the peers of the imported cities', async function () {
    if (!fs.existsSync(cdpCsv)) this.skip();
    await goTo('peers');
    await byTestId('peers-overlap').waitForDisplayed({ timeout: 30000 });
    await expect(byTestId('peers-cities')).toHaveText(expect.stringContaining('ciudades importadas'));
    await screenshot('peers-es');
  });

  it('previews the merge of another office file, cancels, then merges it', async () => {
    if (!(await byTestId('share-menu').isExisting())) await openDemo();
    fs.rmSync(incoming(), { force: true });
    execFileSync(cli, ['generate', incoming(), '--cities', '1', '--seed', '11']);

    await shareItem('share-merge');
    await byTestId('merge-counts').waitForDisplayed({ timeout: 30000 });
    const planned = await number('merge-total-new');
    expect(planned).toBeGreaterThan(0);
    await screenshot('merge-plan-es');
    await byTestId('merge-cancel').click();
    await byTestId('share-dialog').waitForExist({ reverse: true });

    await byTestId('lang-en').click();
    await shareItem('share-merge');
    await byTestId('merge-counts').waitForDisplayed({ timeout: 30000 });
    await expect(byTestId('merge-confirm')).toHaveText('Merge');
    await screenshot('merge-plan-en');
    await byTestId('merge-confirm').click();
    await byTestId('merge-summary').waitForDisplayed({ timeout: 60000 });
    expect(await number('summary-new')).toBe(planned);
    await screenshot('merge-summary-en');
    await byTestId('share-close').click();

    // The backup taken before the merge is listed; the conflict log is empty.
    await shareItem('share-backups');
    await byTestId('backups-list').waitForDisplayed({ timeout: 30000 });
    await screenshot('backups-en');
    await byTestId('share-close').click();
    await shareItem('share-conflicts');
    await byTestId('conflict-log-empty').waitForDisplayed({ timeout: 30000 });
    await byTestId('share-close').click();
    if (await byTestId('nav-peers').isExisting()) {
      await goTo('peers');
      await screenshot('peers-en');
    }
  });

  it('refuses a file that is not a Cabildo database, translated', async () => {
    fs.writeFileSync(incoming(), 'not a database at all');
    await shareItem('share-merge');
    await byTestId('share-error').waitForDisplayed({ timeout: 30000 });
    await expect(byTestId('share-error')).toHaveAttribute('data-code', 'not_cabildo');
    await expect(byTestId('share-error')).toHaveText('That file is not a Cabildo database.');
    await screenshot('merge-error-en');
    await byTestId('share-close').click();
    await byTestId('lang-es').click();
  });

  it('exports the costs as CSV for Excel from their screen', async () => {
    await goTo('costs');
    await screenshot('costs-es');
    await byTestId('cost_entry-export-csv').click();
    await byTestId('share-message').waitForDisplayed({ timeout: 30000 });
    await expect(byTestId('share-message')).toHaveText(expect.stringContaining('registros:'));
    const saved = path.join(process.env.CABILDO_DATA_DIR, 'saved', 'cabildo-cost_entry.csv');
    const text = fs.readFileSync(saved, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff); // Excel reads the accents
    expect(text.split('\n')[0]).toContain('Categoría');
    await byTestId('share-close').click();
  });

  it('cancels a running merge and leaves the local file as it was', async () => {
    fs.rmSync(incoming(), { force: true });
    execFileSync(cli, ['generate', incoming(), '--cities', '1', '--seed', '12']);
    await shareItem('share-merge');
    await byTestId('merge-counts').waitForDisplayed({ timeout: 30000 });
    const planned = await number('merge-total-new');
    await byTestId('merge-confirm').click();
    // The harness slows merges down (CABILDO_E2E_MERGE_PAUSE_MS): Cancel lands mid-way.
    await byTestId('merge-progress').waitForDisplayed({ timeout: 30000 });
    await browser.waitUntil(async () => Number(await byTestId('merge-progress').getProperty('value')) > 0, {
      timeoutMsg: 'the progress never moved',
    });
    await screenshot('merge-progress-es');
    await byTestId('merge-cancel').click();
    await byTestId('share-message').waitForDisplayed({ timeout: 30000 });
    await expect(byTestId('share-message')).toHaveText('La fusión se canceló; el archivo local quedó como estaba.');
    await byTestId('share-close').click();

    // Nothing of it was kept: the same file plans the same new records again.
    await shareItem('share-merge');
    await byTestId('merge-counts').waitForDisplayed({ timeout: 30000 });
    expect(await number('merge-total-new')).toBe(planned);
    await byTestId('merge-cancel').click();
    await byTestId('share-dialog').waitForExist({ reverse: true });
  });
});
