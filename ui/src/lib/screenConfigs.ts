// The record screens as configurations of the generic list and form: which
// fields a kind's form shows and in what order, which columns and filters its
// list has. What each field is (type, required, words) is the core's
// description (kinds.ts). Adding a kind to the UI is one entry here.

import { addMonths, todayIso } from './dates';
import type { CostEntry, Invoice, Meeting, Membership, Outcome, RecordKind } from './bindings';
import { distinctValues } from './corePages.svelte';
import { cache, db } from './db.svelte';
import { formatHours, formatNumber } from './format';
import type { FieldDef } from './forms';
import type { MessageKey } from './i18n';
import { column, fieldLabel, filter, formFields, moneyText } from './kinds';
import { enumLabel, refLabel, refOptions } from './labels';
import type { Column, Filter, RangeFilter, SortState } from './list';
import { TIME_CATEGORIES, type AnyRecord, type RecordTypes } from './records';
import { currentTheses } from './theses.svelte';
import { standings } from './dues.svelte';

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

// ---- filters that follow a membership ------------------------------------------------

/** The network of a record through its membership. */
function networkOf(membershipId: unknown): string | null {
  if (typeof membershipId !== 'string') return null;
  const m = cache.rows('membership').find((x) => x.id === membershipId);
  return m?.network_id ?? null;
}

function networkFilter<R>(membershipField = 'membership_id'): Filter<R> {
  const used = new Set(cache.rows('membership').map((m) => m.network_id));
  // The core filters a record by its membership's network (`network_id`).
  return {
    id: 'network_id',
    label: fieldLabel('membership', 'network_id'),
    options: refOptions('network').filter((o) => used.size === 0 || used.has(o.value)),
    value: (r) => networkOf((r as unknown as AnyRecord)[membershipField]),
  };
}

// ---- forms: which fields each kind's form shows, in what order ------------------------
// Types, required fields, when a field applies and the words are the core's
// (kinds.ts derives them from KINDS).

export const FIELDS = {
  city: formFields('city', [
    'name',
    'country',
    'region',
    'population',
    'population_year',
    'latitude',
    'longitude',
    'income_group',
  ]),
  network: formFields('network', [
    'name',
    'acronym',
    'scope',
    'founded_year',
    'headquarters',
    'member_count',
    'fee_model',
    'website',
    'focus',
    'source',
    'as_of',
  ]),
  membership: formFields('membership', [
    'city_id',
    'network_id',
    'status',
    'role',
    'joined_on',
    'ended_on',
    'renewal_on',
    'dues_minor',
    'dues_currency',
    'focal_point',
    'core',
    'notes',
  ]),
  thesis: formFields('thesis', [
    'membership_id',
    'statement',
    'start_on',
    'horizon_on',
    'review_on',
    'verdict',
    'decision',
    'reviewed_on',
  ]),
  meeting: formFields('meeting', [
    'membership_id',
    'title',
    'start_on',
    'end_on',
    'place',
    'counterpart',
    { name: 'attendees', wide: true },
    'ask',
    'result',
    'follow_up_due',
    'follow_up',
  ]),
  cost_entry: formFields('cost_entry', [
    'city_id',
    'membership_id',
    'meeting_id',
    'spent_on',
    'category',
    'amount_minor',
    'currency',
    'hours',
    'role',
    { name: 'description', wide: true },
    'invoice_id',
    'reference',
  ]),
  role_rate: formFields('role_rate', ['role', 'hourly_minor', 'currency', 'valid_from', 'valid_to']),
  exchange_rate: formFields('exchange_rate', [
    'on_date',
    'currency',
    'rate',
    'quote_currency',
    { name: 'source', wide: true },
  ]),
  project: formFields('project', [
    'city_id',
    'name',
    'sector',
    'stage',
    'capex_minor',
    'capex_currency',
    'start_on',
    'baseline_months',
    'actual_months',
    'notes',
  ]),
  outcome: formFields('outcome', [
    'city_id',
    'kind',
    'occurred_on',
    'description',
    { name: 'evidence', wide: true },
    // acceleration
    'project_id',
    'months_saved',
    // financing
    'amount_minor',
    'currency',
    'instrument',
    'financing_status',
    'committed_minor',
    'disbursed_minor',
    'source_type',
    'source_name',
    'interest_rate',
    'tenor_years',
    'grace_years',
    'repayment_profile',
    'payments_per_year',
    // policy transfer
    'policy_instrument',
    'source_peer',
    'adopted_on',
  ]),
  attribution: formFields('attribution', ['outcome_id', 'membership_id', 'share_bp']),
  metric: formFields('metric', ['city_id', 'year', 'name', 'value', 'value_text', 'unit', 'source']),
  fee_rule: formFields('fee_rule', [
    'network_id',
    'basis',
    'valid_from',
    'valid_to',
    'currency',
    'amount_minor',
    'per_resident',
    'min_minor',
    'max_minor',
    'population_from',
    'population_to',
    'low_minor',
    'lower_middle_minor',
    'upper_middle_minor',
    'high_minor',
    { name: 'source', wide: true },
    'notes',
  ]),
  invoice: formFields('invoice', [
    'membership_id',
    'year',
    'amount_minor',
    'currency',
    'issued_on',
    'due_on',
    'reference',
    'waived',
    'notes',
  ]),
  budget_plan: formFields('budget_plan', [
    'membership_id',
    'fiscal_year',
    'trips',
    'travellers',
    'days',
    'travel_currency',
    'fare_minor',
    'daily_minor',
    'staff_hours',
    'staff_role',
    'officials_hours',
    'officials_role',
    'decision',
    { name: 'justification', wide: true },
    'notes',
  ]),
  budget_rate: formFields('budget_rate', [
    'fiscal_year',
    'currency',
    'rate',
    'quote_currency',
    { name: 'source', wide: true },
  ]),
} satisfies Record<RecordKind, readonly FieldDef[]>;

