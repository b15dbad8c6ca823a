// The one way the UI talks to the shell. Every command goes through call(),
// typed by the generated map of commands (commands.ts, from the shell's
// #[tauri::command] functions): a name the shell does not have, or arguments
// of the wrong shape, do not type-check. A command's failure arrives as an
// AppError whose `code` the UI switches on (never on the message text).

import { invoke, type InvokeArgs } from '@tauri-apps/api/core';
import type {
  AdoptAs,
  KindCount,
  Lang,
  ListPage,
  ListQuery,
  NumberFormat,
  RecordKind,
  RoiQuery,
  RowsWindow,
  RuleBreak,
} from './bindings';
import type { CommandError, CommandErrorCode, Commands } from './commands';
import type { RecordTypes } from './records';

export type { AppInfo, DbStatus, RecentFile } from './commands';

/** The name of a shell command. */
export type CommandName = keyof Commands;
/** What a command takes (camelCase names, as Tauri reads them). */
export type Args<K extends CommandName> = Commands[K]['args'];
/** What a command resolves to. */
export type Result<K extends CommandName> = Commands[K]['result'];

/** The code the UI gives a refusal from Tauri itself (not the shell's). */
const IPC_ERROR_CODE = 'ipc' satisfies CommandErrorCode;

export class AppError extends Error {
  readonly code: CommandErrorCode;
  /** The record field the error concerns, when it concerns one. */
  readonly field: string | null;
  readonly detail: string | null;
  /** For `record_rules`: the first few received records that break a rule. */
  readonly problems: RuleBreak[];
  /** The core's own words for the error in the user's language (imports). */
  readonly text: string | null;

  constructor(
    code: CommandErrorCode,
    message: string,
    field: string | null = null,
    problems: RuleBreak[] = [],
    detail: string | null = null,
    text: string | null = null,
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.field = field;
    this.detail = detail;
    this.problems = problems;
    this.text = text;
  }
}

function isCommandError(value: unknown): value is CommandError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** Turns whatever a rejected invoke carries into an AppError. */
export function toAppError(reason: unknown): AppError {
  if (reason instanceof AppError) return reason;
  if (isCommandError(reason)) {
    return new AppError(
      reason.code,
      reason.message,
      reason.field ?? null,
      reason.problems ?? [],
      reason.detail ?? null,
      reason.text ?? null,
    );
  }
  // Tauri itself rejects with a string (unknown command, permission denied…).
  if (typeof reason === 'string') return new AppError(IPC_ERROR_CODE, reason);
  if (reason instanceof Error) return new AppError(IPC_ERROR_CODE, reason.message);
  return new AppError(IPC_ERROR_CODE, String(reason));
}

/**
 * Calls a shell command; resolves to its result or throws an AppError. The
 * arguments may be left out when the command needs none.
 */
export async function call<K extends CommandName>(
  command: K,
  ...args: Record<string, never> extends Args<K> ? [args?: Args<K>] : [args: Args<K>]
): Promise<Result<K>> {
  try {
    return await invoke<Result<K>>(command, args[0] as InvokeArgs | undefined);
  } catch (reason) {
    throw toAppError(reason);
  }
}

// ---------------------------------------------------------------------------
// The commands most screens use, named for them. The record commands carry
// records as JSON, typed here by their kind.

export const appInfo = () => call('app_info');

export const dbStatus = () => call('db_status');
export const dbStartEmpty = (language: Lang) => call('db_start_empty', { language });
export const dbOpenDemo = () => call('db_open_demo');
export const dbNew = (path: string, language: Lang) => call('db_new', { path, language });
export const dbOpen = (path: string) => call('db_open', { path });

/** `db_open`'s refusal of a file from elsewhere: it is opened by `db_open_received`. */
export const FROM_ELSEWHERE = 'from_elsewhere';
export const dbOpenReceived = (path: string, adoptAs: AdoptAs) =>
  call('db_open_received', { path, adoptAs });
