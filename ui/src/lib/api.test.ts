import { afterEach, describe, expect, it } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { AppError, appInfo, call, toAppError } from './api';

afterEach(() => {
  clearMocks();
});

describe('call', () => {
  it('resolves to the command result', async () => {
    mockIPC((cmd) => (cmd === 'app_info' ? { version: '0.1.0', data_dir: '/data' } : null));
    await expect(appInfo()).resolves.toEqual({ version: '0.1.0', data_dir: '/data' });
  });

  it('passes the arguments through', async () => {
    mockIPC((_cmd, args) => args);
    await expect(call('record_get', { kind: 'city', id: 'x' })).resolves.toEqual({ kind: 'city', id: 'x' });
  });

  it('turns a rejected {code, message} into an AppError with that code', async () => {
    mockIPC(() => {
      throw { code: 'not_found', message: 'no such membership' };
    });
    const error = await call('record_get', { kind: 'membership', id: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('not_found');
    expect((error as AppError).message).toBe('no such membership');
  });

  it('turns a plain string rejection (from Tauri itself) into an ipc AppError', async () => {
    mockIPC(() => {
      throw 'command not_found not allowed';
    });
    const error = await call('app_info').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('ipc');
  });
});

describe('the typed client', () => {
  // Never run: svelte-check type-checks it. Each line below must be an error;
  // were `call` to accept any name or arguments, the unused @ts-expect-error
  // would fail the check instead (src-tauri/tests/contract.rs relies on it).
  const refusedByTheTypeChecker = () => {
    // @ts-expect-error: no such command
    void call('no_such_command');
    // @ts-expect-error: db_open takes `path`, not `file`
    void call('db_open', { file: '/x.cabildo' });
    // @ts-expect-error: db_open needs its path
    void call('db_open');
    // @ts-expect-error: app_info takes no arguments
    void call('app_info', { path: '/x' });
    // @ts-expect-error: the result is the command's own (a DbStatus has no `version`)
    void call('db_status').then((status) => status.version);
  };

  it('is checked at compile time, not called here', () => {
    expect(refusedByTheTypeChecker).toBeTypeOf('function');
  });
});

describe('toAppError', () => {
  it('keeps an AppError as it is and wraps other errors', () => {
    const original = new AppError('io', 'disk full');
    expect(toAppError(original)).toBe(original);
    expect(toAppError(new Error('boom'))).toMatchObject({ code: 'ipc', message: 'boom' });
  });
});
