// Where each invoice stands today (paid, left, in arrears), as the core computes
// it: the dues screen's columns and the membership's panel read it, nothing here
// adds a payment up.

import { invoiceStandings } from './api';
import type { InvoiceStanding } from './bindings';
import { db } from './db.svelte';

class Standings {
  byInvoice = $state.raw<ReadonlyMap<string, InvoiceStanding>>(new Map());
  private serial = 0;

  /** Asks the core again (an invoice, a payment, a city or the file changed). */
  async refresh(): Promise<void> {
    const mine = ++this.serial;
    try {
      const list = await invoiceStandings(db.cityId);
      if (mine === this.serial) this.byInvoice = new Map(list.map((s) => [s.invoice_id, s]));
    } catch {
      // The columns stay as they were; the list itself reports the database's errors.
    }
  }

  ofMembership(membershipId: string): InvoiceStanding[] {
    return [...this.byInvoice.values()].filter((s) => s.membership_id === membershipId);
  }
}

export const standings = new Standings();
