// How records and enum values are named for people, in the current language.
// Reads the loaded records (db.svelte.ts cache) to name references.

import type { RecordKind } from './bindings';
import { cache, db } from './db.svelte';
import { formatDate, formatNumber } from './format';
import { t, type MessageKey } from './i18n';
import type { AnyRecord, EnumName, RecordTypes } from './records';

/** "concessional_loan" of `instrument` → "Préstamo concesional". */
export function enumLabel(name: EnumName, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  return t(`enum.${name}.${value}` as MessageKey);
}

export function kindLabel(kind: RecordKind): string {
  return enumLabel('record_kind', kind);
}

function byId<K extends RecordKind>(kind: K, id: unknown): RecordTypes[K] | undefined {
  if (typeof id !== 'string' || !id) return undefined;
  return (cache.rows(kind) as unknown as AnyRecord[]).find((r) => r.id === id) as
    | RecordTypes[K]
    | undefined;
}

function safeDate(iso: string | null | undefined): string {
  if (!iso) return '';
  try {
    return formatDate(iso, undefined, 'short');
  } catch {
    return iso;
  }
}

/** A name for a record of any kind (references, confirmations, the trash). */
export function recordLabel(kind: RecordKind, record: unknown): string {
  if (!record || typeof record !== 'object') return '';
  const r = record as AnyRecord;
  switch (kind) {
    case 'city':
      return String(r.name ?? '');
    case 'network':
      return `${String(r.acronym ?? '')} — ${String(r.name ?? '')}`;
    case 'membership': {
      const network = byId('network', r.network_id);
      const city = byId('city', r.city_id);
      const acronym = network?.acronym ?? '…';
      const several = (db.status?.cities.length ?? 0) > 1;
      return several && city ? `${acronym} · ${city.name}` : acronym;
    }
    case 'thesis':
      return String(r.statement ?? '');
    case 'meeting':
      return `${safeDate(r.start_on as string)} ${String(r.title ?? '')}`.trim();
    case 'cost_entry':
      return `${safeDate(r.spent_on as string)} ${enumLabel('cost_category', r.category as string)}`;
    case 'role_rate':
      return String(r.role ?? '');
    case 'exchange_rate':
      return `1 ${String(r.currency ?? '')} = ${typeof r.rate === 'number' ? formatNumber(r.rate, undefined, { maximumFractionDigits: 6 }) : ''} ${String(r.quote_currency ?? '')} · ${safeDate(r.on_date as string)}`;
    case 'project':
      return String(r.name ?? '');
    case 'outcome':
      return String(r.description ?? '');
    case 'attribution':
      return refLabel('outcome', r.outcome_id);
    case 'metric':
      return `${String(r.name ?? '')} ${String(r.year ?? '')}`;
  }
}

/**
 * The name of the record an id refers to ("" when none, "…" while loading).
 * Short names (lists) name a network by its acronym alone.
 */
export function refLabel(kind: RecordKind, id: unknown, short = false): string {
  if (typeof id !== 'string' || !id) return '';
  const record = byId(kind, id);
  if (!record) return '…';
  if (short && kind === 'network') return (record as RecordTypes['network']).acronym;
  return recordLabel(kind, record);
}

/** Options of a reference field: every loaded record of the kind, by name. */
export function refOptions(kind: RecordKind): { value: string; label: string }[] {
  return (cache.rows(kind) as unknown as AnyRecord[])
    .map((r) => ({ value: r.id, label: recordLabel(kind, r) }))
    .sort((a, b) => a.label.localeCompare(b.label));
}
