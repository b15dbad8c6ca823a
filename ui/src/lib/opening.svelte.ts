// Opening one record from elsewhere in the app (the global search): go to the
// screen that lists its kind, where the record screen of that kind takes the
// request and opens the record's form.

import type { RecordKind } from './bindings';
import { hrefFor } from './router.svelte';
import type { ScreenId } from './screens';

/** The screen each kind's records are edited on. */
export const SCREEN_OF_KIND: Record<RecordKind, ScreenId> = {
  city: 'settings',
  network: 'networks',
  fee_rule: 'dues',
  membership: 'memberships',
  invoice: 'dues',
  budget_plan: 'budget',
  thesis: 'memberships',
  meeting: 'meetings',
  cost_entry: 'costs',
  role_rate: 'settings',
  exchange_rate: 'settings',
  budget_rate: 'budget',
  project: 'projects',
  outcome: 'outcomes',
  attribution: 'outcomes',
  metric: 'metrics',
};

export interface OpenRequest {
  kind: RecordKind;
  id: string;
}

/** A request no screen took by then is dropped (a kind whose form is not shown). */
const REQUEST_LIFETIME_MS = 5000;

class OpeningState {
  /** A record waiting for its screen to open it. */
  pending = $state<OpenRequest | null>(null);
  private askedAt = 0;

  /** Goes to the record's screen and asks it to open the record. */
  open(kind: RecordKind, id: string) {
    this.pending = { kind, id };
    this.askedAt = Date.now();
    const href = hrefFor(SCREEN_OF_KIND[kind]);
    if (typeof location !== 'undefined' && location.hash !== href) location.hash = href;
  }

  /** The request for a kind, taken (so it opens once). */
  take(kind: RecordKind): OpenRequest | null {
    const request = this.pending;
    if (!request || request.kind !== kind) return null;
    this.pending = null;
    return Date.now() - this.askedAt <= REQUEST_LIFETIME_MS ? request : null;
  }
}

export const opening = new OpeningState();
