// Where the end-to-end tests find what they run: the repository, the Cargo
// target folder (CARGO_TARGET_DIR when set, like cargo), the app built by
// scripts/build-app.sh and the command line built by `cargo test`.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const targetDir = process.env.CARGO_TARGET_DIR
  ? path.resolve(repoRoot, process.env.CARGO_TARGET_DIR)
  : path.join(repoRoot, 'target');

/** The app binary (dev profile, custom-protocol). */
export const application = process.env.CABILDO_APP ?? path.join(targetDir, 'debug', 'cabildo-app');

/** The `cabildo` command line, to make files for the specs. */
export const cli = path.join(targetDir, 'debug', 'cabildo');

/**
 * An XDG data folder holding the desktop entry and MIME type as the .deb
 * installs them (scripts/package.sh): files opened through it with
 * `gio open` reach the app as from a file manager.
 */
export const desktopDir = path.join(targetDir, 'debug', 'bundle', 'desktop');
