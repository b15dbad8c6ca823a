import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { cache, db } from './db.svelte';

type Row = { id: string; name: string; acronym: string; deleted: boolean };

let lists = 0;
let stored: Row[] = [];

beforeEach(() => {
  lists = 0;
  stored = [
    { id: 'n1', name: 'Red uno', acronym: 'R1', deleted: false },
    { id: 'n2', name: 'Red dos', acronym: 'R2', deleted: false },
  ];
  mockIPC((cmd, args) => {
    const a = args as { kind?: string; id?: string };
    if (cmd === 'records_list') {
      lists += 1;
      return stored.filter((r) => !r.deleted);
    }
    if (cmd === 'record_get') return stored.find((r) => r.id === a.id) ?? null;
    if (cmd === 'db_status') return db.status;
    return null;
  });
  db.apply({ path: '/tmp/x.cabildo', office: null, cities: [], recent: [], startup_error: null, startup_received: null }, true);
});

afterEach(() => clearMocks());

const until = async (check: () => boolean) => {
  for (let i = 0; i < 50 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

describe('change events', () => {
  it('put a few changed records in place without listing the kind again', async () => {
    cache.ensure('network');
    await until(() => cache.loaded('network'));
    expect(lists).toBe(1);
    stored = [
      { id: 'n1', name: 'Red uno renombrada', acronym: 'R1', deleted: false },
      { id: 'n2', name: 'Red dos', acronym: 'R2', deleted: true },
    ];
    stored.push({ id: 'n3', name: 'Red tres', acronym: 'R3', deleted: false });
    db.changed([{ kind: 'network', ids: ['n1', 'n2', 'n3'] }]);
    await until(() => cache.rows('network').length === 2 && cache.rows('network')[1]?.id === 'n3');
    expect(cache.rows('network').map((r) => r.name)).toEqual(['Red uno renombrada', 'Red tres']);
    cache.ensure('network');
    expect(lists).toBe(1);
  });

  it('list a kind again when it changed wholesale (a merge)', async () => {
    cache.ensure('network');
    await until(() => cache.loaded('network'));
    const before = lists;
    db.changed([{ kind: 'network', ids: [] }]);
    cache.ensure('network');
    await until(() => lists === before + 1);
  });
});
