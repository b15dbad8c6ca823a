// Errors in the user's language. The UI switches on the error's code (never
// on its English message): `invalid.<rule>` for the core's data rules, the
// core's and the shell's other codes, and a few of the UI's own.

import type { AppError } from './api';
import { translate, type Lang, type MessageKey } from './i18n';
import { language } from './lang.svelte';
import { es } from './locales/es';

/** Every code with its own text (the rest fall back to a generic message). */
export function hasErrorText(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(es, `error.${code}`);
}

/**
 * The text for an error code, e.g. `invalid.negative` → "No puede ser negativo.";
 * `detail` fills a text's `{detail}` (the number written the office's way).
 */
export function errorCodeText(
  code: string,
  lang: Lang = language.current,
  message = '',
  detail: string | null = null,
): string {
  if (hasErrorText(code)) return translate(lang, `error.${code}` as MessageKey, { detail: detail ?? '' });
  if (code.startsWith('invalid.')) return translate(lang, 'error.invalid.other');
  return translate(lang, 'error.generic', { message: message || code });
}

/** The text for an error a command returned: the core's words when it gave them. */
export function errorText(error: AppError, lang: Lang = language.current): string {
  if (error.text) return error.text;
  return errorCodeText(error.code, lang, error.message, error.detail);
}
