// The current language, as Svelte 5 reactive state. Reading `language.current`
// inside a component (directly or through t() and the format functions)
// re-renders it when the language changes.

export type Lang = 'es' | 'en';

export const LANGS: readonly Lang[] = ['es', 'en'];
export const DEFAULT_LANG: Lang = 'es';
export const LANG_STORAGE_KEY = 'cabildo.lang';

/** BCP 47 locale used for numbers, money and dates in each language. */
export const LOCALES: Record<Lang, string> = { es: 'es-MX', en: 'en-US' };

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** The stored choice, or Spanish when none (or storage is unavailable). */
export function readStoredLang(): Lang {
  try {
    const stored = globalThis.localStorage?.getItem(LANG_STORAGE_KEY);
    return isLang(stored) ? stored : DEFAULT_LANG;
  } catch {
    return DEFAULT_LANG;
  }
}

class LanguageState {
  current = $state<Lang>(readStoredLang());
}

export const language = new LanguageState();

/** Switches the language, remembers it, and tells assistive technology. */
export function setLang(lang: Lang): void {
  language.current = lang;
  try {
    globalThis.localStorage?.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // Storage may be disabled; the choice then lasts for this session only.
  }
  syncDocumentLang();
}

/** Sets `<html lang>` to the current locale (screen readers, hyphenation). */
export function syncDocumentLang(): void {
  if (typeof document !== 'undefined') {
    document.documentElement.lang = LOCALES[language.current];
  }
}
