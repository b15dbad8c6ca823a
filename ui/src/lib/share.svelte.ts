// Sharing between offices (issue 5): the merge flow (choose a file, preview
// the plan, confirm, follow the progress, read the summary), the exports and
// the CDP import. One dialog at a time, drawn by MergeDialog.svelte; the
// files are read and written by the shell, the native dialogs only choose
// paths. End-to-end tests set CABILDO_E2E_OPEN_FILE (exchange_open_override)
// and CABILDO_E2E_SAVE_DIR (charts_save_override) to skip the dialogs.

import { Channel } from '@tauri-apps/api/core';
import { open, save } from '@tauri-apps/plugin-dialog';
import { AppError, call, explainCsv, toAppError } from './api';
import type { RoiQuery, BackupInfo, ConflictEntry, MergePlan, MergeSummary, PeersFilter, RecordKind } from './bindings';
import type { CdpImportResult, Progress } from './commands';
import { errorCodeText, errorText } from './errors';
import { t, translate, type MessageKey } from './i18n';
import { language } from './lang.svelte';
import { es } from './locales/es';

export type ShareDialog =
  | { kind: 'busy' }
  | { kind: 'checking' }
  | { kind: 'plan'; plan: MergePlan }
  | { kind: 'progress'; done: number; total: number; cancelling: boolean }
  | { kind: 'summary'; summary: MergeSummary }
  | { kind: 'cdp'; result: CdpImportResult }
  | { kind: 'backups'; backups: BackupInfo[]; confirming: string | null }
  | { kind: 'conflicts'; entries: ConflictEntry[] }
  | { kind: 'message'; text: string }
  | { kind: 'error'; error: AppError };

/** The error codes of the exchange with their own text under `share.error.`. */
export function shareErrorText(error: AppError, lang = language.current): string {
  const key = `share.error.${error.code}`;
  if (!Object.prototype.hasOwnProperty.call(es, key)) return errorText(error, lang);
  const text = translate(lang, key as MessageKey);
  if (error.code !== 'record_rules' || error.problems.length === 0) return text;
  // Each record named by its kind and id, with the rule it breaks in words.
  const items = error.problems.map((p) =>
    translate(lang, 'share.error.record_rules.item', {
      kind: translate(lang, `enum.record_kind.${p.kind}` as MessageKey),
      id: p.id,
      rule: errorCodeText(`invalid.${p.rule}`, lang),
    }),
  );
  return [text, ...items].join('\n');
}

class ShareState {
  dialog = $state<ShareDialog | null>(null);

  close() {
    this.dialog = null;
  }

  /** Shows why something failed, in the sharing dialog. */
  showError(reason: unknown) {
    this.dialog = { kind: 'error', error: toAppError(reason) };
  }

  /** The file the end-to-end tests give, or the one chosen in the open dialog. */
  private async openPath(name: string, extensions: string[]): Promise<string | null> {
    const override = await call('exchange_open_override');
    if (override) return override;
    const path = await open({ multiple: false, directory: false, filters: [{ name, extensions }] });
    return typeof path === 'string' ? path : null;
  }

  async savePath(fileName: string, name: string, extension: string): Promise<string | null> {
    const override = await call('charts_save_override', { fileName });
    if (override) return override;
    return await save({ defaultPath: fileName, filters: [{ name, extensions: [extension] }] });
  }

  /** Starts a merge: of `path` (a dropped file) or of a file chosen now. */
  async startMerge(path?: string) {
    try {
      const chosen = path ?? (await this.openPath(t('share.filterCabildo'), ['cabildo']));
      if (!chosen) return;
      this.dialog = { kind: 'checking' };
      const plan = await call('merge_plan', { path: chosen });
      if (this.dialog?.kind === 'checking') this.dialog = { kind: 'plan', plan };
    } catch (reason) {
      // Cancelled while the file was checked: the dialog is already closed.
      if (toAppError(reason).code === 'cancelled' && this.dialog === null) return;
      this.showError(reason);
    }
  }

  async confirmMerge() {
    const progress = new Channel<Progress>();
    this.dialog = { kind: 'progress', done: 0, total: 0, cancelling: false };
    progress.onmessage = ({ done, total }) => {
      if (this.dialog?.kind === 'progress') this.dialog = { ...this.dialog, done, total };
    };
    try {
      const summary = await call('merge_apply', { progress });
      this.dialog = { kind: 'summary', summary };
    } catch (reason) {
      const error = toAppError(reason);
      this.dialog =
        error.code === 'cancelled' ? { kind: 'message', text: t('share.cancelled') } : { kind: 'error', error };
    }
  }

