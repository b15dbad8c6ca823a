import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { AppError } from '$lib/api';
import type { MergePlan } from '$lib/bindings';
import { setLang } from '$lib/i18n';
import { share } from '$lib/share.svelte';
import MergeDialog from './MergeDialog.svelte';

const counts = { incoming: 3, new: 1, updated: 0, unchanged: 1, tombstoned: 0, conflicts: 1 };

const plan: MergePlan = {
  source: {
    file: '/tmp/oficina-norte.cabildo',
    office_id: 'o-2',
    office_name: 'Oficina Norte',
    schema_version: 3,
    bytes: 4096,
    records: 3,
    fingerprint: 'abc',
  },
  kinds: [{ kind: 'city', ...counts }],
  totals: counts,
  changes: 2,
  conflicts: [
    {
      kind: 'city',
      record_id: 'c-1',
      label: 'Helsingør',
      local: { name: 'Helsingør A', country: 'DK' },
      incoming: { name: 'Helsingør B', country: 'DK' },
      winner: 'incoming',
    },
  ],
  already_merged_at: null,
  unseen_tombstones: 0,
  catalog_changes: 0,
};

let calls: string[] = [];

beforeEach(() => {
  setLang('es');
  calls = [];
  mockIPC((cmd) => {
    calls.push(cmd);
    if (cmd === 'merge_cancel') return null;
    throw { code: 'unknown_command', message: cmd };
  });
});

afterEach(() => {
  share.close();
  clearMocks();
});

describe('MergeDialog', () => {
  it('shows the counts and the conflicts side by side, the differing field marked', () => {
    share.dialog = { kind: 'plan', plan };
    render(MergeDialog);
    expect(screen.getByText('Fusionar «Oficina Norte»')).toBeTruthy();
    expect(screen.getByTestId('merge-total-new').textContent).toBe('1');
    expect(screen.getByTestId('merge-total-conflicts').textContent).toBe('1');
    const conflict = screen.getByTestId('merge-conflict');
    const rows = [...conflict.querySelectorAll('tbody tr')];
    const byField = Object.fromEntries(rows.map((r) => [r.querySelector('th')?.textContent, r]));
    expect(byField['name']?.classList.contains('differs')).toBe(true);
    expect(byField['country']?.classList.contains('differs')).toBe(false);
    expect(byField['name']?.textContent).toContain('Helsingør A');
    expect(byField['name']?.textContent).toContain('Helsingør B');
  });

  it('shows tombstones of records never held here and catalog edits each on its own line', () => {
    share.dialog = { kind: 'plan', plan: { ...plan, unseen_tombstones: 2, catalog_changes: 1 } };
    render(MergeDialog);
    expect(screen.getByTestId('merge-unseen-tombstones').textContent).toContain('nunca tuvo: 2');
    expect(screen.getByTestId('merge-catalog-changes').textContent).toContain('edita o borra: 1');
  });

  it('shows no such lines when the file has none', () => {
    share.dialog = { kind: 'plan', plan };
    render(MergeDialog);
    expect(screen.queryByTestId('merge-notes')).toBeNull();
  });

  it('Cancel while the file is checked stops the check in the shell', async () => {
    share.dialog = { kind: 'checking' };
    render(MergeDialog);
    await fireEvent.click(screen.getByTestId('merge-cancel'));
    expect(share.dialog).toBeNull();
    await Promise.resolve();
    expect(calls).toContain('merge_cancel');
  });

  it('Cancel forgets the plan in the shell and closes', async () => {
    share.dialog = { kind: 'plan', plan };
    render(MergeDialog);
    await fireEvent.click(screen.getByTestId('merge-cancel'));
    expect(share.dialog).toBeNull();
    await Promise.resolve();
    expect(calls).toContain('merge_cancel');
  });

  it('translates an error code', () => {
    setLang('en');
    share.dialog = { kind: 'error', error: new AppError('newer_schema', 'x') };
    render(MergeDialog);
    expect(screen.getByTestId('share-error').textContent).toBe(
      'The file comes from a newer Cabildo; update the app.',
    );
  });
});
