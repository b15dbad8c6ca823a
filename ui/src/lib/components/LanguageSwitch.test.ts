import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import App from '../../App.svelte';
import LanguageSwitch from './LanguageSwitch.svelte';
import { setLang } from '$lib/i18n';

beforeEach(() => {
  localStorage.clear();
  setLang('es');
  mockIPC((cmd) => {
    if (cmd === 'app_info') return { version: '9.8.7', data_dir: '/tmp/cabildo' };
    throw { code: 'unknown_command', message: cmd };
  });
});

afterEach(() => {
  clearMocks();
});

describe('LanguageSwitch', () => {
  it('marks the current language as pressed and switches on click', async () => {
    render(LanguageSwitch);
    const es = screen.getByTestId('lang-es');
    const en = screen.getByTestId('lang-en');
    expect(es.getAttribute('aria-pressed')).toBe('true');
    expect(en.getAttribute('aria-pressed')).toBe('false');

    await fireEvent.click(en);
    expect(en.getAttribute('aria-pressed')).toBe('true');
    expect(es.getAttribute('aria-pressed')).toBe('false');
    expect(localStorage.getItem('cabildo.lang')).toBe('en');
  });
});

describe('App frame', () => {
  it('shows the navigation in Spanish, then English, then Spanish again', async () => {
    render(App);
    expect(screen.getByTestId('nav-networks').textContent?.trim()).toBe('Redes');
    expect(screen.getByTestId('nav-settings').textContent?.trim()).toBe('Configuración');
    expect(screen.getByTestId('screen-title').textContent).toBe('Tablero');

    await fireEvent.click(screen.getByTestId('lang-en'));
    expect(screen.getByTestId('nav-networks').textContent?.trim()).toBe('Networks');
    expect(screen.getByTestId('nav-settings').textContent?.trim()).toBe('Settings');
    expect(screen.getByTestId('screen-title').textContent).toBe('Dashboard');
    expect(document.documentElement.lang).toBe('en-US');

    await fireEvent.click(screen.getByTestId('lang-es'));
    expect(screen.getByTestId('nav-networks').textContent?.trim()).toBe('Redes');
  });

  it('shows the version that app_info returns', async () => {
    render(App);
    expect((await screen.findByText('Versión 9.8.7')).dataset.testid).toBe('app-version');
  });

  it('lists all fourteen screens in the navigation, each a keyboard-reachable link', () => {
    render(App);
    const links = screen.getByTestId('nav').querySelectorAll('a[href^="#/"]');
    expect(links).toHaveLength(14);
    expect(screen.getByTestId('nav-dashboard').getAttribute('aria-current')).toBe('page');
  });
});
