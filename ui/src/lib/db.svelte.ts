// The open database as the UI sees it: which file, the office, the chosen
// city, and the records it has loaded. Views refresh themselves when the
// shell reports a change (the `records-changed` event): no screen polls.

import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import {
  AppError,
  dbNew,
  dbOpen,
  dbOpenDemo,
  dbOpenReceived,
  dbOpenReceivedCancel,
  FROM_ELSEWHERE,
  dbStartEmpty,
  dbStatus,
  recordGet,
  recordsList,
  toAppError,
  type DbStatus,
} from './api';
import type { AdoptAs, Change, RecordKind } from './bindings';
import { language } from './lang.svelte';
import { numberFormat } from './numberFormat.svelte';
import { UNSCOPED_KINDS, type RecordTypes } from './records';

export const RECORDS_CHANGED_EVENT = 'records-changed';
const CITY_STORAGE_KEY = 'cabildo.city';

/**
 * A file from elsewhere waiting to become the database: the question of whose
 * it is, then the check and the copy (`checking`), or why it was refused.
 */
export interface ReceivedDatabase {
  path: string;
  checking: boolean;
  error: AppError | null;
}

class DatabaseState {
  /** The shell's answer; null until the first one arrives. */
  status = $state<DbStatus | null>(null);
  /** The last error of a file operation (shown in the top bar, translated). */
  error = $state<AppError | null>(null);
  /** The city every screen is scoped to; null is "all cities". */
  cityId = $state<string | null>(null);
  /** Bumped when another file is opened: every view reloads. */
  generation = $state(0);
  /** Bumped per kind when the shell reports a change. */
  versions = $state<Record<string, number>>({});
  /** Bumped on any change (the dashboard depends on everything). */
  anyChange = $state(0);
  busy = $state(false);
  /** A file from elsewhere being opened as the database (OpenReceivedDialog). */
  received = $state<ReceivedDatabase | null>(null);
  /** Resolves the `openFile` that asked, once the question is answered or dismissed. */
  private answered: ((opened: boolean) => void) | null = null;

  get isOpen(): boolean {
    return !!this.status?.path;
  }

  /** Takes a new status from the shell: a new file means a fresh start. */
  apply(status: DbStatus, newFile: boolean): void {
    this.status = status;
    if (status.office) numberFormat.current = status.office.number_format;
    if (newFile) {
      this.generation += 1;
      const cities = status.cities;
      let stored: string | null = null;
      try {
        stored = globalThis.localStorage?.getItem(CITY_STORAGE_KEY) ?? null;
      } catch {
        stored = null;
      }
      const only = cities.length === 1 ? cities[0] : undefined;
      this.cityId = only ? only.id : cities.some((c) => c.id === stored) ? stored : null;
    }
  }

  selectCity(id: string | null): void {
    this.cityId = id;
    try {
      if (id) globalThis.localStorage?.setItem(CITY_STORAGE_KEY, id);
      else globalThis.localStorage?.removeItem(CITY_STORAGE_KEY);
    } catch {
      // storage disabled: the choice lasts for this session
    }
  }

  /**
   * Takes what the shell reports after a commit (one event per transaction).
   * A few records of a loaded kind are fetched and put in place; a kind
   * changed wholesale (a merge, an import) is listed again.
   */
  changed(changes: Change[]): void {
    const reload: RecordKind[] = [];
    for (const change of changes) {
      if (!cache.patch(change.kind, change.ids)) reload.push(change.kind);
    }
    if (reload.length > 0) {
      const versions = { ...this.versions };
      for (const kind of reload) versions[kind] = (versions[kind] ?? 0) + 1;
      this.versions = versions;
    }
    this.anyChange += 1;
    if (changes.some((c) => c.kind === 'city')) void this.refreshStatus();
  }

  async refreshStatus(): Promise<void> {
    try {
      const status = await dbStatus();
      const cityGone = this.cityId && !status.cities.some((c) => c.id === this.cityId);
      this.status = status;
      if (status.office) numberFormat.current = status.office.number_format;
      if (cityGone) this.cityId = null;
      const only = status.cities.length === 1 ? status.cities[0] : undefined;
      if (only && !this.cityId) this.cityId = only.id;
    } catch (reason) {
      this.error = toAppError(reason);
    }
  }

