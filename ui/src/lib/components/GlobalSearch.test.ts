import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { InvokeArgs } from '@tauri-apps/api/core';
import type { SearchResults } from '$lib/bindings';
import { setLang } from '$lib/i18n';
import { opening } from '$lib/opening.svelte';
import GlobalSearch from './GlobalSearch.svelte';

const FOUND: SearchResults = {
  groups: [
    {
      kind: 'city',
      total: 1,
      more: false,
      hits: [{ kind: 'city', id: 'c1', label: 'Bogotá', city: null }],
    },
    {
      kind: 'cost_entry',
      total: 1000,
      more: true,
      hits: [
        { kind: 'cost_entry', id: 'k1', label: '2025-03-02 Vuelo a <b>Bogotá</b>', city: 'Bogotá' },
        { kind: 'cost_entry', id: 'k2', label: '2025-03-03 Hotel', city: 'Bogotá' },
      ],
    },
  ],
};

/** A shell that answers `search`; records every query. */
function shell(answer: (text: string) => SearchResults = () => FOUND) {
  const queries: string[] = [];
  mockIPC((cmd, args?: InvokeArgs) => {
    if (cmd === 'search') {
      const text = (args as { text: string }).text;
      queries.push(text);
      return answer(text);
    }
    throw { code: 'unknown_command', message: cmd };
  });
  return queries;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(() => {
  setLang('es');
  opening.pending = null;
  location.hash = '#/dashboard';
});

afterEach(() => clearMocks());

describe('GlobalSearch', () => {
  it('asks the core once the typing pauses and shows the results grouped by kind', async () => {
    const queries = shell();
    render(GlobalSearch, { debounce: 10 });
    const input = screen.getByTestId('global-search-input') as HTMLInputElement;
    await fireEvent.input(input, { target: { value: 'bo' } });
    await fireEvent.input(input, { target: { value: 'bogota' } });
    await wait(40);
    expect(queries).toEqual(['bogota']);
    const groups = screen.getAllByTestId('global-search-group');
    expect(groups.map((g) => g.dataset.kind)).toEqual(['city', 'cost_entry']);
    expect(groups[0]!.textContent).toContain('Ciudades');
    expect(groups[1]!.textContent).toContain('más de 1000');
    const hits = screen.getAllByTestId('global-search-hit');
    expect(hits.map((h) => h.dataset.id)).toEqual(['c1', 'k1', 'k2']);
    // A label is text, never markup.
    expect(hits[1]!.textContent).toContain('<b>Bogotá</b>');
    expect(hits[1]!.querySelector('b')).toBeNull();
    expect(hits[0]!.getAttribute('aria-selected')).toBe('true');
  });

  it('moves with the arrows and opens the chosen record on its screen with Enter', async () => {
    shell();
    render(GlobalSearch, { debounce: 0 });
    const input = screen.getByTestId('global-search-input') as HTMLInputElement;
    await fireEvent.input(input, { target: { value: 'bogota' } });
    await wait(20);
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    await fireEvent.keyDown(input, { key: 'ArrowUp' });
    const hits = screen.getAllByTestId('global-search-hit');
    expect(hits[1]!.getAttribute('aria-selected')).toBe('true');
    expect(input.getAttribute('aria-activedescendant')).toBe(hits[1]!.id);
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(opening.pending).toEqual({ kind: 'cost_entry', id: 'k1' });
    expect(location.hash).toBe('#/costs');
    expect(screen.queryByTestId('global-search-panel')).toBeNull();
  });

  it('says when nothing is found and closes with Escape', async () => {
    shell(() => ({ groups: [] }));
    render(GlobalSearch, { debounce: 0 });
    const input = screen.getByTestId('global-search-input') as HTMLInputElement;
    await fireEvent.input(input, { target: { value: 'zzz' } });
    await wait(20);
    expect(screen.getByTestId('global-search-empty').textContent).toBe('Nada encontrado.');
    await fireEvent.keyDown(input, { key: 'Escape' });
    expect(screen.queryByTestId('global-search-panel')).toBeNull();
  });

  it('is focused by Ctrl+K from anywhere', async () => {
    shell();
    render(GlobalSearch);
    await fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    expect(document.activeElement).toBe(screen.getByTestId('global-search-input'));
  });
});
