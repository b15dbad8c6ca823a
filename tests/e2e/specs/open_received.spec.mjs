// A file from elsewhere as the database (issue 10, point 5). wdio.conf.mjs
// launches this spec's app with `--open <data folder>-mail/oficina-norte.cabildo`,
// a file outside the data folder, as in a mail client's temporary folder: the
// app never opens it in place. It asks whose the file is (the user's own
// office moving computers, or a new office), then checks it as a merge would
// and opens a copy in the data folder. A file that fails a check is refused
// with a merge's message, and nothing is copied. A file already in the data
// folder opens directly.
//
// The native open dialog of File ▸ Open cannot be driven through WebDriver;
// a second launch with `--open FILE` reaches the same `openFile` of the UI.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { byTestId, screenshot, textOf } from '../lib/helpers.mjs';
import { application, cli } from '../lib/paths.mjs';

const dataDir = () => process.env.CABILDO_DATA_DIR;
/** The mail client's temporary folder, beside the data folder. */
const mailDir = () => `${dataDir()}-mail`;
const status = () => browser.execute(() => window.__TAURI_INTERNALS__.invoke('db_status'));
const number = async (testid) => Number((await textOf(testid)).trim());
const databases = () =>
  fs
    .readdirSync(dataDir())
    .filter((name) => name.endsWith('.cabildo'))
    .sort();

/** Another office's file, `name` in `folder` (a distinct office per seed). */
function sent(folder, name, seed) {
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, name);
  fs.rmSync(file, { force: true });
  execFileSync(cli, ['generate', file, '--cities', '1', '--seed', String(seed)]);
  return file;
}

/** The file as a newer Cabildo would write it: schema version 99 in its header. */
function fromANewerVersion(file) {
  const fd = fs.openSync(file, 'r+');
  const version = Buffer.alloc(4);
  version.writeUInt32BE(99);
  fs.writeSync(fd, version, 0, 4, 60);
  fs.closeSync(fd);
}

async function mergePreviewOf(file) {
  fs.copyFileSync(file, path.join(dataDir(), 'incoming'));
  await byTestId('share-menu').click();
  await byTestId('share-merge').click();
}

describe('A file from elsewhere as the database', () => {
  after(() => fs.rmSync(mailDir(), { recursive: true, force: true }));

  it('asks whose the file named by --open is, and opens a copy in the data folder as a new office', async () => {
    const file = sent(mailDir(), 'oficina-norte.cabildo', 51);
    const received = fs.readFileSync(file);
    await byTestId('received-dialog').waitForDisplayed({ timeout: 30000 });
    await expect(byTestId('received-file')).toHaveText('oficina-norte.cabildo');
    await expect(byTestId('received-confirm')).toBeDisabled();
    await screenshot('open-received-question-es');

    await byTestId('received-new').click();
    await expect(byTestId('received-confirm')).toBeDisabled();
    await byTestId('received-name').setValue('Oficina de Tonalá');
    await byTestId('received-confirm').click();
    await byTestId('received-dialog').waitForExist({ reverse: true, timeout: 30000 });

    const opened = await status();
    expect(opened.path).toBe(path.join(dataDir(), 'oficina-norte.cabildo'));
    expect(opened.office.name).toBe('Oficina de Tonalá');
    expect(fs.readFileSync(file).equals(received)).toBe(true);

    // The original office's file is another office's now: merging it brings
    // nothing new and nothing in conflict.
    await mergePreviewOf(file);
    await byTestId('merge-counts').waitForDisplayed({ timeout: 30000 });
    expect(await number('merge-total-new')).toBe(0);
    expect(await number('merge-total-conflicts')).toBe(0);
    await byTestId('merge-cancel').click();
    await byTestId('share-dialog').waitForExist({ reverse: true });
  });

  it('refuses a file a merge refuses, with the same message, and copies nothing', async () => {
    const before = (await status()).path;
    const file = sent(mailDir(), 'de-otra-version.cabildo', 52);
    fromANewerVersion(file);
    const files = databases();
    await byTestId('lang-en').click();

    // A second launch hands `--open FILE` to the running app, as File ▸ Open would.
    execFileSync(application, ['--open', file], { env: process.env, timeout: 30000 });
    await byTestId('received-dialog').waitForDisplayed({ timeout: 30000 });
    await expect(byTestId('received-file')).toHaveText('de-otra-version.cabildo');
    await byTestId('received-same').click();
    await byTestId('received-confirm').click();
    await byTestId('received-error').waitForDisplayed({ timeout: 30000 });
    await expect(byTestId('received-error')).toHaveAttribute('data-code', 'newer_schema');
    const refusal = await textOf('received-error');
    expect(refusal).toContain('a newer Cabildo');
    await screenshot('open-received-refused-en');
    await byTestId('received-close').click();
    await byTestId('received-dialog').waitForExist({ reverse: true });

    expect((await status()).path).toBe(before);
    expect(databases()).toEqual(files);

    await mergePreviewOf(file);
    await byTestId('share-error').waitForDisplayed({ timeout: 30000 });
    expect(await textOf('share-error')).toBe(refusal);
    await byTestId('share-close').click();
    await byTestId('share-dialog').waitForExist({ reverse: true });
  });

  it('opens a file of the data folder directly, without the question', async () => {
    const own = sent(dataDir(), 'propia.cabildo', 53);
    execFileSync(application, ['--open', own], { env: process.env, timeout: 30000 });
    await browser.waitUntil(async () => (await status()).path === own, {
      timeoutMsg: 'the running app did not open the database',
    });
    expect(await byTestId('received-dialog').isExisting()).toBe(false);
    await byTestId('lang-es').click();
  });
});