  /** First load: the shell opens the start-up file if there is one. */
  async load(): Promise<void> {
    try {
      const status = await dbStatus();
      this.apply(status, true);
      if (status.startup_error) {
        const e = status.startup_error;
        this.error = new AppError(e.code, e.message, e.field ?? null);
      }
      // `--open` named a file from elsewhere: ask whose it is.
      if (status.startup_received) void this.askReceived(status.startup_received);
    } catch (reason) {
      this.error = toAppError(reason);
    }
  }

  /** Runs a file operation; on failure the current file stays open. */
  async run(operation: () => Promise<DbStatus>): Promise<boolean> {
    this.busy = true;
    try {
      this.apply(await operation(), true);
      this.error = null;
      return true;
    } catch (reason) {
      this.error = toAppError(reason);
      return false;
    } finally {
      this.busy = false;
    }
  }

  startEmpty = () => this.run(() => dbStartEmpty(language.current));
  openDemo = () => this.run(() => dbOpenDemo());
  newFile = (path: string) => this.run(() => dbNew(path, language.current));
  /**
   * Opens a file as the database. One from elsewhere (outside the data folder,
   * not a recent file) is not opened in place: the user says whose it is, and
   * the shell checks it as a merge would and opens a copy. Resolves to whether
   * a database was opened.
   */
  openFile = async (path: string): Promise<boolean> => {
    this.busy = true;
    try {
      this.apply(await dbOpen(path), true);
      this.error = null;
      return true;
    } catch (reason) {
      const error = toAppError(reason);
      if (error.code !== FROM_ELSEWHERE) {
        this.error = error;
        return false;
      }
    } finally {
      this.busy = false;
    }
    return this.askReceived(path);
  };

  /** Shows the question for a file from elsewhere; resolves once it is answered. */
  askReceived(path: string): Promise<boolean> {
    this.answered?.(false);
    this.received = { path, checking: false, error: null };
    return new Promise((resolve) => (this.answered = resolve));
  }

  private finishReceived(opened: boolean): void {
    this.received = null;
    const answered = this.answered;
    this.answered = null;
    answered?.(opened);
  }

  /** The answer: check, copy and open the file as the office it says. */
  async openReceived(adoptAs: AdoptAs): Promise<void> {
    const received = this.received;
    if (!received || received.checking) return;
    this.received = { ...received, checking: true, error: null };
    try {
      const status = await dbOpenReceived(received.path, adoptAs);
      this.apply(status, true);
      this.error = null;
      this.finishReceived(true);
    } catch (reason) {
      const error = toAppError(reason);
      if (error.code === 'cancelled') this.finishReceived(false);
      else if (this.received) this.received = { ...this.received, checking: false, error };
    }
  }

  /** Cancel: stops the check under way, or closes the question. */
  async dismissReceived(): Promise<void> {
    if (this.received?.checking) {
      try {
        await dbOpenReceivedCancel();
      } catch (reason) {
        this.error = toAppError(reason);
      }
      return;
    }
    this.finishReceived(false);
  }
}

export const db = new DatabaseState();

/** Follows the shell's change events; returns the function that stops. */
export async function followChanges(): Promise<UnlistenFn> {
  return listen<Change[]>(RECORDS_CHANGED_EVENT, (event) => db.changed(event.payload));
}

// ---------------------------------------------------------------------------
// Loaded records, per kind, for the current file and city.

/** What patching reads of a changed record. */
interface Patched {
  id: string;
  deleted?: boolean;
  city_id?: unknown;
  membership_id?: unknown;
}

/** More changed records than this in one kind: list the kind again. */
const PATCH_LIMIT = 50;

interface Entry {
  key: string;
  rows: unknown[];
}

class RecordCache {
  /** Replaced whole on every load (the rows themselves are never mutated). */
  entries = $state.raw<Partial<Record<RecordKind, Entry>>>({});
  errors = $state.raw<Partial<Record<RecordKind, AppError>>>({});
  private pending = new Map<RecordKind, string>();

