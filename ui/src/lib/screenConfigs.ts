// The record screens as configurations of the generic list and form: which
// fields a kind's form has (type, options, required), which columns and
// filters its list has. Adding a kind to the UI is one entry here.

import { addMonths, todayIso } from './dates';
import type { CostEntry, Meeting, Membership, Outcome, RecordKind } from './bindings';
import { cache, db } from './db.svelte';
import { formatDate, formatHours, formatMoney, formatNumber } from './format';
import type { FieldDef, FormValues } from './forms';
import { t, type MessageKey } from './i18n';
import { enumLabel, refLabel, refOptions } from './labels';
import type { CellValue, Column, Filter, RangeFilter, SortState } from './list';
import { ENUMS, TIME_CATEGORIES, type AnyRecord, type EnumName, type RecordTypes } from './records';

export interface RecordScreenConfig<K extends RecordKind> {
  kind: K;
  fields: readonly FieldDef[];
  columns: readonly Column<RecordTypes[K]>[];
  /** A function: options follow the language and the loaded records. */
  filters?: () => Filter<RecordTypes[K]>[];
  range?: RangeFilter<RecordTypes[K]>;
  /** Values of a new record. */
  defaults?: () => Record<string, unknown>;
  /** Other kinds whose records the columns name. */
  needs?: readonly RecordKind[];
  initialSort?: SortState;
  /** New records take the selected city. */
  cityScoped?: boolean;
  newLabel?: MessageKey;
  /** Rows per page (default 50). */
  pageSize?: number;
}

// ---- values shared by several kinds ------------------------------------------------

function officeCurrency(): string {
  return db.status?.office?.reporting_currency ?? 'MXN';
}

// ---- columns -------------------------------------------------------------------------

type Row = AnyRecord;

function field<R>(row: R, name: string): unknown {
  return (row as unknown as Row)[name];
}

function safeDate(value: unknown): string {
  if (typeof value !== 'string' || !value) return '';
  try {
    return formatDate(value, undefined, 'medium');
  } catch {
    return value;
  }
}

function textCol<R>(id: string, label?: MessageKey, clamp = false): Column<R> {
  return {
    id,
    label: label ?? (`field.${id}` as MessageKey),
    value: (r) => (field(r, id) as CellValue) ?? null,
    clamp,
  };
}

function enumCol<R>(id: string, name: EnumName, label?: MessageKey): Column<R> {
  return {
    id,
    label: label ?? (`field.${id}` as MessageKey),
    value: (r) => enumLabel(name, field(r, id) as string),
  };
}

function dateCol<R>(id: string, label?: MessageKey): Column<R> {
  return {
    id,
    label: label ?? (`field.${id}` as MessageKey),
    value: (r) => (field(r, id) as string | null) ?? null,
    text: (r) => safeDate(field(r, id)),
  };
}

function moneyCol<R>(id: string, currencyField: string, label?: MessageKey): Column<R> {
  return {
    id,
    label: label ?? (`field.${id}` as MessageKey),
    align: 'end',
    value: (r) => (field(r, id) as number | null) ?? null,
    text: (r) => {
      const minor = field(r, id);
      const currency = field(r, currencyField);
      if (typeof minor !== 'number' || typeof currency !== 'string') return '';
      try {
        return formatMoney(minor, currency);
      } catch {
        return `${minor} ${currency}`;
      }
    },
  };
}

/** A year: sorts as a number, shown without grouping ("2025", not "2,025"). */
function yearCol<R>(id: string): Column<R> {
  return {
    id,
    label: `field.${id}` as MessageKey,
    value: (r) => (field(r, id) as number | null) ?? null,
  };
}

function numberCol<R>(id: string, label?: MessageKey, maxDecimals = 2): Column<R> {
  return {
    id,
    label: label ?? (`field.${id}` as MessageKey),
    align: 'end',
    value: (r) => (field(r, id) as number | null) ?? null,
    text: (r) => {
      const v = field(r, id);
      return typeof v === 'number' ? formatNumber(v, undefined, { maximumFractionDigits: maxDecimals }) : '';
    },
  };
}

