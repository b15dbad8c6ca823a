import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import type { InvokeArgs } from '@tauri-apps/api/core';
import type { DbStatus } from './api';
import { db } from './db.svelte';
import { followIncoming, incoming, INCOMING_FILES_EVENT, OPEN_DATABASE_EVENT } from './incoming.svelte';
import { share } from './share.svelte';

const OPEN: DbStatus = { path: '/data/office.cabildo', office: null, cities: [], recent: [], startup_error: null, startup_received: null };
const PLAN = { source: { file: '/in/a.cabildo' }, kinds: [], totals: {}, changes: 0, conflicts: [], already_merged_at: null };

/** A shell with a queue of received files; records every call. */
function shell(queue: string[]) {
  const calls: [string, InvokeArgs | undefined][] = [];
  mockIPC(
    (cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === 'incoming_list') return [...queue];
      if (cmd === 'incoming_take') {
        const wanted = (args as { path?: string } | undefined)?.path;
        const at = wanted ? queue.indexOf(wanted) : 0;
        return at >= 0 && at < queue.length ? queue.splice(at, 1)[0] : null;
      }
      if (cmd === 'incoming_add') {
        queue.push(...(args as { paths: string[] }).paths);
        return [...queue];
      }
      if (cmd === 'merge_plan') return PLAN;
      if (cmd === 'db_open') return OPEN;
      return null;
    },
    { shouldMockEvents: true },
  );
  return calls;
}

const tick = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  db.status = null;
  db.error = null;
  share.close();
  incoming.waiting = [];
});

afterEach(() => {
  clearMocks();
});

describe('received files opened with the app', () => {
  it('wait while no database is open', async () => {
    const calls = shell(['/in/a.cabildo']);
    await incoming.refresh();
    await incoming.next();
    expect(incoming.waiting).toEqual(['/in/a.cabildo']);
    expect(calls.map(([c]) => c)).toEqual(['incoming_list']);
    expect(share.dialog).toBeNull();
  });

  it('start the merge preview of the first file once a database is open', async () => {
    const calls = shell(['/in/a.cabildo', '/in/b.cabildo']);
    db.status = OPEN;
    await incoming.next();
    expect(calls.find(([c]) => c === 'merge_plan')?.[1]).toEqual({ path: '/in/a.cabildo' });
    expect(share.dialog?.kind).toBe('plan');
    expect(incoming.waiting).toEqual(['/in/b.cabildo']);
    // While the preview shows, the next file waits its turn.
    await incoming.next();
    expect(calls.filter(([c]) => c === 'merge_plan')).toHaveLength(1);
    share.close();
    await incoming.next();
    expect(calls.filter(([c]) => c === 'merge_plan').at(-1)?.[1]).toEqual({ path: '/in/b.cabildo' });
  });

  it('can make a received file the database on a first start', async () => {
    const calls = shell(['/in/a.cabildo', '/in/b.cabildo']);
    await incoming.useAsDatabase('/in/b.cabildo');
    expect(calls.find(([c]) => c === 'incoming_take')?.[1]).toEqual({ path: '/in/b.cabildo' });
    expect(calls.find(([c]) => c === 'db_open')?.[1]).toEqual({ path: '/in/b.cabildo' });
    expect(incoming.waiting).toEqual(['/in/a.cabildo']);
    expect(db.status?.path).toBe(OPEN.path);
  });

  it('follow the files a second launch hands over', async () => {
    const queue: string[] = [];
    const calls = shell(queue);
    db.status = OPEN;
    await followIncoming();
    expect(incoming.waiting).toEqual([]);
    queue.push('/in/late.cabildo');
    await emit(INCOMING_FILES_EVENT);
    for (let i = 0; i < 5 && !share.dialog; i++) await tick();
    expect(calls.find(([c]) => c === 'merge_plan')?.[1]).toEqual({ path: '/in/late.cabildo' });
    expect(share.dialog?.kind).toBe('plan');
  });

  it('queue files dropped on the window after those waiting', async () => {
    const calls = shell(['/in/a.cabildo']);
    await incoming.add([]);
    expect(calls).toHaveLength(0);
    await incoming.add(['/drop/x.cabildo', '/drop/y.cabildo']);
    expect(incoming.waiting).toEqual(['/in/a.cabildo', '/drop/x.cabildo', '/drop/y.cabildo']);
  });

  it('open the database a second launch names with --open', async () => {
    const calls = shell([]);
    await followIncoming();
    await emit(OPEN_DATABASE_EVENT, '/data/other.cabildo');
    for (let i = 0; i < 5 && !calls.some(([c]) => c === 'db_open'); i++) await tick();
    expect(calls.find(([c]) => c === 'db_open')?.[1]).toEqual({ path: '/data/other.cabildo' });
  });

  it('refuse a dropped copy of the open database with its message, queueing the others', async () => {
    const queue: string[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'incoming_add') {
        queue.push('/drop/x.cabildo');
        throw { code: 'merge_into_itself', message: (args as { paths: string[] }).paths[0] };
      }
      if (cmd === 'incoming_list') return [...queue];
      return null;
    });
    await incoming.add(['/data/office.cabildo', '/drop/x.cabildo']);
    expect(incoming.waiting).toEqual(['/drop/x.cabildo']);
    expect(share.dialog?.kind).toBe('error');
  });

  it('put a file back on the list when it does not open as the database', async () => {
    const queue = ['/in/broken.cabildo'];
    mockIPC((cmd, args) => {
      if (cmd === 'incoming_take') return queue.shift() ?? null;
      if (cmd === 'db_open') throw { code: 'not_cabildo', message: 'no' };
      if (cmd === 'incoming_add') return queue.push(...(args as { paths: string[] }).paths) && [...queue];
      if (cmd === 'incoming_list') return [...queue];
      return null;
    });
    await incoming.useAsDatabase('/in/broken.cabildo');
    expect(incoming.waiting).toEqual(['/in/broken.cabildo']);
    expect(db.error?.code).toBe('not_cabildo');
  });
});

