import { describe, expect, it } from 'vitest';
import {
  filterRows,
  fold,
  nextSort,
  paginate,
  rangeRows,
  searchIndex,
  searchRows,
  sortRows,
  type Column,
  type Filter,
} from './list';

interface Row {
  id: string;
  name: string;
  amount: number | null;
  category: string;
  on: string;
}

const rows: Row[] = [
  { id: '1', name: 'Región Norte', amount: 500, category: 'travel', on: '2026-03-01' },
  { id: '2', name: 'árbol', amount: null, category: 'dues', on: '2026-01-15' },
  { id: '3', name: 'Zócalo', amount: 20, category: 'travel', on: '2025-12-31' },
  { id: '4', name: 'avenida 10', amount: 1000, category: 'staff_time', on: '2026-02-10' },
  { id: '5', name: 'avenida 9', amount: 20, category: 'dues', on: '2026-02-11' },
];

const columns: Column<Row>[] = [
  { id: 'name', label: 'field.project.name', value: (r) => r.name },
  { id: 'amount', label: 'field.cost_entry.amount_minor', value: (r) => r.amount, align: 'end' },
  { id: 'category', label: 'field.cost_entry.category', value: (r) => r.category },
];

const ids = (list: Row[]) => list.map((r) => r.id);

describe('search', () => {
  it('matches every word, ignoring case and accents', () => {
    const index = searchIndex(rows, columns);
    expect(ids(searchRows(rows, index, 'region'))).toEqual(['1']);
    expect(ids(searchRows(rows, index, 'ARBOL'))).toEqual(['2']);
    expect(ids(searchRows(rows, index, 'avenida travel'))).toEqual([]);
    expect(ids(searchRows(rows, index, 'avenida dues'))).toEqual(['5']);
    expect(ids(searchRows(rows, index, '  '))).toEqual(['1', '2', '3', '4', '5']);
  });

  it('searches the shown text of a column, not only its value', () => {
    const withText: Column<Row>[] = [
      { id: 'category', label: 'field.cost_entry.category', value: (r) => r.category, text: (r) => (r.category === 'travel' ? 'Viajes' : r.category) },
    ];
    const index = searchIndex(rows, withText);
    expect(ids(searchRows(rows, index, 'viajes'))).toEqual(['1', '3']);
  });

  it('folds accents', () => {
    expect(fold('Ñandú Región')).toBe('nandu region');
  });
});

describe('filters', () => {
  const category: Filter<Row> = {
    id: 'category',
    label: 'field.cost_entry.category',
    options: [],
    value: (r) => r.category,
  };

  it('keeps the rows matching every chosen value; an empty choice keeps all', () => {
    expect(ids(filterRows(rows, [category], { category: 'dues' }))).toEqual(['2', '5']);
    expect(filterRows(rows, [category], { category: '' })).toHaveLength(5);
    expect(filterRows(rows, [category], {})).toHaveLength(5);
  });

  it('keeps the rows whose date falls in the range, bounds included', () => {
    const range = { id: 'on', label: 'field.cost_entry.spent_on' as const, value: (r: Row) => r.on };
    expect(ids(rangeRows(rows, range, '2026-01-15', '2026-02-11'))).toEqual(['2', '4', '5']);
    expect(ids(rangeRows(rows, range, '2026-02-01', ''))).toEqual(['1', '4', '5']);
    expect(rangeRows(rows, range, '', '')).toHaveLength(5);
  });

  it('ignores a bound still being typed', () => {
    const range = { id: 'on', label: 'field.cost_entry.spent_on' as const, value: (r: Row) => r.on };
    expect(rangeRows(rows, range, '15/01', '')).toHaveLength(5);
    expect(ids(rangeRows(rows, range, '2026-02-01', '31/02/2026'))).toEqual(['1', '4', '5']);
  });
});

describe('sort', () => {
  it('sorts numbers by value and keeps empty values last in both directions', () => {
    expect(ids(sortRows(rows, columns, { column: 'amount', direction: 'asc' }))).toEqual([
      '3',
      '5',
      '1',
      '4',
      '2',
    ]);
    expect(ids(sortRows(rows, columns, { column: 'amount', direction: 'desc' }))).toEqual([
      '4',
      '1',
      '3',
      '5',
      '2',
    ]);
  });

  it('sorts text by the locale, accents with their letter and numbers by value', () => {
    expect(ids(sortRows(rows, columns, { column: 'name', direction: 'asc' }))).toEqual([
      '2',
      '5',
      '4',
      '1',
      '3',
    ]);
  });

  it('is stable and leaves the input untouched', () => {
    const copy = rows.slice();
    const sorted = sortRows(rows, columns, { column: 'category', direction: 'asc' });
    expect(ids(sorted)).toEqual(['2', '5', '4', '1', '3']);
    expect(rows).toEqual(copy);
  });

  it('cycles ascending, descending on the same column, and restarts on another', () => {
    const first = nextSort(null, 'name');
    expect(first).toEqual({ column: 'name', direction: 'asc' });
    expect(nextSort(first, 'name')).toEqual({ column: 'name', direction: 'desc' });
    expect(nextSort({ column: 'name', direction: 'desc' }, 'amount')).toEqual({
      column: 'amount',
      direction: 'asc',
    });
  });
});

describe('pages', () => {
  it('cuts pages and clamps an out-of-range page', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => i);
    const page = paginate(many, 3, 50);
    expect(page.rows).toHaveLength(50);
    expect(page.rows[0]).toBe(150);
    expect(page).toMatchObject({ page: 3, pages: 200, first: 151, last: 200, total: 10_000 });
    expect(paginate(many, 999, 50).page).toBe(199);
    expect(paginate([], 0, 50)).toMatchObject({ rows: [], pages: 1, first: 0, last: 0 });
  });

  it('searches, filters and sorts 10,000 rows quickly', () => {
    const big: Row[] = Array.from({ length: 10_000 }, (_, i) => ({
      id: String(i),
      name: `Registro ${i}`,
      amount: (i * 7919) % 10_000,
      category: i % 2 ? 'travel' : 'dues',
      on: '2026-01-01',
    }));
    const started = performance.now();
    const index = searchIndex(big, columns);
    const found = searchRows(big, index, 'registro 99');
    const sorted = sortRows(found, columns, { column: 'amount', direction: 'desc' });
    const elapsed = performance.now() - started;
    expect(sorted.length).toBe(big.filter((r) => `${r.name} ${r.amount}`.includes('99')).length);
    expect(sorted.every((r, i) => i === 0 || (sorted[i - 1]?.amount ?? 0) >= (r.amount ?? 0))).toBe(true);
    expect(elapsed).toBeLessThan(1000);
  });
});
