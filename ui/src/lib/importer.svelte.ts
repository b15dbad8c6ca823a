// Import ▸ Spreadsheet (issue 12): choose a file, read the core's preview (the
// sheet, the header found, each field's column and format, the first rows as
// they will be stored, every row that cannot be read), change the mapping until
// it reads right (each change is a new preview of the same cells, read once by
// the shell), then import in one transaction with progress and cancel, and undo
// it in one step. Also the imports recorded (Undo import) and the template of a
// kind. The core does the reading and the rules; this holds the user's choices.

import { Channel } from '@tauri-apps/api/core';
import { open } from '@tauri-apps/plugin-dialog';
import { AppError, call, recordSave, toAppError } from './api';
import type { ImportEntry, MapTo, Preview, RecordKind } from './bindings';
import type { ImportSpec, Progress } from './commands';
import { t } from './i18n';
import { language } from './lang.svelte';
import { share } from './share.svelte';

/** The kinds a spreadsheet may bring in, in the order the dialog offers them. */
export const IMPORT_KINDS: readonly RecordKind[] = [
  'cost_entry',
  'membership',
  'meeting',
  'project',
  'outcome',
  'attribution',
  'exchange_rate',
  'metric',
  'role_rate',
  'city',
  'network',
];

/** The extensions the open dialog offers. */
export const SHEET_EXTENSIONS = ['xlsx', 'xlsm', 'xls', 'ods', 'csv', 'tsv', 'txt'];

/** How the user maps one field in the dialog. */
export type FieldChoice =
  | { kind: 'auto' }
  | { kind: 'ignore' }
  | { kind: 'column'; column: string }
  | { kind: 'constant'; value: string };

/** The word the core reads as "leave this field out". */
export const IGNORE = 'ignore';

/** The column (header) of a mapping entry, or null for a constant. */
export function mappedColumn(entry: MapTo | undefined): string | null {
  if (entry === undefined) return null;
  if (typeof entry === 'string') return entry;
  if ('column' in entry) return entry.column;
  return null;
}

/** The format a mapping entry gives its column (a number format or a date order). */
export function mappedFormat(entry: MapTo | undefined): string | null {
  if (entry && typeof entry === 'object' && 'column' in entry) return entry.format ?? null;
  return null;
}

/** The mapping with one field's entry changed as the user chose. */
export function withChoice(
  mapping: Record<string, MapTo>,
  field: string,
  choice: FieldChoice,
): Record<string, MapTo> {
  const next = { ...mapping };
  switch (choice.kind) {
    case 'auto':
      delete next[field];
      break;
    case 'ignore':
      next[field] = IGNORE;
      break;
    case 'column':
      next[field] = choice.column;
      break;
    case 'constant':
      next[field] = { value: choice.value };
      break;
  }
  return next;
}

/** The mapping with a column's format set (none: detected from its values). */
export function withFormat(
  mapping: Record<string, MapTo>,
  field: string,
  column: string,
  format: string | null,
): Record<string, MapTo> {
  return { ...mapping, [field]: format ? { column, format } : column };
}

export type ImportDialog =
  | { kind: 'reading'; done: number; total: number }
  | {
      kind: 'preview';
      spec: ImportSpec;
      preview: Preview;
      skipErrors: boolean;
      /** A change of the mapping being read again. */
      busy: boolean;
      /** Why the last change could not be read (the preview before it stays). */
      error: AppError | null;
    }
  | { kind: 'progress'; done: number; total: number; cancelling: boolean }
  | { kind: 'done'; preview: Preview; undone: number | null }
  | { kind: 'history'; entries: ImportEntry[]; confirming: string | null }
  | { kind: 'template'; recordKind: RecordKind }
  | { kind: 'message'; text: string }
  | { kind: 'error'; error: AppError };

class ImportState {
  dialog = $state<ImportDialog | null>(null);

  async close() {
    this.dialog = null;
    try {
      await call('import_close');
    } catch {
      // Only lets the cells go: nothing to tell the user.
    }
  }

  private fail(reason: unknown) {
    const error = toAppError(reason);
    this.dialog =
      error.code === 'cancelled' ? { kind: 'message', text: t('import.cancelled') } : { kind: 'error', error };
  }

  private progress(): Channel<Progress> {
    const channel = new Channel<Progress>();
    channel.onmessage = ({ done, total }) => {
      const d = this.dialog;
      if (d?.kind === 'reading' || d?.kind === 'progress') this.dialog = { ...d, done, total };
    };
    return channel;
  }

  /** Import ▸ Spreadsheet…: a file chosen now (or the end-to-end tests' file). */
  async start(kind: RecordKind = 'cost_entry') {
    try {
      const override = await call('exchange_open_override');
      const path =
        override ??
        (await open({
          multiple: false,
          directory: false,
          filters: [{ name: t('import.filter'), extensions: SHEET_EXTENSIONS }],
        }));
      if (typeof path !== 'string' || !path) return;
      this.dialog = { kind: 'reading', done: 0, total: 0 };
      const spec: ImportSpec = { path, kind, mapping: {}, values: {}, skip_duplicates: false };
      const preview = await call('import_preview', { spec, lang: language.current, progress: this.progress() });
      if (this.dialog?.kind === 'reading') {
        this.dialog = { kind: 'preview', spec, preview, skipErrors: false, busy: false, error: null };
      }
    } catch (reason) {
      if (toAppError(reason).code === 'cancelled' && this.dialog === null) return;
      this.fail(reason);
    }
  }

