import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { InvokeArgs } from '@tauri-apps/api/core';
import type { DbStatus } from '$lib/api';
import { db } from '$lib/db.svelte';
import { setLang } from '$lib/i18n';
import OpenReceivedDialog from './OpenReceivedDialog.svelte';

const RECEIVED = '/home/ana/.cache/mail/oficina-norte.cabildo';
const COPY: DbStatus = {
  path: '/data/oficina-norte.cabildo',
  office: null,
  cities: [],
  recent: [],
  startup_error: null,
  startup_received: null,
};

/** A shell that refuses files from elsewhere in db_open; records every call. */
function shell(openReceived: (args: InvokeArgs | undefined) => unknown = () => COPY) {
  const calls: [string, InvokeArgs | undefined][] = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === 'db_open') throw { code: 'from_elsewhere', message: 'elsewhere' };
    if (cmd === 'db_open_received') return openReceived(args);
    if (cmd === 'db_open_received_cancel') return null;
    throw { code: 'unknown_command', message: cmd };
  });
  return calls;
}

const tick = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  setLang('es');
  db.status = null;
  db.error = null;
});

afterEach(async () => {
  await db.dismissReceived();
  clearMocks();
});

describe('a file from elsewhere as the database', () => {
  it('asks whose it is and opens a copy as the same office', async () => {
    const calls = shell();
    render(OpenReceivedDialog);
    const opened = db.openFile(RECEIVED);
    await tick();
    expect(screen.getByTestId('received-file').textContent).toBe('oficina-norte.cabildo');
    const confirm = screen.getByTestId('received-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await fireEvent.click(screen.getByTestId('received-same'));
    expect(confirm.disabled).toBe(false);
    await fireEvent.click(confirm);
    expect(await opened).toBe(true);
    expect(calls.find(([c]) => c === 'db_open_received')?.[1]).toEqual({
      path: RECEIVED,
      adoptAs: { kind: 'same_office' },
    });
    expect(db.status?.path).toBe(COPY.path);
    expect(db.received).toBeNull();
  });

  it('a new office needs a name, and gets it', async () => {
    const calls = shell();
    render(OpenReceivedDialog);
    const opened = db.openFile(RECEIVED);
    await tick();
    await fireEvent.click(screen.getByTestId('received-new'));
    const confirm = screen.getByTestId('received-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('received-name'), { target: { value: '  Oficina de Tonalá ' } });
    await fireEvent.click(confirm);
    expect(await opened).toBe(true);
    expect(calls.find(([c]) => c === 'db_open_received')?.[1]).toEqual({
      path: RECEIVED,
      adoptAs: { kind: 'new_office', name: 'Oficina de Tonalá' },
    });
  });

  it('shows a refusal as a merge shows it, and Close opens nothing', async () => {
    shell(() => {
      throw {
        code: 'record_rules',
        message: 'rules',
        problems: [{ kind: 'city', id: 'c-1', field: 'population_year', rule: 'out_of_range' }],
      };
    });
    render(OpenReceivedDialog);
    const opened = db.openFile(RECEIVED);
    await tick();
    await fireEvent.click(screen.getByTestId('received-same'));
    await fireEvent.click(screen.getByTestId('received-confirm'));
    await tick();
    const error = screen.getByTestId('received-error');
    expect(error.dataset.code).toBe('record_rules');
    expect(error.textContent).toContain('no cumplen las reglas de Cabildo');
    expect(error.textContent).toContain('c-1');
    await fireEvent.click(screen.getByTestId('received-close'));
    expect(await opened).toBe(false);
    expect(db.status).toBeNull();
  });

  it('Cancel while the file is checked stops the check', async () => {
    let reject: (reason: unknown) => void = () => {};
    const calls = shell(() => new Promise((_, r) => (reject = r)));
    render(OpenReceivedDialog);
    const opened = db.openFile(RECEIVED);
    await tick();
    await fireEvent.click(screen.getByTestId('received-same'));
    await fireEvent.click(screen.getByTestId('received-confirm'));
    await tick();
    expect(screen.getByTestId('received-checking')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('received-cancel'));
    expect(calls.map(([c]) => c)).toContain('db_open_received_cancel');
    reject({ code: 'cancelled', message: 'cancelled' });
    expect(await opened).toBe(false);
    expect(db.received).toBeNull();
  });

  it('a file named by --open at start from elsewhere gets the question', async () => {
    mockIPC((cmd) => {
      if (cmd === 'db_status') return { ...COPY, path: null, startup_received: RECEIVED };
      throw { code: 'unknown_command', message: cmd };
    });
    await db.load();
    expect(db.received?.path).toBe(RECEIVED);
  });
});
