// Charts for the council (issue 4): the Charts screen of the demo city, its
// chart drawn inline in the app's language, a PNG export written by the
// shell, the council pack, and presentation mode (full screen, arrow keys,
// click, Esc, the window restored).
//
// The native save dialog cannot be driven by WebDriver: the harness sets
// CABILDO_E2E_SAVE_DIR (<data folder>/saved, see wdio.conf.mjs) and the app
// saves there without asking.

import fs from 'node:fs';
import path from 'node:path';

import { byTestId, fill, goTo, openDemo, screenshot } from '../lib/helpers.mjs';

const savedDir = () => path.join(process.env.CABILDO_DATA_DIR, 'saved');

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file) {
  const bytes = fs.readFileSync(file);
  expect(bytes.subarray(0, 8).toString('latin1')).toBe('\x89PNG\r\n\x1a\n');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

/** The text the large chart's SVG draws (its first line is the title). */
const chartText = () =>
  browser.execute(() => document.querySelector('[data-testid="chart-svg"] svg')?.textContent ?? '');

const windowSize = () => browser.execute(() => [window.innerWidth, window.innerHeight]);

describe('Charts for the council', () => {
  it('shows the eight charts of the demo city, one large, in Spanish', async () => {
    await openDemo();
    await goTo('charts');
    await $('[data-testid="chart-svg"] svg').waitForExist({ timeout: 30000 });
    expect(await $$('[data-testid^="chart-thumb-"]')).toHaveLength(8);
    await expect(byTestId('chart-view')).toHaveAttribute('data-kind', 'cost-by-category');
    await browser.waitUntil(async () => (await chartText()).includes('Costo por categoría y red'), {
      timeoutMsg: 'the Spanish title is not drawn',
    });
    expect((await $$('[data-testid="chart-figure"]')).length).toBeGreaterThan(0);
    await screenshot('charts-es');
    await browser.execute(() => document.querySelector('[data-testid="chart-figures"]').scrollIntoView());
    // Only the main area scrolls: nothing on the screen stretches the page.
    expect(await browser.execute(() => document.scrollingElement.scrollTop)).toBe(0);
    await screenshot('charts-figures-es');
  });

  it('follows the app language: English, then Spanish again', async () => {
    await byTestId('lang-en').click();
    await browser.waitUntil(async () => (await chartText()).includes('Cost by category and network'), {
      timeoutMsg: 'the English title is not drawn',
    });
    await expect(byTestId('chart-export-png-3840')).toHaveText('PNG 3840 × 2160');
    await byTestId('chart-thumb-leverage').click();
    await expect(byTestId('chart-view')).toHaveAttribute('data-kind', 'leverage');
    await browser.waitUntil(async () => (await chartText()).includes('Leverage map'));
    await screenshot('charts-en');

    await byTestId('lang-es').click();
    await browser.waitUntil(
      async () => (await chartText()).includes('Mapa de apalancamiento: costo frente a financiamiento'),
      { timeoutMsg: 'the Spanish title is not drawn again' },
    );
  });

  it('explains a period that ends before it starts, translated, and goes back to the last 12 months', async () => {
    await fill('charts-from', '01/01/2099');
    await byTestId('charts-apply').click();
    await expect(byTestId('charts-error')).toHaveText('La fecha final es anterior a la inicial.');
    await expect(byTestId('charts-error')).toHaveAttribute('data-code', 'invalid.end_before_start');
    await byTestId('charts-reset').click();
    await byTestId('charts-error').waitForExist({ reverse: true });
    await expect(byTestId('charts-from')).not.toHaveAttribute('data-iso', '2099-01-01');
    await expect(byTestId('charts-from')).not.toHaveValue('01/01/2099');
  });

  it('refuses a From date that is not a date, without asking for the chart', async () => {
    await fill('charts-from', '30/02/2026');
    await byTestId('charts-apply').click();
    await expect(byTestId('charts-date-error')).toHaveText('Desde: Escriba una fecha como dd/mm/aaaa.');
    await expect(byTestId('charts-from')).toHaveAttribute('aria-invalid', 'true');
    await byTestId('charts-reset').click();
    await byTestId('charts-date-error').waitForExist({ reverse: true });
  });

  it('exports the chart as a 1920 × 1080 PNG without a dialog', async () => {
    await byTestId('chart-export-png-1920').click();
    await expect(byTestId('charts-saved')).toBeDisplayed();
    const file = path.join(savedDir(), 'cabildo-leverage-es-1920x1080.png');
    await expect(byTestId('charts-saved')).toHaveText(expect.stringContaining(file));
    expect(fs.existsSync(file)).toBe(true);
    expect(pngSize(file)).toEqual([1920, 1080]);
  });

  it('saves a council pack of the chosen charts', async () => {
    await byTestId('charts-pack-open').click();
    await byTestId('charts-pack').waitForDisplayed();
    await byTestId('charts-pack-financing-over-time').click();
    await byTestId('charts-pack-lang-en').click();
    await screenshot('charts-pack');
    await byTestId('charts-pack-save').click();
    const file = path.join(savedDir(), 'council-pack.pdf');
    await browser.waitUntil(async () => fs.existsSync(file), { timeout: 30000, timeoutMsg: 'no pack' });
    await expect(byTestId('charts-saved')).toHaveText(expect.stringContaining(file));
    const pdf = fs.readFileSync(file).toString('latin1');
    expect(pdf.startsWith('%PDF')).toBe(true);
    expect(pdf).toContain('/Count 8'); // the title page and seven of the eight charts
  });

  it('presents full screen, moves with the keys and a click, and leaves with Esc', async () => {
    const before = await windowSize();
    await byTestId('charts-present').click();
    await byTestId('presentation').waitForDisplayed();
    const slide = await byTestId('presentation-slide');
    await slide.waitForExist({ timeout: 30000 });
    // The slide starts on the chart that was shown, drawn at the stage's size.
    await expect(slide).toHaveAttribute('data-kind', 'leverage');
    await browser.waitUntil(
      async () => {
        const [w, h] = await browser.execute(() => {
          const box = document.querySelector('[data-testid="presentation-stage"]').getBoundingClientRect();
          return [Math.round(box.width), Math.round(box.height)];
        });
        const el = await byTestId('presentation-slide');
        return (
          Math.abs(Number(await el.getAttribute('data-width')) - Math.max(320, w)) <= 1 &&
          Math.abs(Number(await el.getAttribute('data-height')) - Math.max(320, h)) <= 1
        );
      },
      { timeout: 15000, timeoutMsg: 'the slide is not drawn at the screen size' },
    );
    await screenshot('charts-presentation');

    await browser.keys('ArrowRight');
    await expect(byTestId('presentation')).toHaveAttribute('data-slide', '4');
    await expect(byTestId('presentation-slide')).toHaveAttribute('data-kind', 'project-timelines');
    await expect(byTestId('presentation-counter')).toHaveText('5 de 8');
    await browser.keys('ArrowLeft');
    await browser.keys('ArrowLeft');
    await expect(byTestId('presentation')).toHaveAttribute('data-slide', '2');
    await byTestId('presentation-stage').click(); // a click in the middle moves forward
    await expect(byTestId('presentation')).toHaveAttribute('data-slide', '3');

    await browser.keys('Escape');
    await byTestId('presentation').waitForExist({ reverse: true });
    await browser.waitUntil(async () => {
      const now = await windowSize();
      return now[0] === before[0] && now[1] === before[1];
    }, { timeout: 10000, timeoutMsg: 'the window is not restored' });
    await expect(byTestId('chart-view')).toBeDisplayed();
    await expect(byTestId('charts-present')).toBeFocused();
  });
});