function refCol<R>(id: string, kind: RecordKind, label?: MessageKey, empty?: MessageKey): Column<R> {
  return {
    id,
    label: label ?? (`field.${id}` as MessageKey),
    value: (r) => {
      const ref = field(r, id);
      if (!ref && empty) return t(empty);
      return refLabel(kind, ref, true);
    },
  };
}

function boolCol<R>(id: string): Column<R> {
  return {
    id,
    label: `field.${id}` as MessageKey,
    value: (r) => (field(r, id) ? t('common.yes') : t('common.no')),
  };
}

// ---- filters -------------------------------------------------------------------------

function enumFilter<R>(id: string, name: EnumName, label?: MessageKey): Filter<R> {
  return {
    id,
    label: label ?? (`field.${id}` as MessageKey),
    options: ENUMS[name].map((value) => ({ value, label: enumLabel(name, value) })),
    value: (r) => field(r, id) as string | null,
  };
}

function refFilter<R>(id: string, kind: RecordKind, label?: MessageKey): Filter<R> {
  return {
    id,
    label: label ?? (`field.${id}` as MessageKey),
    options: refOptions(kind),
    value: (r) => field(r, id) as string | null,
  };
}

/** The network of a record through its membership. */
function networkOf(membershipId: unknown): string | null {
  if (typeof membershipId !== 'string') return null;
  const m = cache.rows('membership').find((x) => x.id === membershipId);
  return m?.network_id ?? null;
}

function networkFilter<R>(membershipField = 'membership_id'): Filter<R> {
  const used = new Set(cache.rows('membership').map((m) => m.network_id));
  return {
    id: 'network',
    label: 'field.network_id',
    options: refOptions('network').filter((o) => used.has(o.value)),
    value: (r) => networkOf(field(r, membershipField)),
  };
}

// ---- field lists ---------------------------------------------------------------------

const cityField: FieldDef = { name: 'city_id', type: 'ref', ref: 'city', required: true };

const isTime = (v: FormValues) => TIME_CATEGORIES.includes(v.category as CostEntry['category']);
const kindIs = (kind: Outcome['kind']) => (v: FormValues) => v.kind === kind;