export const dbOpenReceivedCancel = () => call('db_open_received_cancel');

export const officeSet = (
  name: string,
  reportingCurrency: string,
  language: Lang,
  numberFormat: NumberFormat,
) => call('office_set', { name, reportingCurrency, language, numberFormat });

// The budget cycle (issue 14): every figure is the core's.
export const budgetProposal = (fiscalYear: number, cityId: string | null, currency?: string) =>
  call('budget_proposal', { fiscalYear, cityId, currency: currency ?? null });
export const budgetSettings = () => call('budget_settings');
export const budgetSettingsSet = (fiscalYearStartMonth: number, discountRate: string) =>
  call('budget_settings_set', { fiscalYearStartMonth, discountRate });
export const invoiceStandings = (cityId: string | null) => call('invoice_standings', { cityId });
export const duesForCity = (cityId: string) => call('dues_for_city', { cityId });
export const grantElementOf = (outcomeId: string) => call('grant_element_of', { outcomeId });

export async function recordsList<K extends RecordKind>(
  kind: K,
  cityId: string | null = null,
): Promise<RecordTypes[K][]> {
  return (await call('records_list', { kind, cityId })) as RecordTypes[K][];
}

/** One page of a kind's records, searched, filtered, sorted and counted by the core. */
export const recordsPage = (query: ListQuery): Promise<ListPage> => call('records_page', { query });

/** The values a text field holds among a kind's records (a filter's choices). */
export const recordsDistinct = (kind: RecordKind, field: string, cityId: string | null = null) =>
  call('records_distinct', { kind, field, cityId });

/** Records of every kind found by their words, grouped by kind (the core's index). */
export const search = (text: string, limit?: number) => call('search', { text, limit });

export async function recordGet<K extends RecordKind>(kind: K, id: string): Promise<RecordTypes[K]> {
  return (await call('record_get', { kind, id })) as RecordTypes[K];
}

/** Inserts (no id) or updates a record; the core validates it. */
export async function recordSave<K extends RecordKind>(
  kind: K,
  record: Partial<RecordTypes[K]> & Record<string, unknown>,
): Promise<RecordTypes[K]> {
  return (await call('record_save', { kind, record })) as RecordTypes[K];
}

/** What deleting a record would take to the trash with it, per kind. */
export const recordDeletePreview = (kind: RecordKind, id: string): Promise<KindCount[]> =>
  call('record_delete_preview', { kind, id });
/** Moves a record to the trash with what depends on it; says how many went with it. */
export const recordDelete = (kind: RecordKind, id: string): Promise<KindCount[]> =>
  call('record_delete', { kind, id });
export const recordRestore = (kind: RecordKind, id: string) => call('record_restore', { kind, id });
export const trashList = () => call('trash_list');

/** The ROI dashboard; without a query, the last twelve months in the office currency. */
export const dashboard = (
  query: RoiQuery | null = null,
  cityId: string | null = null,
  rows: RowsWindow | null = null,
) => call('dashboard', { query, cityId, rows });

/** The records behind one figure of a dashboard row (membership null: general work). */
export const explain = (query: RoiQuery, membershipId: string | null, figure: string, lang: Lang) =>
  call('explain', { query, membershipId, figure, lang });

/** Writes the records behind a figure as CSV; resolves to the path written. */
export const explainCsv = (
  path: string,
  query: RoiQuery,
  membershipId: string | null,
  figure: string,
  lang: Lang,
) => call('explain_csv', { path, query, membershipId, figure, lang });

/** How many projects stand at each stage and in each sector (all cities when cityId is null). */
export const portfolio = (cityId: string | null = null) => call('portfolio', { cityId });
/** The thesis steering each membership today: the core's rule (roi.rs `current_theses`). */
export const thesesCurrent = (cityId: string | null = null) => call('theses_current', { cityId });

/** Tells the shell the dashboard has been painted (start-up measurement). */
export const appPainted = () => call('app_painted');
