// Received files opened with the app (issue 5): named at start, as a file
// manager passes the files opened with Cabildo (wdio.conf.mjs launches this
// spec's app with `<data folder>/received-at-start.cabildo`); handed over by
// a second launch while the app runs (tauri-plugin-single-instance over the
// test's private D-Bus session); and dropped on the window. Each one starts
// the merge preview; several are previewed one after the other.
//
// A real drag from another application cannot be made through WebDriver:
// the drop is the event the webview receives from Tauri on a drop
// (`tauri://drag-drop`), emitted through Tauri's event system.

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { byTestId, screenshot, waitForWelcome } from '../lib/helpers.mjs';
import { application, cli } from '../lib/paths.mjs';

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

  it('takes the files of a second launch into the running window, one after the other', async () => {
    received('from-mayor.cabildo', 42);
    const second = received('from-environment.cabildo', 43);
    await byTestId('lang-en').click();
    // As a file manager launches it: a relative name in its folder, and an absolute one.
    const launch = spawnSync(application, ['from-mayor.cabildo', second], {
      cwd: dataDir(),
      env: process.env,
      timeout: 30000,
      encoding: 'utf8',
    });
    expect(launch.error).toBeUndefined();
    expect(launch.status).toBe(0); // handed over and exited

    await waitForPreviewOf('from-mayor.cabildo');
    await expect(byTestId('merge-confirm')).toHaveText('Merge');
    await screenshot('open-with-running-en');
    await byTestId('merge-cancel').click();

    await waitForPreviewOf('from-environment.cabildo');
    await byTestId('merge-confirm').click();
    await byTestId('merge-summary').waitForDisplayed({ timeout: 60000 });
    expect(await number('summary-new')).toBeGreaterThan(0);
    await byTestId('share-close').click();
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
});
