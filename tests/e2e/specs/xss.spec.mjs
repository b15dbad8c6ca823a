// Data is shown as text: markup typed into a name is never interpreted.

import { byTestId, fill, goTo, screenshot, startEmpty, textOf } from '../lib/helpers.mjs';

const MARKUP = '<img src=x onerror=alert(1)>';

describe('Names are text', () => {
  it('starts empty with a city named with markup', async () => {
    await startEmpty(MARKUP);
    expect(await textOf('city-name')).toBe(MARKUP);
  });

  it('saves a network named with markup and lists it as text', async () => {
    await goTo('networks');
    await byTestId('network-new').click();
    await fill('form-network-name', MARKUP);
    await fill('form-network-acronym', 'XSS');
    await byTestId('form-network-save').click();
    await expect(byTestId('network-notice')).toHaveText('Guardado.');
    await fill('list-network-search', 'XSS');
    await expect(byTestId('list-network-count')).toHaveText(expect.stringMatching(/^1 de /));
    await expect($('[data-testid="list-network"] td[data-col="name"]')).toHaveText(MARKUP);
    await screenshot('xss-networks');
  });

  it('created no image element and raised no alert', async () => {
    const images = await browser.execute(() => document.querySelectorAll('main img, header img').length);
    expect(images).toBe(0);
    let alertText = null;
    try {
      alertText = await browser.getAlertText();
    } catch {
      alertText = null;
    }
    expect(alertText).toBeNull();
  });
});
