-- Version 7: the budget cycle. A network's dated fee rules, a membership's dues
-- invoices (their payments are the dues costs that name them), its budget plan for a
-- fiscal year, the rates the office fixes for that year's budget, the country income
-- group some dues tables follow, and the repayment terms a loan's grant element needs.
CREATE TABLE fee_rule (
  id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL, deleted BOOLEAN NOT NULL DEFAULT 0, trashed_with TEXT,
  network_id TEXT NOT NULL REFERENCES network(id),
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  basis TEXT NOT NULL,
  currency TEXT,
  amount_minor INTEGER,
  per_resident REAL,
  min_minor INTEGER,
  max_minor INTEGER,
  population_from INTEGER,
  population_to INTEGER,
  low_minor INTEGER,
  lower_middle_minor INTEGER,
  upper_middle_minor INTEGER,
  high_minor INTEGER,
  source TEXT NOT NULL,
  notes TEXT
);
CREATE INDEX fee_rule_network ON fee_rule(network_id);
CREATE INDEX fee_rule_trash ON fee_rule(trashed_with) WHERE deleted = 1;
CREATE INDEX fee_rule_updated_at ON fee_rule(updated_at);

CREATE TABLE invoice (
  id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL, deleted BOOLEAN NOT NULL DEFAULT 0, trashed_with TEXT,
  membership_id TEXT NOT NULL REFERENCES membership(id),
  year INTEGER NOT NULL,
  amount_minor INTEGER NOT NULL,
  currency TEXT NOT NULL,
  issued_on TEXT,
  due_on TEXT NOT NULL,
  waived BOOLEAN NOT NULL DEFAULT 0,
  reference TEXT,
  notes TEXT
);
CREATE INDEX invoice_membership ON invoice(membership_id);
CREATE INDEX invoice_trash ON invoice(trashed_with) WHERE deleted = 1;
CREATE INDEX invoice_updated_at ON invoice(updated_at);

CREATE TABLE budget_plan (
  id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL, deleted BOOLEAN NOT NULL DEFAULT 0, trashed_with TEXT,
  membership_id TEXT NOT NULL REFERENCES membership(id),
  fiscal_year INTEGER NOT NULL,
  trips INTEGER,
  travellers INTEGER,
  days REAL,
  fare_minor INTEGER,
  daily_minor INTEGER,
  travel_currency TEXT,
  staff_hours REAL,
  staff_role TEXT,
  officials_hours REAL,
  officials_role TEXT,
  decision TEXT,
  justification TEXT,
  notes TEXT
);
CREATE INDEX budget_plan_membership ON budget_plan(membership_id, fiscal_year);
CREATE INDEX budget_plan_trash ON budget_plan(trashed_with) WHERE deleted = 1;
CREATE INDEX budget_plan_updated_at ON budget_plan(updated_at);

CREATE TABLE budget_rate (
  id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL, deleted BOOLEAN NOT NULL DEFAULT 0, trashed_with TEXT,
  fiscal_year INTEGER NOT NULL,
  currency TEXT NOT NULL,
  quote_currency TEXT NOT NULL,
  rate REAL NOT NULL,
  source TEXT
);
CREATE INDEX budget_rate_year ON budget_rate(fiscal_year);
CREATE INDEX budget_rate_trash ON budget_rate(trashed_with) WHERE deleted = 1;
CREATE INDEX budget_rate_updated_at ON budget_rate(updated_at);

ALTER TABLE city ADD COLUMN income_group TEXT;
ALTER TABLE cost_entry ADD COLUMN invoice_id TEXT REFERENCES invoice(id);
ALTER TABLE cost_entry ADD COLUMN reference TEXT;
-- An invoice's payments are found by this index.
CREATE INDEX cost_entry_invoice ON cost_entry(invoice_id) WHERE invoice_id IS NOT NULL;
ALTER TABLE outcome ADD COLUMN repayment_profile TEXT;
ALTER TABLE outcome ADD COLUMN payments_per_year INTEGER;
