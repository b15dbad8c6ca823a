import { beforeEach, describe, expect, it } from 'vitest';
import {
  LANG_STORAGE_KEY,
  LANGS,
  CORE_WORDS,
  en,
  es,
  interpolate,
  language,
  localeOf,
  setLang,
  t,
  translate,
  translations,
  type MessageKey,
} from './i18n';
import { readStoredLang } from './lang.svelte';
import { SCREENS } from './screens';

describe('translation tables', () => {
  it('have exactly the same keys in Spanish and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(es).sort());
  });

  it('have no empty or blank text in any language', () => {
    for (const lang of LANGS) {
      for (const [key, text] of Object.entries(translations[lang])) {
        expect(text.trim(), `${lang}:${key}`).not.toBe('');
      }
    }
  });

  it('use the same {placeholders} in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(es) as (keyof typeof es)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(es[key]));
    }
  });

  it('take the core words from the core alone, in both languages', () => {
    // One word for each thing: a key the core names (a field, an enum value, a
    // kind) is never written again in the UI's tables, where it could drift.
    const core = new Set(Object.keys(CORE_WORDS.es));
    expect(Object.keys(CORE_WORDS.en).sort()).toEqual([...core].sort());
    const again = [...Object.keys(es), ...Object.keys(en)].filter((k) => core.has(k));
    expect(again).toEqual([]);
  });

  it('give each key one wording: the merged tables keep every word of both sources', () => {
    for (const lang of LANGS) {
      for (const [key, text] of Object.entries(CORE_WORDS[lang])) {
        expect(translations[lang][key as MessageKey], key).toBe(text);
      }
    }
  });

  it('name every screen in the navigation, its heading and its lead', () => {
    for (const screen of SCREENS) {
      for (const key of [screen.nav, screen.title, screen.lead]) {
        expect(translations.es[key], key).toBeTruthy();
        expect(translations.en[key], key).toBeTruthy();
      }
    }
  });
});

describe('current language', () => {
  beforeEach(() => {
    localStorage.clear();
    setLang('es');
  });

  it('defaults to Spanish when nothing is stored', () => {
    localStorage.clear();
    expect(readStoredLang()).toBe('es');
  });

  it('ignores an unknown stored value', () => {
    localStorage.setItem(LANG_STORAGE_KEY, 'fr');
    expect(readStoredLang()).toBe('es');
  });

  it('is remembered in localStorage under cabildo.lang', () => {
    setLang('en');
    expect(localStorage.getItem(LANG_STORAGE_KEY)).toBe('en');
    expect(readStoredLang()).toBe('en');
    expect(language.current).toBe('en');
  });

  it('switches what t() returns and the document language', () => {
    expect(t('nav.networks')).toBe('Redes');
    expect(document.documentElement.lang).toBe('es-MX');
    setLang('en');
    expect(t('nav.networks')).toBe('Networks');
    expect(document.documentElement.lang).toBe('en-US');
  });

  it('maps languages to locales es-MX and en-US', () => {
    expect(localeOf('es')).toBe('es-MX');
    expect(localeOf('en')).toBe('en-US');
  });
});

describe('interpolation', () => {
  it('fills {name} placeholders', () => {
    expect(translate('es', 'app.version', { version: '1.2.3' })).toBe('Versión 1.2.3');
    expect(translate('en', 'app.version', { version: '1.2.3' })).toBe('Version 1.2.3');
  });

  it('leaves unknown placeholders untouched and accepts numbers', () => {
    expect(interpolate('{a} y {b}', { a: 1 })).toBe('1 y {b}');
  });
});
