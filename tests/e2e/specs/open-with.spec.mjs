// Received files opened with the app (issue 5): named at start, as a file
// manager passes the files opened with Cabildo (wdio.conf.mjs launches this
// spec's app with `<data folder>/received-at-start.cabildo`); opened while
// the app runs, through the desktop entry and MIME type of the .deb
// (`gio open`, as a file manager does; scripts/package.sh prepares them),
// whose launch hands the file to the running app over the test's private
// D-Bus session and exits; and dropped on the window. Each one starts the
// merge preview; several are previewed one after the other.
//
// A real drag from another application cannot be made through WebDriver:
// the drop is the event the webview receives from Tauri on a drop
// (`tauri://drag-drop`), emitted through Tauri's event system.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { byTestId, screenshot, waitForWelcome } from '../lib/helpers.mjs';
import { application, cli, desktopDir } from '../lib/paths.mjs';

const dataDir = () => process.env.CABILDO_DATA_DIR;
const number = async (testid) => Number((await byTestId(testid).getText()).trim());

/** A second office's file in the data folder (a distinct office per seed). */
function received(name, seed) {
  const file = path.join(dataDir(), name);
  fs.rmSync(file, { force: true });
  execFileSync(cli, ['generate', file, '--cities', '1', '--seed', String(seed)]);
  return file;
}

async function waitForPreviewOf(name) {
  await byTestId('merge-counts').waitForDisplayed({ timeout: 30000 });
  await expect(byTestId('merge-file')).toHaveText(expect.stringContaining(name));
}

/**
 * Opens a file with its default application, as a file manager does: GIO
 * finds the type of *.cabildo and the desktop entry of the package, and runs
 * its `Exec=cabildo-app %F` (the app's folder first on PATH).
 */
function openWithDesktop(file) {
  if (!fs.existsSync(path.join(desktopDir, 'applications'))) {
    throw new Error(`${desktopDir} missing: run bash scripts/package.sh (scripts/test.sh does)`);
  }
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cabildo-gio-'));
  execFileSync('gio', ['open', file], {
    env: {
      ...process.env,
      XDG_DATA_DIRS: `${desktopDir}:/usr/share`,
      XDG_DATA_HOME: path.join(home, 'data'),
      XDG_CONFIG_HOME: path.join(home, 'config'),
      PATH: `${path.dirname(application)}:${process.env.PATH}`,
    },
    timeout: 30000,
  });
}

/** Emits a Tauri event to the window, as the shell does. */
async function emitToWindow(event, payload) {
  await browser.execute(
    (event, payload) => window.__TAURI_INTERNALS__.invoke('plugin:event|emit', { event, payload }),
    event,
    payload,
  );
}

describe('Files opened with the app', () => {
  it('lists a file opened at start, then previews and merges it once a database is open', async () => {
    received('received-at-start.cabildo', 41);
    await waitForWelcome();
    await byTestId('incoming-waiting').waitForDisplayed({ timeout: 30000 });
    await expect(byTestId('incoming-file')).toHaveText('received-at-start.cabildo');
    await screenshot('open-with-welcome-es');

    await byTestId('open-demo').click();
    await waitForPreviewOf('received-at-start.cabildo');
    const planned = await number('merge-total-new');
    expect(planned).toBeGreaterThan(0);
    await byTestId('merge-confirm').click();
    await byTestId('merge-summary').waitForDisplayed({ timeout: 60000 });
    expect(await number('summary-new')).toBe(planned);
    await byTestId('share-close').click();
    await byTestId('share-dialog').waitForExist({ reverse: true });
  });

  it('takes files opened from the desktop into the running window, one after the other', async () => {
    const first = received('from-mayor.cabildo', 42);
    const second = received('from-environment.cabildo', 43);
    await byTestId('lang-en').click();
    openWithDesktop(first);
    await waitForPreviewOf('from-mayor.cabildo');
    await expect(byTestId('merge-confirm')).toHaveText('Merge');
    await screenshot('open-with-running-en');
    // Opened while the first preview shows: it waits its turn.
    openWithDesktop(second);
    await browser.waitUntil(
      async () => (await browser.execute(() => window.__TAURI_INTERNALS__.invoke('incoming_list'))).includes(second),
      { timeoutMsg: 'the second file never reached the running app' },
    );
    await expect(byTestId('merge-file')).toHaveText(expect.stringContaining('from-mayor.cabildo'));
    await byTestId('merge-cancel').click();

    await waitForPreviewOf('from-environment.cabildo');
    await byTestId('merge-confirm').click();
    await byTestId('merge-summary').waitForDisplayed({ timeout: 60000 });
    expect(await number('summary-new')).toBeGreaterThan(0);
    await byTestId('share-close').click();
    await byTestId('share-dialog').waitForExist({ reverse: true });
  });

  it('hands over relative names from the folder of the launch', async () => {
    received('relative.cabildo', 45);
    // The second launch exits once the running app has its arguments.
    execFileSync(application, ['relative.cabildo'], { cwd: dataDir(), env: process.env, timeout: 30000 });
    await waitForPreviewOf('relative.cabildo');
    await byTestId('merge-cancel').click();
    await byTestId('share-dialog').waitForExist({ reverse: true });
  });

  it('previews a .cabildo file dropped on the window and ignores other files', async () => {
    const dropped = received('dropped.cabildo', 44);
    const position = { x: 400, y: 300 };
    await emitToWindow('tauri://drag-enter', { paths: [dropped], position });
    await byTestId('drop-overlay').waitForDisplayed();
    await screenshot('drop-overlay-en');
    await emitToWindow('tauri://drag-drop', { paths: [path.join(dataDir(), 'notes.txt'), dropped], position });
    await byTestId('drop-overlay').waitForExist({ reverse: true });
    await waitForPreviewOf('dropped.cabildo');
    await byTestId('merge-cancel').click();
    await byTestId('share-dialog').waitForExist({ reverse: true });
    await byTestId('lang-es').click();
  });

  it('opens the database a second launch names with --open', async () => {
    const other = received('other-database.cabildo', 46);
    execFileSync(application, ['--open', other], { env: process.env, timeout: 30000 });
    // The UI, told by the shell, opened it (db_status reports what is open).
    const openPath = () => browser.execute(() => window.__TAURI_INTERNALS__.invoke('db_status').then((s) => s.path));
    await browser.waitUntil(async () => (await openPath()) === other, {
      timeoutMsg: 'the running app did not open the database',
    });
    await byTestId('file-menu').click();
    await expect(byTestId('file-recent')).toHaveAttribute('title', other);
    await browser.keys('Escape');
  });
});

