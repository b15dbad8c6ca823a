// Received files opened with the app: from the file manager (the bundle's
// file association), on the command line, handed over by a second launch
// while the app runs (the shell then emits `incoming-files`), or dropped on
// the window. The shell keeps
// them in a queue; each one, in turn, starts the same merge preview as
// Share ▸ Merge file…, once a database is open and no other dialog is.

import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import { call, toAppError } from './api';
import { db } from './db.svelte';
import { share } from './share.svelte';

export const INCOMING_FILES_EVENT = 'incoming-files';
export const OPEN_DATABASE_EVENT = 'open-database';

class IncomingFiles {
  /** The files waiting, in order (shown on the first-start screen). */
  waiting = $state<string[]>([]);
  /** A take is under way (state: the App's effect runs again when it ends). */
  private taking = $state(false);

  async refresh(): Promise<void> {
    try {
      this.waiting = await call('incoming_list');
    } catch (reason) {
      db.error = toAppError(reason);
    }
  }

  /**
   * Files dropped on the window: merged in turn, like files opened with the
   * app. The open database itself is refused, with its message.
   */
  async add(paths: string[]): Promise<void> {
    if (paths.length === 0) return;
    try {
      this.waiting = await call('incoming_add', { paths });
    } catch (reason) {
      await this.refresh();
      share.showError(reason);
    }
  }

  /** Starts the merge of the next waiting file, when the app is free for it. */
  async next(): Promise<void> {
    if (this.taking || !db.isOpen || share.dialog) return;
    this.taking = true;
    try {
      const path = await call('incoming_take');
      await this.refresh();
      if (path) await share.startMerge(path);
    } catch (reason) {
      db.error = toAppError(reason);
    } finally {
      this.taking = false;
    }
  }

  /**
   * First start: the received file becomes the database. From elsewhere, it
   * is copied into the data folder after the question of whose it is (the
   * same office moving computers, or a new office: `db.openFile`). A file
   * that does not open, or whose question is dismissed, goes back on the list.
   */
  async useAsDatabase(path: string): Promise<void> {
    try {
      const taken = await call('incoming_take', { path });
      if (taken && !(await db.openFile(taken))) await call('incoming_add', { paths: [taken] });
      await this.refresh();
    } catch (reason) {
      db.error = toAppError(reason);
    }
  }
}

export const incoming = new IncomingFiles();

/** Follows the files handed over while the app runs; returns the function that stops. */
export async function followIncoming(): Promise<UnlistenFn> {
  // Listening first: a hand-over while the list is read is not missed.
  const stopFiles = await listen(INCOMING_FILES_EVENT, () => {
    void incoming.refresh().then(() => incoming.next());
  });
  // `cabildo-app --open FILE` launched while the app runs.
  const stopOpen = await listen<string>(OPEN_DATABASE_EVENT, (event) => void db.openFile(event.payload));
  await incoming.refresh();
  return () => {
    stopFiles();
    stopOpen();
  };
}

