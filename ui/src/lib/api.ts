// The one way the UI talks to the shell. Every command goes through call();
// a command's failure arrives as an AppError whose `code` the UI switches on
// (never on the message text).

import { invoke, type InvokeArgs } from '@tauri-apps/api/core';

/** The error shape every Cabildo command returns: `{ code, message }`. */
export interface CommandErrorPayload {
  code: string;
  message: string;
}

/** Codes produced by the UI side itself (the shell defines the others). */
export const IPC_ERROR_CODE = 'ipc';

export class AppError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }
}

function isCommandErrorPayload(value: unknown): value is CommandErrorPayload {
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
  if (isCommandErrorPayload(reason)) return new AppError(reason.code, reason.message);
  // Tauri itself rejects with a string (unknown command, permission denied…).
  if (typeof reason === 'string') return new AppError(IPC_ERROR_CODE, reason);
  if (reason instanceof Error) return new AppError(IPC_ERROR_CODE, reason.message);
  return new AppError(IPC_ERROR_CODE, String(reason));
}

/** Calls a shell command; resolves to its result or throws an AppError. */
export async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toAppError(reason);
  }
}

// ---------------------------------------------------------------------------
// Typed commands. One small function per shell command, with the command's
// argument and result types. (When the shell's types are generated with
// ts-rs, import them here instead of declaring them by hand.)

/** Result of `app_info` (src-tauri/src/commands.rs `AppInfo`). */
export interface AppInfo {
  version: string;
  data_dir: string;
}

export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>('app_info');
}
