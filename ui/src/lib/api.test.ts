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
    await expect(call('echo', { id: 'x', count: 2 })).resolves.toEqual({ id: 'x', count: 2 });
  });

  it('turns a rejected {code, message} into an AppError with that code', async () => {
    mockIPC(() => {
      throw { code: 'not_found', message: 'no such membership' };
    });
    const error = await call('get_membership', { id: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('not_found');
    expect((error as AppError).message).toBe('no such membership');
  });

  it('turns a plain string rejection (from Tauri itself) into an ipc AppError', async () => {
    mockIPC(() => {
      throw 'command not_found not allowed';
    });
    const error = await call('not_found').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('ipc');
  });
});

describe('toAppError', () => {
  it('keeps an AppError as it is and wraps other errors', () => {
    const original = new AppError('io', 'disk full');
    expect(toAppError(original)).toBe(original);
    expect(toAppError(new Error('boom'))).toMatchObject({ code: 'ipc', message: 'boom' });
  });
});
