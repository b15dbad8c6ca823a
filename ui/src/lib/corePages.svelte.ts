// A list whose pages the core answers (src/store/page.rs): the UI holds the
// query and one page, never the whole kind. The list component sets the
// query; this asks the core again when the query, the file, the city or the
// kind's records change, and drops answers to questions no longer asked.

import { recordsDistinct, recordsPage, toAppError, type AppError } from './api';
import { KINDS, type ListFilter, type ListPage, type ListRange, type ListSort, type RecordKind } from './bindings';
import { parseIsoDate } from './dates';
import { db } from './db.svelte';
import { language } from './lang.svelte';
import { UNSCOPED_KINDS } from './records';

/**
 * Labels of the records the loaded pages refer to (labels.ts names references
 * by them). Not reactive: a page's labels are in before its rows are shown.
 */
// eslint-disable-next-line svelte/prefer-svelte-reactivity
export const pageLabels = new Map<string, string>();
/** Past this many, the oldest labels are forgotten. */
const MAX_LABELS = 20_000;

function remember(labels: Record<string, string>): void {
  for (const [id, label] of Object.entries(labels)) pageLabels.set(id, label);
  if (pageLabels.size > MAX_LABELS) {
    const extra = pageLabels.size - MAX_LABELS;
    let i = 0;
    for (const key of pageLabels.keys()) {
      if (i++ >= extra) break;
      pageLabels.delete(key);
    }
  }
}

/** Typing waits this long before the core is asked. */
const SEARCH_DELAY_MS = 200;

export class CorePages {
  readonly kind: RecordKind;
  search = $state('');
  /** Filter id (a field of the kind, or network_id) → chosen value ('' is all). */
  chosen = $state<Record<string, string>>({});
  rangeField: string | null = null;
  from = $state('');
  to = $state('');
  sort = $state<ListSort | null>(null);
  page = $state(0);
  pageSize: number;

  /** The page shown (kept while the next one loads, so the table does not flash). */
  current = $state.raw<ListPage | null>(null);
  /** How many records the list holds with nothing searched or filtered. */
  unfiltered = $state(0);
  loading = $state(true);
  error = $state.raw<AppError | null>(null);

  private asked = 0;
  private typed = $state('');
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(kind: RecordKind, pageSize: number, sort: ListSort | null, rangeField: string | null) {
    this.kind = kind;
    this.pageSize = pageSize;
    this.sort = sort;
    this.rangeField = rangeField;
  }

  /** The search as typed: the core is asked once typing pauses. */
  setSearch(text: string): void {
    this.typed = text;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.search = this.typed;
      this.page = 0;
    }, SEARCH_DELAY_MS);
  }

  get typedSearch(): string {
    return this.typed;
  }

  /** Pages count from 0. */
  get pages(): number {
    return Math.max(1, Math.ceil((this.current?.total ?? 0) / this.pageSize));
  }

  get shownPage(): number {
    return this.current ? Math.floor(this.current.offset / this.pageSize) : 0;
  }

  /** The question the current state asks; reading it subscribes an $effect to all it depends on. */
  query() {
    const filters: ListFilter[] = Object.entries(this.chosen)
      .filter(([, value]) => value)
      .map(([field, value]) => ({ field, value }));
    // A bound still being typed filters nothing.
    const from = parseIsoDate(this.from) ? this.from : null;
    const to = parseIsoDate(this.to) ? this.to : null;
    const range: ListRange | null =
      this.rangeField && (from || to) ? { field: this.rangeField, from, to } : null;
    return {
      kind: this.kind,
      city_id: UNSCOPED_KINDS.includes(this.kind) ? null : db.cityId,
      search: this.search,
      filters,
      range,
      sort: this.sort,
      offset: this.page * this.pageSize,
      limit: this.pageSize,
      lang: language.current,
    };
  }

  /** The field the core sorts a column by: the column's own field, or the one it names; null: not sortable. */
  sortField(column: { id: string; sortField?: string | null }): string | null {
    if (column.sortField !== undefined) return column.sortField;
    const fields = KINDS[this.kind].fields as readonly { name: string }[];
    return fields.some((f) => f.name === column.id) ? column.id : null;
  }

  /** Asks the core for the page the state describes; call from an $effect. */
  load(): void {
    if (!db.isOpen) return;
    // Asked again when the file, or this kind's records, change.
    void db.generation;
    void db.anyChange;
    const query = this.query();
    const serial = ++this.asked;
    this.loading = true;
    recordsPage(query).then(
      (page) => {
        if (serial !== this.asked) return;
        remember(page.labels);
        this.current = page;
        this.error = null;
        this.loading = false;
        const narrowed = query.search.trim() !== '' || query.filters.length > 0 || query.range;
        if (!narrowed) {
          this.unfiltered = page.total;
        } else {
          // The whole list's count, for "12 of 1,000": the core keeps it counted.
          const whole = { ...query, search: '', filters: [], range: null, offset: 0, limit: 1 };
          void recordsPage(whole).then(
            (all) => {
              if (serial === this.asked) this.unfiltered = all.total;
            },
            () => undefined,
          );
        }
      },
      (reason: unknown) => {
        if (serial !== this.asked) return;
        this.error = toAppError(reason);
        this.loading = false;
      },
    );
  }
}

/**
 * The values a text field holds among a kind's records (a filter's choices:
 * the metrics' names, the rates' currencies), asked of the core and kept
 * until the records change.
 */
class DistinctValues {
  private values = $state.raw<Record<string, string[]>>({});
  private asked = new Set<string>();

  of(kind: RecordKind, field: string): string[] {
    const name = `${kind}.${field}`;
    const cityId = UNSCOPED_KINDS.includes(kind) ? null : db.cityId;
    const key = `${db.generation}|${db.anyChange}|${cityId ?? '*'}|${name}`;
    if (db.isOpen && !this.asked.has(key)) {
      this.asked.add(key);
      recordsDistinct(kind, field, cityId).then(
        (values) => (this.values = { ...this.values, [name]: values }),
        () => undefined,
      );
    }
    return this.values[name] ?? [];
  }
}

export const distinctValues = new DistinctValues();
