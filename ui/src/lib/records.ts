// The record kinds and the values of every enum, as the core generates them
// (bindings.ts): the UI keeps no list of its own.

import type {
  Attribution,
  BudgetPlan,
  BudgetRate,
  City,
  CostEntry,
  FeeRule,
  Invoice,
  ExchangeRate,
  Meeting,
  Membership,
  Metric,
  Network,
  Outcome,
  Project,
  RecordKind,
  RoleRate,
  Thesis,
} from './bindings';
import { ENUM_VALUES } from './bindings';

/** The record type of each kind. */
export interface RecordTypes {
  city: City;
  network: Network;
  fee_rule: FeeRule;
  membership: Membership;
  invoice: Invoice;
  budget_plan: BudgetPlan;
  thesis: Thesis;
  meeting: Meeting;
  cost_entry: CostEntry;
  role_rate: RoleRate;
  exchange_rate: ExchangeRate;
  budget_rate: BudgetRate;
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

/** Every record kind, parents first (the core's order). */
export const RECORD_KINDS: readonly RecordKind[] = ENUM_VALUES.record_kind;

/** Kinds shared by every city of a file: the core's rule (generated into bindings.ts). */
export { UNSCOPED_KINDS } from './bindings';

/** The values of every enum, in the core's order (generated into bindings.ts). */
export const ENUMS = ENUM_VALUES;

export type EnumName = keyof typeof ENUMS;

/** Cost categories recorded in hours: the core's rule (generated into bindings.ts). */
export { TIME_CATEGORIES } from './bindings';
