import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import RecordList from './RecordList.svelte';
import type { Column, Filter } from '$lib/list';
import { setLang } from '$lib/i18n';
import { formatNumber } from '$lib/format';

interface Row {
  id: string;
  name: string;
  amount: number;
  kind: string;
}

const rows: Row[] = Array.from({ length: 10_000 }, (_, i) => ({
  id: `r${i}`,
  name: i === 4321 ? '<img src=x onerror=alert(1)>' : `Registro ${String(i).padStart(5, '0')}`,
  amount: (i * 37) % 1000,
  kind: i % 3 === 0 ? 'a' : 'b',
}));

const columns: Column<Row>[] = [
  { id: 'name', label: 'field.project.name', value: (r) => r.name },
  { id: 'amount', label: 'field.cost_entry.amount_minor', value: (r) => r.amount, align: 'end' },
];
const filters: Filter<Row>[] = [
  {
    id: 'kind',
    label: 'field.outcome.kind',
    options: [
      { value: 'a', label: 'A' },
      { value: 'b', label: 'B' },
    ],
    value: (r) => r.kind,
  },
];

function renderList() {
  setLang('es');
  return render(RecordList<Row>, {
    props: {
      rows,
      columns,
      filters,
      rowKey: (r: Row) => r.id,
      rowLabel: (r: Row) => r.name,
      testid: 'list',
      pageSize: 50,
    },
  });
}

const names = () =>
  screen.getAllByTestId('list-row').map((tr) => within(tr).getAllByRole('cell')[0]?.textContent);

describe('RecordList', () => {
  it('puts one page of 10,000 rows in the page, and pages through them', async () => {
    renderList();
    expect(screen.getAllByTestId('list-row')).toHaveLength(50);
    expect(screen.getByTestId('list-count').textContent).toContain(`${formatNumber(10000)} de ${formatNumber(10000)}`);
    await fireEvent.click(screen.getByTestId('list-next'));
    expect(names()[0]).toBe('Registro 00050');
  });

  it('sorts by a column, ascending then descending, and says so', async () => {
    renderList();
    const button = screen.getByTestId('list-sort-amount');
    await fireEvent.click(button);
    expect(button.closest('th')?.getAttribute('aria-sort')).toBe('ascending');
    const amounts = () =>
      screen.getAllByTestId('list-row').map((tr) => Number(within(tr).getAllByRole('cell')[1]?.textContent));
    expect(amounts()[0]).toBe(0);
    await fireEvent.click(button);
    expect(button.closest('th')?.getAttribute('aria-sort')).toBe('descending');
    expect(amounts()[0]).toBe(999);
  });

  it('searches and filters, and counts what it shows', async () => {
    renderList();
    await fireEvent.input(screen.getByTestId('list-search'), { target: { value: 'registro 0999' } });
    expect(names()).toHaveLength(11); // 00999 and 09990–09999
    await fireEvent.change(screen.getByTestId('list-filter-kind'), { target: { value: 'a' } });
    expect(screen.getByTestId('list-count').textContent).toContain(`${formatNumber(5)} de ${formatNumber(10000)}`);
    await fireEvent.input(screen.getByTestId('list-search'), { target: { value: 'nada parecido' } });
    expect(screen.getByText('Ningún registro coincide con la búsqueda o los filtros.')).toBeTruthy();
  });

  it('shows markup in the data as text', async () => {
    const { container } = renderList();
    await fireEvent.input(screen.getByTestId('list-search'), { target: { value: 'onerror' } });
    expect(names()).toEqual(['<img src=x onerror=alert(1)>']);
    expect(container.querySelector('img')).toBeNull();
  });
});
