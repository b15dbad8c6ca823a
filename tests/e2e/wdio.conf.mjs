// WebdriverIO drives the real Cabildo app (WebKitGTK) through tauri-driver.
//
// Run (from the repository root, after scripts/build-app.sh):
//   xvfb-run -a dbus-run-session -- npx --prefix tests/e2e wdio run tests/e2e/wdio.conf.mjs
// or simply: bash scripts/test.sh
//
// Each spec file gets a fresh, empty data folder. tauri-driver 2.1.0 forwards
// only `application` and `args` from `tauri:options` to WebKitWebDriver, and
// the app inherits its environment from tauri-driver; so the per-spec
// CABILDO_DATA_DIR is given by starting one tauri-driver per spec session
// (beforeSession) with that variable set, and stopping it after
// (afterSession). onPrepare checks the prerequisites and that the port is
// free; onComplete stops any tauri-driver left running.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { application, cli } from './lib/paths.mjs';

export { application };

/**
 * The arguments a spec's app is launched with (none by default), by spec
 * name, given the spec's data folder. open-with: a received file named at
 * start, as a file manager passes it (the spec writes the file).
 * open_received: `--open` of a file outside the data folder, in a mail
 * client's temporary folder beside it (the spec writes the file).
 */
const LAUNCH_ARGS = {
  'open-with': (dir) => [path.join(dir, 'received-at-start.cabildo')],
  open_received: (dir) => ['--open', path.join(`${dir}-mail`, 'oficina-norte.cabildo')],
  // lists: a generated 200-city coordinator file in the data folder, opened as the database.
  lists: (dir) => {
    const file = path.join(dir, 'coordinador.cabildo');
    spawnSync(cli, ['generate', file, '--cities', '200'], { stdio: 'inherit' });
    return ['--open', file];
  },
};

const DRIVER_PORT = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
const NATIVE_PORT = Number(process.env.TAURI_NATIVE_DRIVER_PORT ?? 4445);

function findTauriDriver() {
  if (process.env.TAURI_DRIVER) return process.env.TAURI_DRIVER;
  const inCargoHome = path.join(
    process.env.CARGO_HOME ?? path.join(os.homedir(), '.cargo'),
    'bin',
    'tauri-driver',
  );
  if (fs.existsSync(inCargoHome)) return inCargoHome;
  const which = spawnSync('sh', ['-c', 'command -v tauri-driver'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : null;
}

function portIsOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForPort(port, timeoutMs, child) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`tauri-driver exited early with code ${child.exitCode}`);
    }
    if (await portIsOpen(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tauri-driver did not listen on port ${port} within ${timeoutMs} ms`);
}

let tauriDriver = null;
let dataDir = null;

function stopTauriDriver() {
  if (tauriDriver && tauriDriver.exitCode === null) {
    tauriDriver.kill('SIGTERM');
  }
  tauriDriver = null;
}

export const config = {
  runner: 'local',
  specs: ['./specs/**/*.spec.mjs'],
  // One app at a time: every spec session has its own tauri-driver on 4444.
  maxInstances: 1,
  hostname: '127.0.0.1',
  port: DRIVER_PORT,
  capabilities: [
    {
      // No browserName: tauri-driver does not match one.
      'tauri:options': { application },
    },
  ],
  autoXvfb: false, // the caller provides the display (xvfb-run, see scripts/test.sh)
  logLevel: 'warn',
  bail: 0,
  waitforTimeout: 15000,
  connectionRetryTimeout: 60000,
  connectionRetryCount: 2,
  framework: 'mocha',
  reporters: ['spec'],
  mochaOpts: { ui: 'bdd', timeout: 60000 },

  onPrepare() {
    if (!fs.existsSync(application)) {
      throw new Error(`app binary not found: ${application} (run: bash scripts/build-app.sh)`);
    }
    if (!findTauriDriver()) {
      throw new Error('tauri-driver not found (run: cargo install tauri-driver --version 2.1.0 --locked)');
    }
    if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
      throw new Error('no display: run under xvfb-run (see scripts/test.sh)');
    }
    return portIsOpen(DRIVER_PORT).then((busy) => {
      if (busy) throw new Error(`port ${DRIVER_PORT} is already in use (a tauri-driver left running?)`);
    });
  },

  async beforeSession(_config, capabilities, specs) {
    const specName = path.basename(specs[0] ?? 'spec', '.spec.mjs').replace(/[^\w.-]/g, '_');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `cabildo-e2e-${specName}-`));
    // The spec can read where its app keeps its files.
    process.env.CABILDO_DATA_DIR = dataDir;
    // tauri-driver hands `args` to WebKitWebDriver, which launches the app with them.
    capabilities['tauri:options'] = {
      ...capabilities['tauri:options'],
      args: LAUNCH_ARGS[specName]?.(dataDir) ?? [],
    };

    tauriDriver = spawn(findTauriDriver(), ['--port', String(DRIVER_PORT), '--native-port', String(NATIVE_PORT)], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        CABILDO_DATA_DIR: dataDir,
        // Exports save here instead of opening the native save dialog, which
        // WebDriver cannot drive (src-tauri/src/charts.rs).
        CABILDO_E2E_SAVE_DIR: path.join(dataDir, 'saved'),
        // "Open a file" of the Share menu uses this file instead of the native
        // open dialog (src-tauri/src/exchange.rs); the spec writes it first.
        CABILDO_E2E_OPEN_FILE: path.join(dataDir, 'incoming'),
        // A merge pauses after each progress message (one per record kind, or
        // per 20,000 records: about 13 for the specs' files), so the progress
        // can be seen and Cancel pressed while it runs.
        CABILDO_E2E_MERGE_PAUSE_MS: '300',
        // The webview keeps its storage (the language choice, the chosen
        // city) under XDG_DATA_HOME: one per spec too, so no spec inherits
        // another's choices.
        XDG_DATA_HOME: path.join(dataDir, 'xdg-data'),
        WEBKIT_DISABLE_DMABUF_RENDERER: '1',
      },
    });
    await waitForPort(DRIVER_PORT, 15000, tauriDriver);
  },

  afterSession() {
    stopTauriDriver();
    if (dataDir && !process.env.CABILDO_E2E_KEEP_DATA) {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    dataDir = null;
  },

  onComplete() {
    stopTauriDriver();
  },
};

// A worker stopped mid-run must not leave tauri-driver (and the app) behind.
// Only in workers: the launcher has its own signal handling.
if (process.env.WDIO_WORKER_ID) {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      stopTauriDriver();
      process.exit(130);
    });
  }
  process.on('exit', stopTauriDriver);
}
