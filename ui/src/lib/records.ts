// The record kinds and the values of every enum, as the core generates them
// (bindings.ts). The arrays below are checked against the generated unions at
// compile time: a value added in the core and missing here does not build.

import type {
  Ask,
  Attribution,
  City,
  Classification,
  CostCategory,
  CostEntry,
  Decision,
  ExchangeRate,
  FinancingStatus,
  Instrument,
  Meeting,
  MeetingResult,
  Membership,
  MembershipRole,
  MembershipStatus,
  Metric,
  Network,
  Outcome,
  OutcomeKind,
  PolicyInstrument,
  Project,
  RecordKind,
  RoleRate,
  Scope,
  Sector,
  SourceType,
  Stage,
  Thesis,
  ThesisStatus,
  Verdict,
} from './bindings';

/** The record type of each kind. */
export interface RecordTypes {
  city: City;
  network: Network;
  membership: Membership;
  thesis: Thesis;
  meeting: Meeting;
  cost_entry: CostEntry;
  role_rate: RoleRate;
  exchange_rate: ExchangeRate;
  project: Project;
  outcome: Outcome;
  attribution: Attribution;
  metric: Metric;
}

/** Any record: the fields every kind shares, and the rest by name. */
export interface AnyRecord {
  id: string;
  created_at: number;
  updated_at: number;
  updated_by: string;
  deleted: boolean;
  [field: string]: unknown;
}

type Exhaustive<T extends string, A extends readonly string[]> = [Exclude<T, A[number]>] extends [
  never,
]
  ? A
  : { missing: Exclude<T, A[number]> };

/** `allOf<Scope>()(['global', …])` compiles only when every value is listed. */
export function allOf<T extends string>() {
  return <const A extends readonly T[]>(values: A & Exhaustive<T, A>): readonly T[] => values;
}

export const RECORD_KINDS = allOf<RecordKind>()([
  'city',
  'network',
  'membership',
  'thesis',
  'meeting',
  'cost_entry',
  'role_rate',
  'exchange_rate',
  'project',
  'outcome',
  'attribution',
  'metric',
]);

/** Kinds shared by every city of a file: the core's rule (generated into bindings.ts). */
export { UNSCOPED_KINDS } from './bindings';

/** The enums a form field can offer, by the name used in translation keys. */
export const ENUMS = {
  scope: allOf<Scope>()(['global', 'regional', 'metropolitan', 'national']),
  membership_status: allOf<MembershipStatus>()(['active', 'suspended', 'ended']),
  membership_role: allOf<MembershipRole>()([
    'member',
    'board',
    'presidency',
    'vice_presidency',
    'observer',
    'partner',
  ]),
  verdict: allOf<Verdict>()(['achieved', 'partly', 'not_achieved']),
  decision: allOf<Decision>()(['keep', 'upgrade', 'reduce', 'exit']),
  cost_category: allOf<CostCategory>()([
    'dues',
    'travel',
    'staff_time',
    'officials_time',
    'hosting',
    'other',
  ]),
  ask: allOf<Ask>()([
    'technical_assistance',
    'project_partnership',
    'financing_pathway',
    'policy_exchange',
    'none',
  ]),
  meeting_result: allOf<MeetingResult>()(['pending', 'achieved', 'partly', 'not_achieved']),
  sector: allOf<Sector>()([
    'mobility',
    'water',
    'energy',
    'digitalization',
    'waste',
    'resilience',
    'housing',
    'other',
  ]),
  stage: allOf<Stage>()([
    'concept',
    'pre_feasibility',
    'feasibility',
    'bankable',
    'financing_secured',
    'implementation',
    'completed',
    'dropped',
  ]),
  outcome_kind: allOf<OutcomeKind>()(['acceleration', 'financing', 'policy_transfer']),
  instrument: allOf<Instrument>()([
    'grant',
    'concessional_loan',
    'loan',
    'guarantee',
    'equity',
    'technical_assistance',
  ]),
  source_type: allOf<SourceType>()([
    'development_bank',
    'climate_fund',
    'philanthropy',
    'national_government',
    'private',
    'network',
  ]),
  financing_status: allOf<FinancingStatus>()(['pipeline', 'committed', 'disbursed']),
  policy_instrument: allOf<PolicyInstrument>()([
    'regulation',
    'contract_model',
    'performance_metric',
    'programme',
  ]),
  classification: allOf<Classification>()([
    'strategic',
    'developing',
    'unsteered',
    'passive',
    'inactive',
  ]),
  thesis_status: allOf<ThesisStatus>()(['none', 'open', 'due_for_review', 'reviewed']),
  record_kind: RECORD_KINDS,
} as const;

export type EnumName = keyof typeof ENUMS;

/** Cost categories recorded in hours: the core's rule (generated into bindings.ts). */
export { TIME_CATEGORIES } from './bindings';
