// Smoke test: the real app starts, shows its navigation, and switches
// between Spanish and English.

import { execFileSync } from 'node:child_process';
import path from 'node:path';

const byTestId = (id) => $(`[data-testid="${id}"]`);

// Set CABILDO_E2E_SCREENSHOTS=/some/folder to keep a picture of each language.
// The picture is taken of the (virtual) X display with ImageMagick's `import`:
// WebKitWebDriver's own screenshot command does not return with Tauri apps.
async function screenshot(name) {
  const dir = process.env.CABILDO_E2E_SCREENSHOTS;
  if (!dir) return;
  await browser.pause(300); // let the last repaint reach the display
  execFileSync('import', ['-window', 'root', path.join(dir, `smoke-${name}.png`)]);
}

describe('Cabildo app (smoke)', () => {
  it('starts and shows the navigation, in Spanish by default', async () => {
    const nav = await byTestId('nav');
    await nav.waitForDisplayed({ timeout: 30000 });
    await expect(byTestId('nav-networks')).toHaveText('Redes');
    await expect(byTestId('nav-settings')).toHaveText('Configuración');
    await expect(byTestId('screen-title')).toHaveText('Tablero');
    await expect(byTestId('nav-dashboard')).toHaveAttribute('aria-current', 'page');
    await screenshot('es');
  });

  it('draws its text with the bundled Noto Sans (allowed by the CSP)', async () => {
    const statuses = await browser.executeAsync((done) => {
      document.fonts.ready.then(() =>
        done(
          [...document.fonts]
            .filter((face) => face.family.replace(/["']/g, '') === 'Noto Sans')
            .map((face) => `${face.weight}:${face.status}`)
            .sort(),
        ),
      );
    });
    expect(statuses).toEqual(['400:loaded', '700:loaded']);
  });

  it('shows the version reported by the shell', async () => {
    await expect(byTestId('app-version')).toHaveText(expect.stringMatching(/^Versión \d+\.\d+\.\d+/));
  });

  it('reaches the navigation with the keyboard and opens a screen with Enter', async () => {
    // Nothing has focus yet. Tab order: skip link, then the navigation links.
    await browser.keys('Tab');
    await expect(byTestId('skip-link')).toBeFocused();
    await browser.keys('Tab');
    await expect(byTestId('nav-dashboard')).toBeFocused();
    await browser.keys('Tab');
    await expect(byTestId('nav-networks')).toBeFocused();
    await screenshot('focus');
    await browser.keys('Enter');
    await expect(byTestId('screen-title')).toHaveText('Redes de ciudades');
    await expect(byTestId('nav-networks')).toHaveAttribute('aria-current', 'page');
    // Focus moves to the heading of the screen just opened.
    await expect(byTestId('screen-title')).toBeFocused();
  });

  it('switches to English labels with lang-en', async () => {
    await byTestId('lang-en').click();
    await expect(byTestId('nav-networks')).toHaveText('Networks');
    await expect(byTestId('nav-memberships')).toHaveText('Memberships');
    await expect(byTestId('nav-trash')).toHaveText('Trash');
    await expect(byTestId('screen-title')).toHaveText('City networks');
    await expect(byTestId('lang-en')).toHaveAttribute('aria-pressed', 'true');
    await screenshot('en');
  });

  it('switches back to Spanish labels with lang-es', async () => {
    await byTestId('lang-es').click();
    await expect(byTestId('nav-networks')).toHaveText('Redes');
    await expect(byTestId('nav-memberships')).toHaveText('Membresías');
    await expect(byTestId('nav-trash')).toHaveText('Papelera');
    await expect(byTestId('screen-title')).toHaveText('Redes de ciudades');
    await expect(byTestId('lang-es')).toHaveAttribute('aria-pressed', 'true');
  });

  it('opens a screen by click and uses its own fresh data folder', async () => {
    await byTestId('nav-settings').click();
    await expect(byTestId('screen-title')).toHaveText('Configuración');
    await expect(byTestId('data-dir')).toHaveText(
      expect.stringContaining(process.env.CABILDO_DATA_DIR),
    );
  });
});
