// Which thesis steers each membership today, as the core decides it (the rule
// the classification reads): the screens show that one, not a choice of their own.

import { thesesCurrent } from './api';
import { db } from './db.svelte';

class CurrentTheses {
  /** membership id → thesis id */
  byMembership = $state.raw<ReadonlyMap<string, string>>(new Map());
  private serial = 0;

  /** Asks the core again (a thesis, a city or the file changed). */
  async refresh(): Promise<void> {
    const mine = ++this.serial;
    try {
      const list = await thesesCurrent(db.cityId);
      if (mine === this.serial) {
        this.byMembership = new Map(list.map((c) => [c.membership_id, c.thesis_id]));
      }
    } catch {
      // The column stays as it was; the list itself reports the database's errors.
    }
  }
}

export const currentTheses = new CurrentTheses();