export const FIELDS = {
  city: [
    { name: 'name', type: 'text', required: true },
    { name: 'country', type: 'text', required: true },
    { name: 'region', type: 'text' },
    { name: 'population', type: 'integer' },
    { name: 'population_year', type: 'integer' },
    { name: 'latitude', type: 'number' },
    { name: 'longitude', type: 'number' },
  ],
  network: [
    { name: 'name', type: 'text', required: true },
    { name: 'acronym', type: 'text', required: true },
    { name: 'scope', type: 'enum', enumName: 'scope', required: true },
    { name: 'founded_year', type: 'integer' },
    { name: 'headquarters', type: 'text' },
    { name: 'member_count', type: 'text' },
    { name: 'fee_model', type: 'text' },
    { name: 'website', type: 'text' },
    { name: 'focus', type: 'textarea' },
    { name: 'source', type: 'text' },
    { name: 'as_of', type: 'date' },
  ],
  membership: [
    cityField,
    { name: 'network_id', type: 'ref', ref: 'network', required: true },
    { name: 'status', type: 'enum', enumName: 'membership_status', required: true },
    { name: 'role', type: 'enum', enumName: 'membership_role', required: true },
    { name: 'joined_on', type: 'date' },
    { name: 'ended_on', type: 'date' },
    { name: 'renewal_on', type: 'date' },
    { name: 'dues_minor', type: 'money', currencyField: 'dues_currency' },
    { name: 'dues_currency', type: 'currency' },
    { name: 'focal_point', type: 'text' },
    { name: 'core', type: 'bool' },
    { name: 'notes', type: 'textarea' },
  ],
  thesis: [
    { name: 'membership_id', type: 'ref', ref: 'membership', required: true },
    { name: 'statement', type: 'textarea', required: true },
    { name: 'start_on', type: 'date', required: true },
    { name: 'horizon_on', type: 'date', required: true },
    { name: 'review_on', type: 'date' },
    { name: 'verdict', type: 'enum', enumName: 'verdict' },
    { name: 'decision', type: 'enum', enumName: 'decision' },
    { name: 'reviewed_on', type: 'date' },
  ],
  meeting: [
    { name: 'membership_id', type: 'ref', ref: 'membership', required: true },
    { name: 'title', type: 'text', required: true },
    { name: 'start_on', type: 'date', required: true },
    { name: 'end_on', type: 'date' },
    { name: 'place', type: 'text' },
    { name: 'counterpart', type: 'text' },
    { name: 'attendees', type: 'text', wide: true },
    { name: 'ask', type: 'enum', enumName: 'ask', required: true },
    { name: 'result', type: 'enum', enumName: 'meeting_result', required: true },
    { name: 'follow_up_due', type: 'date' },
    { name: 'follow_up', type: 'textarea' },
  ],
  cost_entry: [
    cityField,
    { name: 'membership_id', type: 'ref', ref: 'membership' },
    { name: 'meeting_id', type: 'ref', ref: 'meeting' },
    { name: 'spent_on', type: 'date', required: true },
    { name: 'category', type: 'enum', enumName: 'cost_category', required: true },
    {
      name: 'amount_minor',
      type: 'money',
      currencyField: 'currency',
      required: true,
      visible: (v) => !isTime(v),
    },
    { name: 'currency', type: 'currency', required: true, visible: (v) => !isTime(v) },
    { name: 'hours', type: 'number', required: true, visible: isTime },
    { name: 'role', type: 'text', required: true, visible: isTime },
    { name: 'description', type: 'text', wide: true },
  ],
  role_rate: [
    { name: 'role', type: 'text', required: true },
    { name: 'hourly_minor', type: 'money', currencyField: 'currency', required: true },
    { name: 'currency', type: 'currency', required: true },
    { name: 'valid_from', type: 'date', required: true },
    { name: 'valid_to', type: 'date' },
  ],
  // "1 currency = rate quote_currency": a rate names both its currencies.
  exchange_rate: [
    { name: 'on_date', type: 'date', required: true },
    { name: 'currency', type: 'currency', required: true, label: 'field.rate_base' },
    { name: 'rate', type: 'number', required: true },
    { name: 'quote_currency', type: 'currency', required: true },
    { name: 'source', type: 'text', wide: true },
  ],
  project: [
    cityField,
    { name: 'name', type: 'text', required: true },
    { name: 'sector', type: 'enum', enumName: 'sector', required: true },
    { name: 'stage', type: 'enum', enumName: 'stage', required: true },
    { name: 'capex_minor', type: 'money', currencyField: 'capex_currency' },
    { name: 'capex_currency', type: 'currency' },
    { name: 'start_on', type: 'date' },
    { name: 'baseline_months', type: 'integer' },
    { name: 'actual_months', type: 'integer' },
    { name: 'notes', type: 'textarea' },
  ],
  outcome: [
    cityField,
    { name: 'kind', type: 'enum', enumName: 'outcome_kind', required: true },
    { name: 'occurred_on', type: 'date', required: true },
    { name: 'description', type: 'textarea', required: true },
    { name: 'evidence', type: 'text', wide: true },
    // acceleration
    { name: 'project_id', type: 'ref', ref: 'project', required: true, visible: kindIs('acceleration') },
    { name: 'months_saved', type: 'number', required: true, visible: kindIs('acceleration') },
    // financing
    {
      name: 'amount_minor',
      type: 'money',
      currencyField: 'currency',
      required: true,
      visible: kindIs('financing'),
    },
    { name: 'currency', type: 'currency', required: true, visible: kindIs('financing') },
    { name: 'instrument', type: 'enum', enumName: 'instrument', required: true, visible: kindIs('financing') },
    {
      name: 'financing_status',
      type: 'enum',
      enumName: 'financing_status',
      required: true,
      visible: kindIs('financing'),
    },
    {
      name: 'committed_minor',
      type: 'money',
      currencyField: 'currency',
      visible: kindIs('financing'),
    },
    {
      name: 'disbursed_minor',
      type: 'money',
      currencyField: 'currency',
      visible: kindIs('financing'),
    },
    { name: 'source_type', type: 'enum', enumName: 'source_type', visible: kindIs('financing') },
    { name: 'source_name', type: 'text', visible: kindIs('financing') },
    { name: 'interest_rate', type: 'number', visible: kindIs('financing') },
    { name: 'tenor_years', type: 'number', visible: kindIs('financing') },
    { name: 'grace_years', type: 'number', visible: kindIs('financing') },
    // policy transfer
    {
      name: 'policy_instrument',
      type: 'enum',
      enumName: 'policy_instrument',
      required: true,
      visible: kindIs('policy_transfer'),
    },
    { name: 'source_peer', type: 'text', required: true, visible: kindIs('policy_transfer') },
    { name: 'adopted_on', type: 'date', visible: kindIs('policy_transfer') },
  ],
  attribution: [
    { name: 'outcome_id', type: 'ref', ref: 'outcome', required: true },
    { name: 'membership_id', type: 'ref', ref: 'membership', required: true },
    { name: 'share_bp', type: 'percent_bp', required: true },
  ],
  metric: [
    cityField,
    { name: 'year', type: 'integer', required: true },
    { name: 'name', type: 'text', required: true },
    { name: 'value', type: 'number' },
    { name: 'value_text', type: 'text' },
    { name: 'unit', type: 'text' },
    { name: 'source', type: 'text' },
  ],
} as const satisfies Record<RecordKind, readonly FieldDef[]>;

