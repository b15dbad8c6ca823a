// Generated from the shell (ts-rs; the commands from their #[tauri::command]
// functions, by build.rs). Do not edit: run `CABILDO_WRITE_BINDINGS=1 cargo test -p cabildo-app --test bindings`.

import type { Channel } from '@tauri-apps/api/core';
import type { AdoptAs, BackupInfo, BudgetProposal, BudgetSettings, CdpImportReport, Chart, ChartKind, ChartRequest, City, ConflictEntry, CurrentThesis, Dashboard, ErrorCode, Explanation, GrantElementView, ImportEntry, InvoiceStanding, KindCount, Lang, ListPage, ListQuery, MapTo, MergePlan, MergeSummary, NetworkDues, NumberFormat, Office, PackRequest, Peers, PeersFilter, PortfolioCounts, Preview, RecordKind, RoiQuery, RowsWindow, RuleBreak, SearchResults, TrashItem } from './bindings';

export type ShellErrorCode = "no_database" | "no_plan" | "shell" | "from_elsewhere" | "ipc";

export type CommandError = { 
/**
 * A stable, machine-readable code in snake_case, e.g. `io`, `not_found`,
 * `invalid.negative`.
 */
code: CommandErrorCode, 
/**
 * A human-readable explanation (English; not shown as translated UI text).
 */
message: string, 
/**
 * The record field a rule violation concerns (`invalid.<rule>` codes), so
 * the UI can show the error next to it. Absent otherwise.
 */
field?: string, 
/**
 * What a rule's text shows of the value (e.g. the number written the
 * office's way); absent otherwise.
 */
detail?: string, 
/**
 * For `record_rules`: the received records refused, each with its rule, for
 * the UI to name in the user's language. Absent otherwise.
 */
problems?: Array<RuleBreak>, 
/**
 * The error in the user's language, where the core words it itself (a
 * spreadsheet that cannot be imported); the UI shows it as it is.
 */
text?: string, };

export type AppInfo = { version: string, data_dir: string, };

export type RecentFile = { path: string, 
/**
 * False when the file has been moved or deleted since.
 */
exists: boolean, };

export type DbStatus = { 
/**
 * The open file; None before the first-start choice.
 */
path: string | null, office: Office | null, 
/**
 * The cities of the file (the city selector shows when there are several).
 */
cities: Array<City>, recent: Array<RecentFile>, 
/**
 * Why the file asked for at start (command line, last file) did not open.
 */
startup_error: CommandError | null, 
/**
 * The file `--open` named at start when it came from elsewhere: not
 * opened in place, it waits for the user to say whose it is
 * (`db_open_received`). The usual database is open meanwhile.
 */
startup_received: string | null, };

export type ExportFormat = "svg" | "png" | "pdf";

export type ChartSet = { query: RoiQuery, charts: Array<Chart>, };

export type Progress = { done: number, total: number, };

export type CsvExport = { path: string, records: number, };

export type CdpImportResult = { report: CdpImportReport, messages: Array<string>, };

export type ImportSpec = { path: string, kind: RecordKind, 
/**
 * The sheet's name; the first with a header when none.
 */
sheet?: string, mapping: { [key in string]: MapTo }, values: { [key in string]: { [key in string]: string } }, 
/**
 * Leave out the rows that look like records already in the database.
 */
skip_duplicates: boolean, };

/** Every code a command's error carries: the core's, the shell's, or
 * `invalid.<rule>` for a data rule the core refused. */
export type CommandErrorCode = ErrorCode | ShellErrorCode | `invalid.${string}`;

/** Every command of the shell: the arguments the UI sends (camelCase; an
 * optional one may be left out) and what the command resolves to. */