// ---- screens -------------------------------------------------------------------------

/** The thesis a membership is steered by today: the core's choice (theses.svelte.ts). */
export function currentThesis(membershipId: string): RecordTypes['thesis'] | undefined {
  const id = currentTheses.byMembership.get(membershipId);
  return id ? cache.rows('thesis').find((x) => x.id === id) : undefined;
}

function costValueText(r: CostEntry): string {
  if (TIME_CATEGORIES.includes(r.category)) {
    return r.hours === null ? '' : `${formatHours(r.hours)} · ${r.role ?? ''}`;
  }
  return moneyText(r.amount_minor, r.currency);
}

function outcomeValueText(r: Outcome): string {
  switch (r.kind) {
    case 'acceleration':
      return r.months_saved === null
        ? ''
        : `${formatNumber(r.months_saved)} · ${refLabel('project', r.project_id)}`;
    case 'financing': {
      const money = moneyText(r.amount_minor, r.currency);
      if (!money) return '';
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
      column('network', 'acronym'),
      column('network', 'name'),
      column('network', 'scope'),
      column('network', 'member_count'),
      column('network', 'source', { clamp: true }),
      column('network', 'as_of'),
    ],
    filters: () => [filter('network', 'scope')],
    defaults: () => ({ scope: 'global', as_of: todayIso() }),
    initialSort: { column: 'acronym', direction: 'asc' },
  } satisfies RecordScreenConfig<'network'>,

  membership: {
    kind: 'membership',
    fields: FIELDS.membership,
    columns: [
      column('membership', 'network_id'),
      column('membership', 'city_id'),
      column('membership', 'status'),
      column('membership', 'role'),
      column('membership', 'renewal_on'),
      column('membership', 'dues_minor'),
      column('membership', 'core'),
      {
        id: 'thesis',
        label: 'memberships.current',
        clamp: true,
        value: (r: Membership) => currentThesis(r.id)?.statement ?? '',
        sortField: null,
      },
    ],
    filters: () => [
      filter('membership', 'status'),
      filter('membership', 'network_id'),
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
      column('thesis', 'statement', { clamp: true }),
      column('thesis', 'start_on'),
      column('thesis', 'horizon_on'),
      column('thesis', 'review_on'),
      column('thesis', 'verdict'),
      column('thesis', 'decision'),
      column('thesis', 'reviewed_on'),
    ],
    defaults: () => ({ start_on: todayIso(), horizon_on: addMonths(todayIso(), 12) }),
    needs: ['membership', 'network', 'city'],
    initialSort: { column: 'start_on', direction: 'desc' },
  } satisfies RecordScreenConfig<'thesis'>,

  meeting: {
    kind: 'meeting',
    fields: FIELDS.meeting,
    columns: [
      column('meeting', 'start_on'),
      column('meeting', 'title'),
      column('meeting', 'membership_id'),
      column('meeting', 'ask'),
      column('meeting', 'result'),
      column('meeting', 'follow_up', { clamp: true }),
      column('meeting', 'follow_up_due'),
    ],
    filters: () => [
      networkFilter<Meeting>(),
      filter('meeting', 'ask'),
      filter('meeting', 'result'),
    ],
    range: { id: 'start_on', label: fieldLabel('meeting', 'start_on'), value: (r: Meeting) => r.start_on },
    defaults: () => ({ start_on: todayIso(), ask: 'technical_assistance', result: 'pending' }),
    needs: ['membership', 'network', 'city'],
    initialSort: { column: 'start_on', direction: 'desc' },
  } satisfies RecordScreenConfig<'meeting'>,

  cost_entry: {
    kind: 'cost_entry',
    fields: FIELDS.cost_entry,
    columns: [
      column('cost_entry', 'spent_on'),
      column('cost_entry', 'category'),
      column('cost_entry', 'membership_id', { empty: 'costs.general' }),
      {
        id: 'value',
        label: 'costs.amountOrHours',
        align: 'end',
        value: (r: CostEntry) => r.amount_minor ?? r.hours ?? null,
        text: costValueText,
        sortField: 'amount_minor',
      },
      column('cost_entry', 'description', { clamp: true }),
    ],
    filters: () => [networkFilter<CostEntry>(), filter('cost_entry', 'category')],
    range: { id: 'spent_on', label: fieldLabel('cost_entry', 'spent_on'), value: (r: CostEntry) => r.spent_on },
    defaults: () => ({ spent_on: todayIso(), category: 'travel', currency: officeCurrency() }),
    needs: ['membership', 'network', 'city', 'meeting'],
    cityScoped: true,
    initialSort: { column: 'spent_on', direction: 'desc' },
  } satisfies RecordScreenConfig<'cost_entry'>,

  project: {
    kind: 'project',
    fields: FIELDS.project,
    columns: [
      column('project', 'name'),
      column('project', 'sector'),
      column('project', 'stage'),
      column('project', 'capex_minor'),
      column('project', 'start_on'),
      column('project', 'baseline_months'),
      column('project', 'actual_months'),
    ],
    filters: () => [filter('project', 'sector'), filter('project', 'stage')],
    defaults: () => ({ sector: 'mobility', stage: 'concept', capex_currency: officeCurrency() }),
    needs: ['city'],
    cityScoped: true,
    initialSort: { column: 'name', direction: 'asc' },
  } satisfies RecordScreenConfig<'project'>,

  outcome: {
    kind: 'outcome',
    fields: FIELDS.outcome,
    columns: [
      column('outcome', 'occurred_on'),
      column('outcome', 'kind'),
      column('outcome', 'description', { clamp: true }),
      { id: 'value', label: 'outcomes.value', value: outcomeValueText, clamp: true, sortField: null },
      {
        id: 'attributed',
        label: 'outcomes.attributions',
        sortField: null,
        value: (r: Outcome) => attributedTo(r.id),
      },
    ],
    filters: () => [filter('outcome', 'kind')],
    range: { id: 'occurred_on', label: fieldLabel('outcome', 'occurred_on'), value: (r: Outcome) => r.occurred_on },
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
      column('attribution', 'membership_id'),
      {
        id: 'share_bp',
        label: fieldLabel('attribution', 'share_bp'),
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
      column('metric', 'year'),
      column('metric', 'name'),
      {
        id: 'value',
        label: fieldLabel('metric', 'value'),
        align: 'end',
        value: (r: RecordTypes['metric']) => r.value ?? r.value_text ?? null,
        text: (r: RecordTypes['metric']) =>
          r.value !== null ? formatNumber(r.value) : (r.value_text ?? ''),
      },
      column('metric', 'unit'),
      column('metric', 'source'),
      column('metric', 'city_id'),
    ],
    filters: () => {
      const names = distinctValues.of('metric', 'name');
      return [
        {
          id: 'name',
          label: fieldLabel('metric', 'name'),
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
    columns: [column('city', 'name'), column('city', 'country'), column('city', 'region'), column('city', 'population')],
    defaults: () => ({ country: 'MX' }),
    pageSize: 10,
    initialSort: { column: 'name', direction: 'asc' },
  } satisfies RecordScreenConfig<'city'>,

  exchange_rate: {
    kind: 'exchange_rate',
    fields: FIELDS.exchange_rate,
    columns: [
      column('exchange_rate', 'on_date'),
      column('exchange_rate', 'currency'),
      // A rate keeps its digits: 1 MXN = 0.058351 USD.
      column('exchange_rate', 'rate', { digits: 6 }),
      column('exchange_rate', 'quote_currency'),
      column('exchange_rate', 'source'),
    ],
    filters: () => {
      const currencies = distinctValues.of('exchange_rate', 'currency');
      return [
        {
          id: 'currency',
          label: fieldLabel('exchange_rate', 'currency'),
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
      column('role_rate', 'role'),
      column('role_rate', 'hourly_minor'),
      column('role_rate', 'valid_from'),
      column('role_rate', 'valid_to'),
    ],
    defaults: () => ({ valid_from: todayIso(), currency: officeCurrency() }),
    pageSize: 12,
    initialSort: { column: 'role', direction: 'asc' },
  } satisfies RecordScreenConfig<'role_rate'>,
  fee_rule: {
    kind: 'fee_rule',
    fields: FIELDS.fee_rule,
    columns: [
      column('fee_rule', 'network_id'),
      column('fee_rule', 'basis'),
      column('fee_rule', 'valid_from'),
      column('fee_rule', 'valid_to'),
      column('fee_rule', 'amount_minor'),
      column('fee_rule', 'per_resident', { digits: 6 }),
      column('fee_rule', 'min_minor'),
      column('fee_rule', 'max_minor'),
      column('fee_rule', 'source', { clamp: true }),
    ],
    filters: () => [filter('fee_rule', 'network_id'), filter('fee_rule', 'basis')],
    defaults: () => ({ basis: 'flat', valid_from: todayIso(), currency: 'EUR' }),
    needs: ['network'],
    pageSize: 12,
    initialSort: { column: 'network_id', direction: 'asc' },
  } satisfies RecordScreenConfig<'fee_rule'>,

  invoice: {
    kind: 'invoice',
    fields: FIELDS.invoice,
    columns: [
      column('invoice', 'membership_id'),
      column('invoice', 'year'),
      column('invoice', 'reference'),
      column('invoice', 'due_on'),
      column('invoice', 'amount_minor'),
      {
        id: 'paid',
        label: 'dues.col.paid',
        align: 'end',
        sortField: null,
        value: (r: Invoice) => standings.byInvoice.get(r.id)?.paid_minor ?? null,
        text: (r: Invoice) => moneyText(standings.byInvoice.get(r.id)?.paid_minor, r.currency),
      },
      {
        id: 'status',
        label: 'dues.col.status',
        sortField: null,
        value: (r: Invoice) => {
          const s = standings.byInvoice.get(r.id);
          return s ? enumLabel('invoice_status', s.status) : '';
        },
      },
      {
        id: 'arrears',
        label: 'dues.col.arrears',
        align: 'end',
        sortField: null,
        value: (r: Invoice) => standings.byInvoice.get(r.id)?.arrears_minor ?? null,
        text: (r: Invoice) => {
          const s = standings.byInvoice.get(r.id);
          if (!s || s.arrears_minor === 0 || s.arrears_days === null) return '';
          return `${moneyText(s.arrears_minor, r.currency)} · ${formatNumber(s.arrears_days)} d`;
        },
      },
    ],
    filters: () => [networkFilter<Invoice>()],
    defaults: () => ({
      year: new Date().getFullYear(),
      due_on: todayIso(),
      issued_on: todayIso(),
      currency: officeCurrency(),
      waived: false,
    }),
    needs: ['membership', 'network', 'city'],
    initialSort: { column: 'due_on', direction: 'desc' },
  } satisfies RecordScreenConfig<'invoice'>,

  budget_plan: {
    kind: 'budget_plan',
    fields: FIELDS.budget_plan,
    columns: [
      column('budget_plan', 'membership_id'),
      column('budget_plan', 'fiscal_year'),
      column('budget_plan', 'trips'),
      column('budget_plan', 'travellers'),
      column('budget_plan', 'days'),
      column('budget_plan', 'staff_hours'),
      column('budget_plan', 'decision'),
      column('budget_plan', 'justification', { clamp: true }),
    ],
    defaults: () => ({ fiscal_year: new Date().getFullYear() + 1, travel_currency: officeCurrency() }),
    needs: ['membership', 'network', 'city'],
    initialSort: { column: 'fiscal_year', direction: 'desc' },
  } satisfies RecordScreenConfig<'budget_plan'>,

  budget_rate: {
    kind: 'budget_rate',
    fields: FIELDS.budget_rate,
    columns: [
      column('budget_rate', 'fiscal_year'),
      column('budget_rate', 'currency'),
      column('budget_rate', 'rate', { digits: 6 }),
      column('budget_rate', 'quote_currency'),
      column('budget_rate', 'source'),
    ],
    defaults: () => ({
      fiscal_year: new Date().getFullYear() + 1,
      currency: 'USD',
      quote_currency: officeCurrency(),
    }),
    pageSize: 12,
    initialSort: { column: 'fiscal_year', direction: 'desc' },
  } satisfies RecordScreenConfig<'budget_rate'>,
};
