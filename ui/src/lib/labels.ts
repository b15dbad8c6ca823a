// How records and enum values are named for people, in the current language.
// Reads the loaded records (db.svelte.ts cache) to name references.

import { KINDS, type RecordKind } from './bindings';
import { pageLabels } from './corePages.svelte';
import { cache } from './db.svelte';
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

type LabelPart =
  | { field: string; text?: undefined; either?: undefined; via?: undefined }
  | { text: string; field?: undefined; either?: undefined; via?: undefined }
  | { either: readonly [string, string]; field?: undefined; text?: undefined; via?: undefined }
  | { via: string; field: string; text?: undefined; either?: undefined };

/** A field's value as a label shows it: dates and numbers the office's way. */
function partText(kind: RecordKind, r: AnyRecord, name: string): string {
  const value = r[name];
  if (value === null || value === undefined) return '';
  const field = (KINDS[kind].fields as readonly { name: string; type: string }[]).find(
    (f) => f.name === name,
  );
  switch (field?.type) {
    case 'date':
      return safeDate(value as string);
    case 'decimal':
      return typeof value === 'number'
        ? formatNumber(value, undefined, { maximumFractionDigits: 6 })
        : String(value);
    case 'percent_bp':
      return typeof value === 'number' ? `${formatNumber(value / 100)} %` : '';
    default:
      return String(value);
  }
}

/**
 * A name for a record of any kind (references, confirmations, the trash), by
 * the core's label rule for the kind (KINDS[kind].label, src/kinds.rs).
 */
export function recordLabel(kind: RecordKind, record: unknown): string {
  if (!record || typeof record !== 'object') return '';
  const r = record as AnyRecord;
  const fields = KINDS[kind].fields as readonly { name: string; ref?: string }[];
  const parts = KINDS[kind].label as readonly LabelPart[];
  return parts
    .map((part) => {
      if (part.text !== undefined) return part.text;
      if (part.either) {
        const [a, b] = part.either;
        return partText(kind, r, a) || partText(kind, r, b);
      }
      if (part.via !== undefined) {
        const target = fields.find((f) => f.name === part.via)?.ref as RecordKind | undefined;
        const other = target ? byId(target, r[part.via]) : undefined;
        return other && target ? partText(target, other as unknown as AnyRecord, part.field) : '…';
      }
      return partText(kind, r, part.field);
    })
    .join('')
    .trim();
}

/**
 * The name of the record an id refers to ("" when none, "…" while loading).
 * Short names (lists) name a network by its acronym alone.
 */
export function refLabel(kind: RecordKind, id: unknown, short = false): string {
  if (typeof id !== 'string' || !id) return '';
  const record = byId(kind, id);
  // A record the UI has not loaded is named by the core with the page that shows it.
  if (!record) return pageLabels.get(id) ?? '…';
  if (short && kind === 'network') return (record as RecordTypes['network']).acronym;
  return recordLabel(kind, record);
}

/** Options of a reference field: every loaded record of the kind, by name. */
export function refOptions(kind: RecordKind): { value: string; label: string }[] {
  return (cache.rows(kind) as unknown as AnyRecord[])
    .map((r) => ({ value: r.id, label: recordLabel(kind, r) }))
    .sort((a, b) => a.label.localeCompare(b.label));
}