  /** The scope a kind is loaded for (kinds shared by all cities: none). */
  scopeOf(kind: RecordKind): string | null {
    return UNSCOPED_KINDS.includes(kind) ? null : db.cityId;
  }

  private keyOf(kind: RecordKind): string {
    return `${db.generation}|${this.scopeOf(kind) ?? '*'}|${db.versions[kind] ?? 0}`;
  }

  /** Loads `kind` unless what is loaded is current. Call from an $effect. */
  ensure(kind: RecordKind): void {
    if (!db.isOpen) return;
    const key = this.keyOf(kind);
    if (this.entries[kind]?.key === key || this.pending.get(kind) === key) return;
    this.pending.set(kind, key);
    recordsList(kind, this.scopeOf(kind)).then(
      (rows) => {
        if (this.pending.get(kind) !== key) return;
        this.pending.delete(kind);
        this.entries = { ...this.entries, [kind]: { key, rows } };
        if (this.errors[kind]) this.errors = { ...this.errors, [kind]: undefined };
      },
      (reason: unknown) => {
        if (this.pending.get(kind) !== key) return;
        this.pending.delete(kind);
        this.errors = { ...this.errors, [kind]: toAppError(reason) };
      },
    );
  }

  /**
   * Puts the current version of a few changed records of a loaded kind in
   * place (a deleted one, or one outside the chosen city, leaves). Returns
   * false when the kind must be listed again instead: many ids, or none (a
   * wholesale change).
   */
  patch(kind: RecordKind, ids: string[]): boolean {
    const entry = this.entries[kind];
    if (!entry) return true; // not loaded: it will be listed when needed
    if (ids.length === 0 || ids.length > PATCH_LIMIT) return false;
    const key = entry.key;
    const scope = this.scopeOf(kind);
    void Promise.all(ids.map((id) => recordGet(kind, id).catch(() => null))).then((found) => {
      const current = this.entries[kind];
      if (!current || current.key !== key) return;
      const rows = [...current.rows] as Patched[];
      let unsure = false;
      ids.forEach((id, i) => {
        const record = found[i] as Patched | null;
        const at = rows.findIndex((r) => r.id === id);
        const inScope = record && scope !== null ? this.inScope(record, scope) : true;
        if (inScope === undefined) unsure = true;
        if (!record || record.deleted || inScope === false) {
          if (at >= 0) rows.splice(at, 1);
        } else if (at >= 0) {
          rows[at] = record;
        } else {
          rows.push(record);
        }
      });
      this.entries = { ...this.entries, [kind]: { key, rows } };
      // A record whose city its loaded parents do not tell: list the kind again.
      if (unsure) db.versions = { ...db.versions, [kind]: (db.versions[kind] ?? 0) + 1 };
    });
    return true;
  }

  /** Whether a record belongs to the city `scope`; undefined when it cannot be told. */
  private inScope(record: Patched, scope: string): boolean | undefined {
    if (typeof record.city_id === 'string') return record.city_id === scope;
    if (typeof record.membership_id === 'string') {
      const membership = this.rows('membership').find((m) => m.id === record.membership_id);
      return membership ? membership.city_id === scope : undefined;
    }
    return undefined;
  }

  /** The loaded records of a kind (empty until loaded). */
  rows<K extends RecordKind>(kind: K): RecordTypes[K][] {
    return (this.entries[kind]?.rows ?? []) as RecordTypes[K][];
  }

  loaded(kind: RecordKind): boolean {
    return this.entries[kind] !== undefined;
  }
}

export const cache = new RecordCache();

/**
 * Keeps the given kinds loaded for the calling component: call it during
 * component initialisation.
 */
export function useRecords(kinds: readonly RecordKind[]): void {
  $effect(() => {
    for (const kind of kinds) {
      // Read what the key depends on, so the effect reruns when it changes.
      void db.generation;
      void db.cityId;
      void db.versions[kind];
      cache.ensure(kind);
    }
  });
}