  /** A new preview for a changed choice; the one before stays shown meanwhile. */
  async update(change: (spec: ImportSpec) => ImportSpec) {
    const d = this.dialog;
    if (d?.kind !== 'preview') return;
    // A plain copy: the change may edit it freely.
    const spec = change($state.snapshot(d.spec) as ImportSpec);
    this.dialog = { ...d, busy: true, error: null };
    try {
      const preview = await call('import_preview', { spec, lang: language.current, progress: this.progress() });
      const now = this.dialog;
      if (now?.kind === 'preview') this.dialog = { ...now, spec, preview, busy: false };
    } catch (reason) {
      const now = this.dialog;
      if (now?.kind === 'preview') this.dialog = { ...now, busy: false, error: toAppError(reason) };
    }
  }

  /** Another kind of record: the mapping starts again from the header's words. */
  setKind(kind: RecordKind) {
    void this.update((spec) => ({ ...spec, kind, mapping: {}, values: {} }));
  }

  setSheet(sheet: string) {
    void this.update((spec) => ({ ...spec, sheet, mapping: {}, values: {} }));
  }

  /**
   * One field mapped as the user chose; the rest keep what the preview used,
   * so a choice never moves another field.
   */
  mapField(field: string, choice: FieldChoice) {
    const d = this.dialog;
    if (d?.kind !== 'preview') return;
    const used = $state.snapshot(d.preview.mapping) as Record<string, MapTo>;
    void this.update((spec) => ({ ...spec, mapping: withChoice(used, field, choice) }));
  }

  setFormat(field: string, column: string, format: string | null) {
    const d = this.dialog;
    if (d?.kind !== 'preview') return;
    const used = $state.snapshot(d.preview.mapping) as Record<string, MapTo>;
    void this.update((spec) => ({ ...spec, mapping: withFormat(used, field, column, format) }));
  }

  /** A name of the file that matched no record, mapped to the record chosen. */
  mapValue(field: string, text: string, id: string | null) {
    void this.update((spec) => {
      const values = { ...spec.values };
      const forField = { ...(values[field] ?? {}) };
      if (id) forField[text] = id;
      else delete forField[text];
      values[field] = forField;
      return { ...spec, values };
    });
  }

  /** A network the catalog lacks, added now and given to the rows that name it. */
  async addNetwork(field: string, text: string, network: { name: string; acronym: string; scope: string }) {
    try {
      const saved = await recordSave('network', network as never);
      this.mapValue(field, text, saved.id);
    } catch (reason) {
      const d = this.dialog;
      if (d?.kind === 'preview') this.dialog = { ...d, error: toAppError(reason) };
    }
  }

  setSkipDuplicates(skip: boolean) {
    void this.update((spec) => ({ ...spec, skip_duplicates: skip }));
  }

  setSkipErrors(skip: boolean) {
    const d = this.dialog;
    if (d?.kind === 'preview') this.dialog = { ...d, skipErrors: skip };
  }

  /** Imports what the preview shows, in one transaction. */
  async confirm() {
    const d = this.dialog;
    if (d?.kind !== 'preview') return;
    const spec = $state.snapshot(d.spec) as ImportSpec;
    const skipErrors = d.skipErrors;
    this.dialog = { kind: 'progress', done: 0, total: 0, cancelling: false };
    try {
      const preview = await call('import_apply', {
        spec,
        skipErrors,
        lang: language.current,
        progress: this.progress(),
      });
      this.dialog = { kind: 'done', preview, undone: null };
    } catch (reason) {
      this.fail(reason);
    }
  }

  /** Cancel: stops the reading or the import under way, or closes the preview. */
  async cancel() {
    const d = this.dialog;
    if (d?.kind === 'progress') this.dialog = { ...d, cancelling: true };
    else if (d?.kind === 'reading') this.dialog = null;
    try {
      await call('import_cancel');
      if (d?.kind !== 'progress') await this.close();
    } catch (reason) {
      this.fail(reason);
    }
  }

  /** Undo import, from the summary right after it. */
  async undoLast() {
    const d = this.dialog;
    if (d?.kind !== 'done' || !d.preview.import_id) return;
    try {
      const undone = await call('import_undo', { importId: d.preview.import_id, lang: language.current });
      this.dialog = { ...d, undone };
    } catch (reason) {
      this.fail(reason);
    }
  }

  /** Import ▸ Imports…: every import recorded, each with Undo import. */
  async showHistory() {
    try {
      const entries = await call('imports_list');
      this.dialog = { kind: 'history', entries, confirming: null };
    } catch (reason) {
      this.fail(reason);
    }
  }

  /** First click asks to confirm; the second undoes. */
  async undo(importId: string) {
    const d = this.dialog;
    if (d?.kind !== 'history') return;
    if (d.confirming !== importId) {
      this.dialog = { ...d, confirming: importId };
      return;
    }
    try {
      await call('import_undo', { importId, lang: language.current });
      const entries = await call('imports_list');
      this.dialog = { kind: 'history', entries, confirming: null };
    } catch (reason) {
      this.fail(reason);
    }
  }

  /** Import ▸ Template…: the kind chosen first. */
  chooseTemplate() {
    this.dialog = { kind: 'template', recordKind: 'cost_entry' };
  }

  async writeTemplate(kind: RecordKind) {
    try {
      const path = await share.savePath(
        `${t('import.templateName')}-${kind}.xlsx`,
        t('share.filterXlsx'),
        'xlsx',
      );
      if (!path) return;
      const written = await call('import_template', { kind, path, lang: language.current });
      this.dialog = { kind: 'message', text: t('share.exported', { path: written }) };
    } catch (reason) {
      this.fail(reason);
    }
  }
}

export const importer = new ImportState();
