import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import RecordScreen from '$lib/components/RecordScreen.svelte';
import { setLang } from '$lib/i18n';
import { opening, SCREEN_OF_KIND } from '$lib/opening.svelte';
import { SCREEN_CONFIGS, type RecordScreenConfig } from '$lib/screenConfigs';
import { KINDS, type RecordKind } from '$lib/bindings';
import { isScreenId } from '$lib/screens';

const NETWORK = {
  id: 'n1',
  created_at: 1,
  updated_at: 1,
  updated_by: 'o',
  deleted: false,
  trashed_with: null,
  name: 'Red de Prueba Abierta',
  acronym: 'RPA',
  founded_year: null,
  headquarters: null,
  scope: 'global',
  focus: null,
  member_count: null,
  fee_model: null,
  website: null,
  source: null,
  as_of: null,
};

// The generic component's props, as a screen passes them for one kind.
const networkScreen = { config: SCREEN_CONFIGS.network as unknown as RecordScreenConfig<RecordKind> };

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(() => {
  setLang('es');
  location.hash = '#/dashboard';
  mockIPC((cmd, args) => {
    if (cmd === 'records_list') return [];
    if (cmd === 'record_get' && (args as { id: string }).id === 'n1') return NETWORK;
    throw { code: 'unknown_command', message: cmd };
  });
});

afterEach(() => {
  opening.pending = null;
  clearMocks();
});

describe('opening a record from elsewhere', () => {
  it('names a screen for every kind', () => {
    for (const kind of Object.keys(KINDS) as RecordKind[]) {
      expect(isScreenId(SCREEN_OF_KIND[kind])).toBe(true);
    }
  });

  it('goes to the kind’s screen, whose record screen opens the record’s form once', async () => {
    opening.open('network', 'n1');
    expect(location.hash).toBe('#/networks');
    render(RecordScreen, networkScreen);
    await wait(20);
    const name = screen.getByTestId('form-network-name') as HTMLInputElement;
    expect(name.value).toBe('Red de Prueba Abierta');
    expect(opening.pending).toBeNull();
  });

  it('leaves a request for another kind alone', async () => {
    opening.open('cost_entry', 'k1');
    render(RecordScreen, networkScreen);
    await wait(20);
    expect(screen.queryByTestId('form-network')).toBeNull();
    expect(opening.pending).toEqual({ kind: 'cost_entry', id: 'k1' });
  });
});
