// Helpers shared by the end-to-end specs: finding elements by data-testid,
// the first-start choice, filling the generic forms.

import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const byTestId = (id) => $(`[data-testid="${id}"]`);
export const allByTestId = (id) => $$(`[data-testid="${id}"]`);

/**
 * Set CABILDO_E2E_SCREENSHOTS=/some/folder to keep pictures. Taken of the
 * (virtual) X display with ImageMagick's `import`: WebKitWebDriver's own
 * screenshot command does not return with Tauri apps.
 */
export async function screenshot(name) {
  const dir = process.env.CABILDO_E2E_SCREENSHOTS;
  if (!dir) return;
  await browser.pause(400); // let the last repaint reach the display
  execFileSync('import', ['-window', 'root', path.join(dir, `${name}.png`)]);
}

/**
 * Waits for the first-start choice of a fresh data folder, in Spanish (the
 * language choice is kept by the webview's storage, which specs share).
 */
export async function waitForWelcome() {
  await byTestId('welcome').waitForDisplayed({ timeout: 30000 });
  await byTestId('lang-es').click();
}

/**
 * Waits until the first cell of a column of a generic list holds this text
 * (read from the DOM: WebKitWebDriver reads no text from clamped cells).
 */
export async function waitForCell(listTestId, column, text) {
  const selector = `[data-testid="${listTestId}"] td[data-col="${column}"]`;
  const read = () =>
    browser.execute((s) => document.querySelector(s)?.textContent.trim() ?? null, selector);
  await browser.waitUntil(async () => (await read()) === text, {
    timeoutMsg: `${selector} never read "${text}"`,
  });
}

/** "Start empty", then adds the city the new file needs. */
export async function startEmpty(cityName = 'Ciudad de Prueba', country = 'MX') {
  await waitForWelcome();
  await byTestId('start-empty').click();
  await byTestId('city-setup').waitForDisplayed();
  await fill('form-city-setup-name', cityName);
  await fill('form-city-setup-country', country);
  await byTestId('form-city-setup-save').click();
  await waitForText('city-name', cityName);
}

/** The text content of an element (what the DOM holds, whatever its styling). */
export async function textOf(testid) {
  const element = await byTestId(testid);
  return browser.execute((el) => el.textContent.trim(), element);
}

/** Waits until an element holds exactly this text. */
export async function waitForText(testid, text) {
  await byTestId(testid).waitForExist();
  await browser.waitUntil(async () => (await textOf(testid)) === text, {
    timeoutMsg: `${testid} never read "${text}" (last: "${await textOf(testid).catch(() => '?')}")`,
  });
}

/** "Open the demo city" and waits for the dashboard's rows. */
export async function openDemo() {
  await waitForWelcome();
  await byTestId('open-demo').click();
  await byTestId('dashboard-table').waitForDisplayed({ timeout: 30000 });
}

export async function goTo(screen) {
  await byTestId(`nav-${screen}`).click();
  await expect(byTestId('main')).toHaveAttribute('data-screen', screen);
}

/** Replaces the text of an input. */
export async function fill(testid, value) {
  const input = await byTestId(testid);
  await input.waitForDisplayed();
  await input.clearValue();
  await input.setValue(value);
}

/**
 * Chooses the option of a <select> whose text contains `text` (or whose
 * value equals it), as a person picking it would: the change event fires.
 */
export async function choose(testid, text) {
  const select = await byTestId(testid);
  await select.waitForDisplayed();
  // Options of reference fields arrive with the records: wait for them.
  await browser.waitUntil(
    async () =>
      browser.execute(
        (el, wanted) => [...el.options].some((o) => o.value === wanted || o.text.includes(wanted)),
        select,
        text,
      ),
    { timeoutMsg: `no option "${text}" in ${testid}` },
  );
  await browser.execute(
    (el, wanted) => {
      const option = [...el.options].find((o) => o.value === wanted || o.text.includes(wanted));
      el.value = option.value;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    },
    select,
    text,
  );
}

/** The texts of the cells of one column of a generic list. */
export async function columnTexts(listTestId, column) {
  const cells = await $$(`[data-testid="${listTestId}"] td[data-col="${column}"]`);
  const texts = [];
  for (const cell of cells) texts.push(await cell.getText());
  return texts;
}

/** The dashboard row of a network (by its acronym). */
export const dashboardRow = (acronym) => $(`[data-testid="dashboard-row"][data-network="${acronym}"]`);
export const dashboardReason = (acronym) =>
  $(`[data-testid="dashboard-reason-row"][data-network="${acronym}"] [data-testid="classification-reason"]`);
