// The generic list's logic, apart from its component so it can be tested:
// text search, filters, sorting and pages over any rows. None of it computes
// a figure; it only orders and selects what the core returned.

import { parseIsoDate } from './dates';
import type { MessageKey } from './locales/keys';

export type CellValue = string | number | boolean | null | undefined;

export interface Column<R> {
  id: string;
  label: MessageKey;
  /** The value the column sorts by. */
  value: (row: R) => CellValue;
  /** The text shown (and searched); default: the value as text. */
  text?: (row: R) => string;
  /** Numbers and money align to the end. */
  align?: 'start' | 'end';
  /** Long texts: shown on at most two lines (the whole text in a tooltip). */
  clamp?: boolean;
  /**
   * The field the core sorts this column by, when the core answers the list
   * (default: the column's id when it is a field of the kind); null: not sortable.
   */
  sortField?: string | null;
}

export interface FilterOption {
  value: string;
  label: string;
}

export interface Filter<R> {
  id: string;
  label: MessageKey;
  options: FilterOption[];
  /** The value(s) of a row this filter matches against. */
  value: (row: R) => string | null | undefined;
}

export interface RangeFilter<R> {
  id: string;
  label: MessageKey;
  /** An ISO date of the row ("YYYY-MM-DD"), compared as text. */
  value: (row: R) => string | null | undefined;
}

export type SortDirection = 'asc' | 'desc';

export interface SortState {
  column: string;
  direction: SortDirection;
}

/** Lower case, without accents: "Región" matches "region". */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export function cellText<R>(column: Column<R>, row: R): string {
  if (column.text) return column.text(row);
  const value = column.value(row);
  return value === null || value === undefined ? '' : String(value);
}

/** One folded text per row, built once per set of rows (not per keystroke). */
export function searchIndex<R>(rows: readonly R[], columns: readonly Column<R>[]): string[] {
  return rows.map((row) => fold(columns.map((c) => cellText(c, row)).join('\u0001')));
}

/** The rows whose text contains every word of the query. */
export function searchRows<R>(
  rows: readonly R[],
  index: readonly string[],
  query: string,
): R[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return rows.slice();
  const out: R[] = [];
  rows.forEach((row, i) => {
    const text = index[i] ?? '';
    if (words.every((w) => text.includes(w))) out.push(row);
  });
  return out;
}

/** The rows every chosen filter value matches (an empty choice matches all). */
export function filterRows<R>(
  rows: readonly R[],
  filters: readonly Filter<R>[],
  chosen: Readonly<Record<string, string>>,
): R[] {
  const active = filters.filter((f) => chosen[f.id]);
  if (active.length === 0) return rows.slice();
  return rows.filter((row) => active.every((f) => (f.value(row) ?? '') === chosen[f.id]));
}

/**
 * The rows whose date falls in [from, to]. Either bound may be empty; a bound
 * that is not yet a date (being typed) filters nothing.
 */
export function rangeRows<R>(
  rows: readonly R[],
  range: RangeFilter<R> | undefined,
  typedFrom: string,
  typedTo: string,
): R[] {
  const from = parseIsoDate(typedFrom) ? typedFrom : '';
  const to = parseIsoDate(typedTo) ? typedTo : '';
  if (!range || (!from && !to)) return rows.slice();
  return rows.filter((row) => {
    const on = range.value(row);
    if (!on) return false;
    return (!from || on >= from) && (!to || on <= to);
  });
}

function compareValues(a: CellValue, b: CellValue, collator: Intl.Collator): number {
  const aEmpty = a === null || a === undefined || a === '';
  const bEmpty = b === null || b === undefined || b === '';
  if (aEmpty || bEmpty) return aEmpty === bEmpty ? 0 : aEmpty ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return collator.compare(String(a), String(b));
}

/**
 * Sorted by one column (stable; empty values last in both directions).
 * Text sorts by the locale's rules, numbers by value.
 */
export function sortRows<R>(
  rows: readonly R[],
  columns: readonly Column<R>[],
  sort: SortState | null,
  locale = 'es-MX',
): R[] {
  const column = sort && columns.find((c) => c.id === sort.column);
  if (!sort || !column) return rows.slice();
  const collator = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' });
  const sign = sort.direction === 'asc' ? 1 : -1;
  const keyed = rows.map((row, i) => ({ row, i, v: column.value(row) }));
  keyed.sort((x, y) => {
    const xEmpty = x.v === null || x.v === undefined || x.v === '';
    const yEmpty = y.v === null || y.v === undefined || y.v === '';
    if (xEmpty || yEmpty) {
      if (xEmpty !== yEmpty) return xEmpty ? 1 : -1;
      return x.i - y.i;
    }
    return sign * compareValues(x.v, y.v, collator) || x.i - y.i;
  });
  return keyed.map((k) => k.row);
}

/** The next sort after a click on a column header: asc, then desc, then asc… */
export function nextSort(current: SortState | null, column: string): SortState {
  if (current?.column === column) {
    return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  }
  return { column, direction: 'asc' };
}

export interface Page<R> {
  rows: R[];
  page: number;
  pages: number;
  first: number;
  last: number;
  total: number;
}

/** One page of rows (pages count from 0; an out-of-range page is clamped). */
export function paginate<R>(rows: readonly R[], page: number, size: number): Page<R> {
  const total = rows.length;
  const pages = Math.max(1, Math.ceil(total / size));
  const p = Math.min(Math.max(0, page), pages - 1);
  const start = p * size;
  const slice = rows.slice(start, start + size);
  return {
    rows: slice,
    page: p,
    pages,
    first: total === 0 ? 0 : start + 1,
    last: start + slice.length,
    total,
  };
}
