// The top bar's global search (issue 13): Ctrl+K, words without accents find
// records of every kind grouped by kind, and Enter opens the chosen record's
// form on its screen.

import { allByTestId, byTestId, goTo, openDemo, screenshot } from '../lib/helpers.mjs';

/** What the results panel shows: each group's kind, and each hit's kind and label. */
async function shown() {
  return browser.execute(() => ({
    groups: [...document.querySelectorAll('[data-testid="global-search-group"]')].map((g) => g.dataset.kind),
    hits: [...document.querySelectorAll('[data-testid="global-search-hit"]')].map((h) => [
      h.dataset.kind,
      h.querySelector('.label')?.textContent ?? '',
    ]),
  }));
}

/**
 * Types a new query as a person does: select what is there, type over it.
 * (WebKitWebDriver drops a key repeated at once: the queries have no double letters.)
 */
async function typeQuery(text) {
  const input = await byTestId('global-search-input');
  await input.click();
  await browser.execute((el) => el.select(), input);
  await browser.keys(['Backspace']);
  await browser.keys(text);
  await browser.waitUntil(async () => (await input.getValue()) === text, {
    timeoutMsg: `the box never read "${text}" (it read "${await input.getValue()}")`,
  });
}

/**
 * What overlaps in the top bar: pairs of its items whose boxes meet, whether the bar is
 * wider than the window, and whether the shortcut hint (when shown) covers the placeholder.
 */
async function topBarClashes() {
  return browser.execute(() => {
    const bar = document.querySelector('[data-testid="topbar"]');
    const items = [...bar.querySelectorAll(':scope > div > *')].filter((el) => el.getClientRects().length > 0);
    const clashes = items.length < 4 ? [`only ${items.length} items in the bar`] : [];
    for (let i = 0; i < items.length; i += 1) {
      for (let j = i + 1; j < items.length; j += 1) {
        const a = items[i].getBoundingClientRect();
        const b = items[j].getBoundingClientRect();
        if (a.left < b.right - 0.5 && b.left < a.right - 0.5) {
          clashes.push(`${items[i].textContent.trim()} / ${items[j].textContent.trim()}`);
        }
      }
    }
    if (bar.scrollWidth > bar.clientWidth + 1) clashes.push('the bar overflows the window');
    const input = document.querySelector('[data-testid="global-search-input"]');
    const hint = bar.querySelector('.hint');
    const hintShown = Boolean(hint && hint.getClientRects().length > 0);
    if (hintShown) {
      const style = getComputedStyle(input);
      const context = document.createElement('canvas').getContext('2d');
      context.font = style.font;
      const textEnd =
        input.getBoundingClientRect().left +
        parseFloat(style.borderLeftWidth) +
        parseFloat(style.paddingLeft) +
        context.measureText(input.placeholder).width;
      if (hint.getBoundingClientRect().left < textEnd) clashes.push('the hint covers the placeholder');
    }
    return { clashes, hintShown };
  });
}

describe('Global search', () => {
  it('is focused by Ctrl+K', async () => {
    await openDemo();
    await goTo('dashboard');
    await browser.keys(['Control', 'k']);
    await browser.waitUntil(
      async () => browser.execute(() => document.activeElement?.getAttribute('data-testid')),
      { timeoutMsg: 'nothing focused' },
    );
    const focused = await browser.execute(() => document.activeElement?.getAttribute('data-testid'));
    expect(focused).toBe('global-search-input');
  });

  it('finds records of several kinds by words typed without accents, grouped by kind', async () => {
    await typeQuery('techos solares');
    await browser.waitUntil(async () => (await allByTestId('global-search-hit')).length > 0, {
      timeoutMsg: 'no results',
    });
    const { groups, hits } = await shown();
    expect(groups).toEqual(expect.arrayContaining(['project', 'outcome']));
    expect(hits).toContainEqual(['project', 'Techos solares en edificios municipales']);
    await screenshot('search-results');
  });

  it('says when nothing matches, even for FTS syntax', async () => {
    await typeQuery('"NEAR( OR *');
    await byTestId('global-search-empty').waitForDisplayed();
    await expect(byTestId('global-search-empty')).toHaveText('Nada encontrado.');
  });

  it('opens the chosen record in its form with Enter', async () => {
    await typeQuery('financiamiento climatico');
    await browser.waitUntil(
      async () => (await shown()).hits.some(([kind]) => kind === 'meeting'),
      { timeoutMsg: 'the meeting was not found' },
    );
    const { hits } = await shown();
    const index = hits.findIndex(([kind]) => kind === 'meeting');
    for (let i = 0; i < index; i += 1) await browser.keys('ArrowDown');
    await browser.keys('Enter');
    await expect(byTestId('main')).toHaveAttribute('data-screen', 'meetings');
    const title = await byTestId('form-meeting-title');
    await title.waitForDisplayed();
    await expect(title).toHaveValue('Taller de financiamiento climático');
    await screenshot('search-opened');
  });

  it('fits the top bar in both languages, down to the narrowest window', async () => {
    // An empty box shows its placeholder and the shortcut hint.
    const input = await byTestId('global-search-input');
    await browser.execute((el) => {
      el.value = '';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, input);
    await byTestId('global-search').$('.hint').waitForExist();
    let hintsShown = 0;
    for (const lang of ['en', 'es']) {
      await (await byTestId(`lang-${lang}`)).click();
      for (const width of [1440, 1280, 1100, 960]) {
        await browser.setWindowSize(width, 800);
        await browser.waitUntil(async () => (await browser.execute(() => window.outerWidth)) === width, {
          timeoutMsg: `the window never became ${width} wide`,
        });
        const { clashes, hintShown } = await topBarClashes();
        expect({ lang, width, clashes }).toEqual({ lang, width, clashes: [] });
        if (hintShown) hintsShown += 1;
      }
    }
    // Where the box has room, the hint shows (and was checked against the placeholder).
    expect(hintsShown).toBeGreaterThan(0);
    await browser.setWindowSize(1280, 800);
  });
});