// ---- screens -------------------------------------------------------------------------

/** The thesis a membership is steered by: the open one, else the latest. */
export function currentThesis(membershipId: string): RecordTypes['thesis'] | undefined {
  const theses = cache.rows('thesis').filter((x) => x.membership_id === membershipId);
  const open = theses.filter((x) => !x.verdict);
  const pool = open.length > 0 ? open : theses;
  return pool.reduce<RecordTypes['thesis'] | undefined>(
    (latest, x) => (!latest || x.start_on > latest.start_on ? x : latest),
    undefined,
  );
}

function costValueText(r: CostEntry): string {
  if (TIME_CATEGORIES.includes(r.category)) {
    return r.hours === null ? '' : `${formatHours(r.hours)} · ${r.role ?? ''}`;
  }
  if (r.amount_minor === null || !r.currency) return '';
  try {
    return formatMoney(r.amount_minor, r.currency);
  } catch {
    return `${r.amount_minor} ${r.currency}`;
  }
}

function outcomeValueText(r: Outcome): string {
  switch (r.kind) {
    case 'acceleration':
      return r.months_saved === null
        ? ''
        : `${formatNumber(r.months_saved)} · ${refLabel('project', r.project_id)}`;
    case 'financing': {
      if (r.amount_minor === null || !r.currency) return '';
      let money: string;
      try {
        money = formatMoney(r.amount_minor, r.currency);
      } catch {
        money = `${r.amount_minor} ${r.currency}`;
      }
      return `${money} · ${enumLabel('instrument', r.instrument)} · ${enumLabel('financing_status', r.financing_status)}`;
    }
    case 'policy_transfer':
      return `${enumLabel('policy_instrument', r.policy_instrument)} · ${r.source_peer ?? ''}`;
  }
}

/** The memberships an outcome is attributed to, with their shares. */
export function attributedTo(outcomeId: string): string {
  return cache
    .rows('attribution')
    .filter((a) => a.outcome_id === outcomeId)
    .map((a) => `${refLabel('membership', a.membership_id)} ${formatNumber(a.share_bp / 100)} %`)
    .join(', ');
}

