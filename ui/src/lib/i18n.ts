// Translations. Every string the user reads goes through t(); Spanish and
// English are complete at all times (see i18n.test.ts).
//
// To add a text: add the key to locales/es.ts and locales/en.ts (TypeScript
// refuses an English table that lacks a Spanish key or has an extra one).
// Field names, enumeration values and kinds are the core's words (CORE_WORDS,
// generated into bindings.ts): one source for the screens, charts and exports.

import { CORE_WORDS } from './bindings';
import { es } from './locales/es';
import { en } from './locales/en';
import type { MessageKey } from './locales/keys';
import { language, LOCALES, type Lang } from './lang.svelte';

export { es, en, CORE_WORDS };
export type { MessageKey };
export {
  DEFAULT_LANG,
  LANGS,
  LANG_STORAGE_KEY,
  LOCALES,
  isLang,
  language,
  setLang,
  syncDocumentLang,
  type Lang,
} from './lang.svelte';

export type MessageParams = Record<string, string | number>;

export const translations: Record<Lang, Record<MessageKey, string>> = {
  es: { ...CORE_WORDS.es, ...es },
  en: { ...CORE_WORDS.en, ...en },
};

/** The BCP 47 locale of a language (default: the current one). */
export function localeOf(lang: Lang = language.current): string {
  return LOCALES[lang];
}

/** Replaces `{name}` placeholders; unknown placeholders are left as they are. */
export function interpolate(template: string, params?: MessageParams): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** The text for `key` in the current language, with `{name}` filled from params. */
export function t(key: MessageKey, params?: MessageParams): string {
  return translate(language.current, key, params);
}

/** The text for `key` in a given language. */
export function translate(lang: Lang, key: MessageKey, params?: MessageParams): string {
  const text = translations[lang][key] ?? translations.es[key] ?? key;
  return interpolate(text, params);
}