  /**
   * Cancel while the file is checked (stops the check), in the preview (forgets
   * the plan) or during the merge (stops it).
   */
  async cancelMerge() {
    if (this.dialog?.kind === 'progress') this.dialog = { ...this.dialog, cancelling: true };
    else this.dialog = null;
    try {
      await call('merge_cancel');
    } catch (reason) {
      this.showError(reason);
    }
  }

  async exportDatabase() {
    try {
      const path = await this.savePath(t('share.exportDbName'), t('share.filterCabildo'), 'cabildo');
      if (!path) return;
      this.dialog = { kind: 'busy' };
      const written = await call('export_database', { path });
      this.dialog = { kind: 'message', text: t('share.exported', { path: written }) };
    } catch (reason) {
      this.showError(reason);
    }
  }

  async exportXlsx() {
    try {
      const path = await this.savePath(t('share.exportXlsxName'), t('share.filterXlsx'), 'xlsx');
      if (!path) return;
      this.dialog = { kind: 'busy' };
      const written = await call('export_xlsx', { path, lang: language.current });
      this.dialog = { kind: 'message', text: t('share.exported', { path: written }) };
    } catch (reason) {
      this.showError(reason);
    }
  }

  /** Every live record of one kind as CSV, column names in the app's language. */
  async exportCsv(kind: RecordKind) {
    try {
      const path = await this.savePath(`cabildo-${kind}.csv`, t('share.filterCsv'), 'csv');
      if (!path) return;
      this.dialog = { kind: 'busy' };
      const written = await call('export_csv', {
        path,
        kind,
        lang: language.current,
      });
      this.dialog = {
        kind: 'message',
        text: t('share.exportedRecords', { n: written.records, path: written.path }),
      };
    } catch (reason) {
      this.showError(reason);
    }
  }

  /** Saves the records behind a dashboard figure as CSV. */
  async exportExplanation(query: RoiQuery, membershipId: string | null, figure: string) {
    try {
      const path = await this.savePath(`cabildo-${figure.replace('.', '-')}.csv`, t('share.filterCsv'), 'csv');
      if (!path) return;
      this.dialog = { kind: 'busy' };
      const written = await explainCsv(path, query, membershipId, figure, language.current);
      this.dialog = { kind: 'message', text: t('explain.exported', { path: written }) };
    } catch (reason) {
      this.showError(reason);
    }
  }

  async importCdp() {
    try {
      const path = await this.openPath(t('share.filterCsv'), ['csv']);
      if (!path) return;
      this.dialog = { kind: 'busy' };
      const result = await call('cdp_import', { path, lang: language.current });
      this.dialog = { kind: 'cdp', result };
    } catch (reason) {
      this.showError(reason);
    }
  }

  async showBackups() {
    try {
      this.dialog = { kind: 'busy' };
      const backups = await call('backups_list');
      this.dialog = { kind: 'backups', backups, confirming: null };
    } catch (reason) {
      this.showError(reason);
    }
  }

  /** First click asks to confirm; the second restores. */
  async restoreBackup(path: string) {
    if (this.dialog?.kind !== 'backups') return;
    if (this.dialog.confirming !== path) {
      this.dialog = { ...this.dialog, confirming: path };
      return;
    }
    try {
      this.dialog = { kind: 'busy' };
      const safety = await call('backup_restore', { path });
      this.dialog = {
        kind: 'message',
        text: t('share.backups.restored', { file: safety?.file_name ?? '—' }),
      };
    } catch (reason) {
      this.showError(reason);
    }
  }

  async showConflicts() {
    try {
      this.dialog = { kind: 'busy' };
      const entries = await call('conflicts_list', { all: false });
      this.dialog = { kind: 'conflicts', entries };
    } catch (reason) {
      this.showError(reason);
    }
  }

  /** Restores the losing version (`restore`) or only marks the entry reviewed. */
  async resolveConflict(id: string, restore: boolean) {
    try {
      await (restore ? call('conflict_restore', { id }) : call('conflict_dismiss', { id }));
      const entries = await call('conflicts_list', { all: false });
      this.dialog = { kind: 'conflicts', entries };
    } catch (reason) {
      this.showError(reason);
    }
  }
}

export const share = new ShareState();

/** The peers overview of the imported cities passing `filter`. */
export function peersOverview(filter: PeersFilter) {
  return call('peers_overview', { filter });
}