export interface Commands {
  budget_proposal: { args: { fiscalYear: number; cityId?: string | null; currency?: string | null }; result: BudgetProposal };
  budget_settings: { args: Record<string, never>; result: BudgetSettings };
  budget_settings_set: { args: { fiscalYearStartMonth: number; discountRate: string }; result: BudgetSettings };
  invoice_standings: { args: { cityId?: string | null }; result: Array<InvoiceStanding> };
  dues_for_city: { args: { cityId: string }; result: Array<NetworkDues> };
  grant_element_of: { args: { outcomeId: string }; result: GrantElementView | null };
  charts_render: { args: { query?: RoiQuery | null; cityId?: string | null; lang: Lang; kinds: Array<ChartKind>; width: number; height: number }; result: ChartSet };
  chart_export: { args: { request: ChartRequest; format: ExportFormat; path: string }; result: string };
  council_pack_export: { args: { request: PackRequest; path: string }; result: string };
  charts_save_override: { args: { fileName: string }; result: string | null };
  presentation_fullscreen: { args: { fullscreen: boolean }; result: boolean };
  app_info: { args: Record<string, never>; result: AppInfo };
  db_status: { args: Record<string, never>; result: DbStatus };
  db_start_empty: { args: { language?: string | null }; result: DbStatus };
  db_open_demo: { args: Record<string, never>; result: DbStatus };
  db_new: { args: { path: string; language?: string | null }; result: DbStatus };
  db_open: { args: { path: string }; result: DbStatus };
  db_open_received: { args: { path: string; adoptAs: AdoptAs }; result: DbStatus };
  db_open_received_cancel: { args: Record<string, never>; result: null };
  office_set: { args: { name: string; reportingCurrency: string; language: string; numberFormat: NumberFormat }; result: Office };
  records_list: { args: { kind: RecordKind; cityId?: string | null }; result: unknown };
  records_page: { args: { query: ListQuery }; result: ListPage };
  records_distinct: { args: { kind: RecordKind; field: string; cityId?: string | null }; result: Array<string> };
  record_get: { args: { kind: RecordKind; id: string }; result: unknown };
  record_save: { args: { kind: RecordKind; record: unknown }; result: unknown };
  record_delete_preview: { args: { kind: RecordKind; id: string }; result: Array<KindCount> };
  record_delete: { args: { kind: RecordKind; id: string }; result: Array<KindCount> };
  record_restore: { args: { kind: RecordKind; id: string }; result: null };
  trash_list: { args: Record<string, never>; result: Array<TrashItem> };
  dashboard: { args: { query?: RoiQuery | null; cityId?: string | null; rows?: RowsWindow | null }; result: Dashboard };
  explain: { args: { query: RoiQuery; membershipId?: string | null; figure: string; lang: Lang }; result: Explanation };
  explain_csv: { args: { path: string; query: RoiQuery; membershipId?: string | null; figure: string; lang: Lang }; result: string };
  portfolio: { args: { cityId?: string | null }; result: PortfolioCounts };
  theses_current: { args: { cityId?: string | null }; result: Array<CurrentThesis> };
  app_painted: { args: Record<string, never>; result: null };
  exchange_open_override: { args: Record<string, never>; result: string | null };
  incoming_list: { args: Record<string, never>; result: Array<string> };
  incoming_add: { args: { paths: Array<string> }; result: Array<string> };
  incoming_take: { args: { path?: string | null }; result: string | null };
  merge_plan: { args: { path: string }; result: MergePlan };
  merge_apply: { args: { progress: Channel<Progress> }; result: MergeSummary };
  merge_cancel: { args: Record<string, never>; result: null };
  export_database: { args: { path: string }; result: string };
  export_xlsx: { args: { path: string; lang: Lang }; result: string };
  export_csv: { args: { path: string; kind: RecordKind; lang: Lang }; result: CsvExport };
  cdp_import: { args: { path: string; lang: Lang }; result: CdpImportResult };
  peers_overview: { args: { filter: PeersFilter }; result: Peers };
  backups_list: { args: Record<string, never>; result: Array<BackupInfo> };
  backup_restore: { args: { path: string }; result: BackupInfo | null };
  conflicts_list: { args: { all: boolean }; result: Array<ConflictEntry> };
  conflict_restore: { args: { id: string }; result: null };
  conflict_dismiss: { args: { id: string }; result: null };
  import_preview: { args: { spec: ImportSpec; lang: Lang; progress: Channel<Progress> }; result: Preview };
  import_apply: { args: { spec: ImportSpec; skipErrors: boolean; lang: Lang; progress: Channel<Progress> }; result: Preview };
  import_cancel: { args: Record<string, never>; result: null };
  import_close: { args: Record<string, never>; result: null };
  imports_list: { args: Record<string, never>; result: Array<ImportEntry> };
  import_undo: { args: { importId: string; lang: Lang }; result: number };
  import_template: { args: { kind: RecordKind; path: string; lang: Lang }; result: string };
  search: { args: { text: string; limit?: number | null }; result: SearchResults };
}