export const SCREEN_CONFIGS = {
  network: {
    kind: 'network',
    fields: FIELDS.network,
    columns: [
      textCol('acronym'),
      textCol('name'),
      enumCol('scope', 'scope'),
      textCol('member_count'),
      textCol('source', undefined, true),
      dateCol('as_of'),
    ],
    filters: () => [enumFilter('scope', 'scope')],
    defaults: () => ({ scope: 'global', as_of: todayIso() }),
    initialSort: { column: 'acronym', direction: 'asc' },
  } satisfies RecordScreenConfig<'network'>,

  membership: {
    kind: 'membership',
    fields: FIELDS.membership,
    columns: [
      refCol<Membership>('network_id', 'network'),
      refCol<Membership>('city_id', 'city'),
      enumCol('status', 'membership_status'),
      enumCol('role', 'membership_role'),
      dateCol('renewal_on'),
      moneyCol('dues_minor', 'dues_currency'),
      boolCol('core'),
      {
        id: 'thesis',
        label: 'memberships.current',
        clamp: true,
        value: (r: Membership) => currentThesis(r.id)?.statement ?? '',
      },
    ],
    filters: () => [
      enumFilter('status', 'membership_status'),
      refFilter('network_id', 'network'),
    ],
    defaults: () => ({
      status: 'active',
      role: 'member',
      core: false,
      joined_on: todayIso(),
      dues_currency: officeCurrency(),
    }),
    needs: ['network', 'city', 'thesis'],
    cityScoped: true,
    initialSort: { column: 'network_id', direction: 'asc' },
  } satisfies RecordScreenConfig<'membership'>,

  thesis: {
    kind: 'thesis',
    fields: FIELDS.thesis,
    columns: [
      textCol('statement', undefined, true),
      dateCol('start_on'),
      dateCol('horizon_on'),
      dateCol('review_on'),
      enumCol('verdict', 'verdict'),
      enumCol('decision', 'decision'),
      dateCol('reviewed_on'),
    ],
    defaults: () => ({ start_on: todayIso(), horizon_on: addMonths(todayIso(), 12) }),
    needs: ['membership', 'network', 'city'],
    initialSort: { column: 'start_on', direction: 'desc' },
  } satisfies RecordScreenConfig<'thesis'>,

  meeting: {
    kind: 'meeting',
    fields: FIELDS.meeting,
    columns: [
      dateCol('start_on'),
      textCol('title'),
      refCol<Meeting>('membership_id', 'membership'),
      enumCol('ask', 'ask'),
      enumCol('result', 'meeting_result'),
      textCol('follow_up', undefined, true),
      dateCol('follow_up_due'),
    ],
    filters: () => [
      networkFilter<Meeting>(),
      enumFilter('ask', 'ask'),
      enumFilter('result', 'meeting_result'),
    ],
    range: { id: 'start_on', label: 'field.start_on', value: (r: Meeting) => r.start_on },
    defaults: () => ({ start_on: todayIso(), ask: 'technical_assistance', result: 'pending' }),
    needs: ['membership', 'network', 'city'],
    initialSort: { column: 'start_on', direction: 'desc' },
  } satisfies RecordScreenConfig<'meeting'>,

  cost_entry: {
    kind: 'cost_entry',
    fields: FIELDS.cost_entry,
    columns: [
      dateCol('spent_on'),
      enumCol('category', 'cost_category'),
      refCol<CostEntry>('membership_id', 'membership', 'field.membership_id', 'costs.general'),
      {
        id: 'value',
        label: 'costs.amountOrHours',
        align: 'end',
        value: (r: CostEntry) => r.amount_minor ?? r.hours ?? null,
        text: costValueText,
      },
      textCol('description', undefined, true),
    ],
    filters: () => [networkFilter<CostEntry>(), enumFilter('category', 'cost_category')],
    range: { id: 'spent_on', label: 'field.spent_on', value: (r: CostEntry) => r.spent_on },
    defaults: () => ({ spent_on: todayIso(), category: 'travel', currency: officeCurrency() }),
    needs: ['membership', 'network', 'city', 'meeting'],
    cityScoped: true,
    initialSort: { column: 'spent_on', direction: 'desc' },
  } satisfies RecordScreenConfig<'cost_entry'>,

  project: {
    kind: 'project',
    fields: FIELDS.project,
    columns: [
      textCol('name'),
      enumCol('sector', 'sector'),
      enumCol('stage', 'stage'),
      moneyCol('capex_minor', 'capex_currency'),
      dateCol('start_on'),
      numberCol('baseline_months'),
      numberCol('actual_months'),
    ],
    filters: () => [enumFilter('sector', 'sector'), enumFilter('stage', 'stage')],
    defaults: () => ({ sector: 'mobility', stage: 'concept', capex_currency: officeCurrency() }),
    needs: ['city'],
    cityScoped: true,
    initialSort: { column: 'name', direction: 'asc' },
  } satisfies RecordScreenConfig<'project'>,

  outcome: {
    kind: 'outcome',
    fields: FIELDS.outcome,
    columns: [
      dateCol('occurred_on'),
      enumCol('kind', 'outcome_kind'),
      textCol('description', undefined, true),
      { id: 'value', label: 'outcomes.value', value: outcomeValueText, clamp: true },
      {
        id: 'attributed',
        label: 'outcomes.attributions',
        value: (r: Outcome) => attributedTo(r.id),
      },
    ],
    filters: () => [enumFilter('kind', 'outcome_kind')],
    range: { id: 'occurred_on', label: 'field.occurred_on', value: (r: Outcome) => r.occurred_on },
    defaults: () => ({
      kind: 'financing',
      occurred_on: todayIso(),
      currency: officeCurrency(),
      financing_status: 'committed',
    }),
    needs: ['project', 'attribution', 'membership', 'network', 'city'],
    cityScoped: true,
    initialSort: { column: 'occurred_on', direction: 'desc' },
  } satisfies RecordScreenConfig<'outcome'>,

  attribution: {
    kind: 'attribution',
    fields: FIELDS.attribution,
    columns: [
      refCol('membership_id', 'membership'),
      {
        id: 'share_bp',
        label: 'field.share_bp',
        align: 'end',
        value: (r: RecordTypes['attribution']) => r.share_bp,
        text: (r: RecordTypes['attribution']) => formatNumber(r.share_bp / 100),
      },
    ],
    defaults: () => ({ share_bp: 10000 }),
    needs: ['membership', 'network', 'city', 'outcome'],
  } satisfies RecordScreenConfig<'attribution'>,

  metric: {
    kind: 'metric',
    fields: FIELDS.metric,
    columns: [
      yearCol('year'),
      textCol('name'),
      {
        id: 'value',
        label: 'field.value',
        align: 'end',
        value: (r: RecordTypes['metric']) => r.value ?? r.value_text ?? null,
        text: (r: RecordTypes['metric']) =>
          r.value !== null ? formatNumber(r.value) : (r.value_text ?? ''),
      },
      textCol('unit'),
      textCol('source'),
      refCol('city_id', 'city'),
    ],
    filters: () => {
      const names = [...new Set(cache.rows('metric').map((m) => m.name))].sort();
      return [
        {
          id: 'name',
          label: 'field.name',
          options: names.map((n) => ({ value: n, label: n })),
          value: (r: RecordTypes['metric']) => r.name,
        },
      ];
    },
    defaults: () => ({ year: new Date().getFullYear() }),
    needs: ['city'],
    cityScoped: true,
    initialSort: { column: 'year', direction: 'desc' },
  } satisfies RecordScreenConfig<'metric'>,

  city: {
    kind: 'city',
    fields: FIELDS.city,
    columns: [textCol('name'), textCol('country'), textCol('region'), numberCol('population')],
    defaults: () => ({ country: 'MX' }),
    pageSize: 10,
    initialSort: { column: 'name', direction: 'asc' },
  } satisfies RecordScreenConfig<'city'>,

  exchange_rate: {
    kind: 'exchange_rate',
    fields: FIELDS.exchange_rate,
    columns: [
      dateCol('on_date'),
      textCol('currency', 'field.rate_base'),
      // A rate keeps its digits: 1 MXN = 0.058351 USD.
      numberCol('rate', undefined, 6),
      textCol('quote_currency'),
      textCol('source'),
    ],
    filters: () => {
      const currencies = [...new Set(cache.rows('exchange_rate').map((r) => r.currency))].sort();
      return [
        {
          id: 'currency',
          label: 'field.currency',
          options: currencies.map((c) => ({ value: c, label: c })),
          value: (r: RecordTypes['exchange_rate']) => r.currency,
        },
      ];
    },
    defaults: () => ({ on_date: todayIso(), currency: 'USD', quote_currency: officeCurrency() }),
    pageSize: 12,
    initialSort: { column: 'on_date', direction: 'desc' },
  } satisfies RecordScreenConfig<'exchange_rate'>,

  role_rate: {
    kind: 'role_rate',
    fields: FIELDS.role_rate,
    columns: [
      textCol('role'),
      moneyCol('hourly_minor', 'currency'),
      dateCol('valid_from'),
      dateCol('valid_to'),
    ],
    defaults: () => ({ valid_from: todayIso(), currency: officeCurrency() }),
    pageSize: 12,
    initialSort: { column: 'role', direction: 'asc' },
  } satisfies RecordScreenConfig<'role_rate'>,
};
