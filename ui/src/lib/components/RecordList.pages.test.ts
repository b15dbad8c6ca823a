// The list in the mode the record screens use: the core answers every page
// (records_page); the list only sends the query the user builds.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { ListQuery } from '$lib/bindings';
import { CorePages } from '$lib/corePages.svelte';
import { db } from '$lib/db.svelte';
import type { DbStatus } from '$lib/api';
import { setLang } from '$lib/i18n';
import { formatNumber } from '$lib/format';
import type { Column, Filter } from '$lib/list';
import RecordList from './RecordList.svelte';

interface Cost {
  id: string;
  spent_on: string;
  category: string;
  amount_minor: number;
  description: string;
}

const columns: Column<Cost>[] = [
  { id: 'spent_on', label: 'field.cost_entry.spent_on', value: (r) => r.spent_on },
  { id: 'category', label: 'field.cost_entry.category', value: (r) => r.category },
  {
    id: 'value',
    label: 'costs.amountOrHours',
    value: (r) => r.amount_minor,
    sortField: 'amount_minor',
  },
  { id: 'computed', label: 'outcomes.value', value: () => 'x', sortField: null },
];
const filters: Filter<Cost>[] = [
  {
    id: 'category',
    label: 'field.cost_entry.category',
    options: [
      { value: 'travel', label: 'Viajes' },
      { value: 'dues', label: 'Cuota' },
    ],
    value: (r) => r.category,
  },
];

let asked: ListQuery[] = [];
const TOTAL = 1_000_000;

beforeEach(() => {
  setLang('es');
  asked = [];
  db.status = { path: '/tmp/c.cabildo', cities: [] } as unknown as DbStatus;
  mockIPC((cmd, args) => {
    if (cmd !== 'records_page') throw { code: 'unknown_command', message: cmd };
    const query = (args as { query: ListQuery }).query;
    asked.push(query);
    const narrowed = query.search !== '' || query.filters.length > 0;
    const total = narrowed ? 1234 : TOTAL;
    const rows = Array.from({ length: Math.min(query.limit, 3) }, (_, i) => ({
      id: `c${query.offset + i}`,
      spent_on: '2026-01-0' + (i + 1),
      category: 'travel',
      amount_minor: 100 * (query.offset + i),
      description: `Fila ${query.offset + i}`,
    }));
    return { rows, total, offset: query.offset, labels: {} };
  });
});

afterEach(() => {
  clearMocks();
  db.status = null;
});

function renderList() {
  const pages = new CorePages('cost_entry', 50, { field: 'spent_on', desc: true }, null);
  render(RecordList<Cost>, {
    props: {
      pages,
      columns,
      filters,
      rowKey: (r: Cost) => r.id,
      rowLabel: (r: Cost) => r.description,
      testid: 'list',
    },
  });
  return pages;
}

const last = () => asked[asked.length - 1]!;

describe('RecordList answered by the core', () => {
  it('shows the page and the total the core gives, and asks for the next page by offset', async () => {
    renderList();
    await waitFor(() => expect(screen.getAllByTestId('list-row')).toHaveLength(3));
    expect(last().sort).toEqual({ field: 'spent_on', desc: true });
    expect(screen.getByTestId('list-count').textContent).toContain(`${formatNumber(1000000)} de ${formatNumber(1000000)}`);
    const firstCell = within(screen.getAllByTestId('list-row')[0]!).getAllByRole('cell')[0]!;
    expect(firstCell.textContent).toBe('2026-01-01');
    await fireEvent.click(screen.getByTestId('list-next'));
    await waitFor(() => expect(last().offset).toBe(50));
    expect(last().limit).toBe(50);
  });

  it('sends a column\'s sort field, toggles its direction, and leaves a computed column unsortable', async () => {
    renderList();
    await waitFor(() => expect(asked.length).toBeGreaterThan(0));
    await fireEvent.click(screen.getByTestId('list-sort-value'));
    await waitFor(() => expect(last().sort).toEqual({ field: 'amount_minor', desc: false }));
    await fireEvent.click(screen.getByTestId('list-sort-value'));
    await waitFor(() => expect(last().sort).toEqual({ field: 'amount_minor', desc: true }));
    expect(screen.queryByTestId('list-sort-computed')).toBeNull();
    const header = screen.getAllByRole('columnheader')[2]!;
    expect(header.getAttribute('aria-sort')).toBe('descending');
  });

  it('sends a filter and the search once typing pauses, back on the first page, and counts "of the whole list"', async () => {
    renderList();
    await waitFor(() => expect(screen.getAllByTestId('list-row')).toHaveLength(3));
    await fireEvent.click(screen.getByTestId('list-next'));
    await waitFor(() => expect(last().offset).toBe(50));
    await fireEvent.change(screen.getByTestId('list-filter-category'), { target: { value: 'dues' } });
    await waitFor(() =>
      expect(asked.some((q) => q.filters.length === 1 && q.filters[0]!.value === 'dues' && q.offset === 0)).toBe(true),
    );
    const before = asked.length;
    await fireEvent.input(screen.getByTestId('list-search'), { target: { value: 'bogo' } });
    await fireEvent.input(screen.getByTestId('list-search'), { target: { value: 'bogota' } });
    // One question for the pause, not one per keystroke.
    await waitFor(() => expect(asked.some((q) => q.search === 'bogota')).toBe(true));
    expect(asked.slice(before).some((q) => q.search === 'bogo')).toBe(false);
    await waitFor(() =>
      expect(screen.getByTestId('list-count').textContent).toContain(`${formatNumber(1234)} de ${formatNumber(1000000)}`),
    );
  });
});
