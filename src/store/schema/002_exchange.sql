-- Version 2: what sharing between offices needs. Imported public data keeps the
-- publisher's identifier so a re-import matches the same city; merges are recorded.
ALTER TABLE city ADD COLUMN region TEXT;
ALTER TABLE city ADD COLUMN cdp_account INTEGER;
CREATE INDEX exchange_rate_currency ON exchange_rate(currency, on_date);
CREATE INDEX role_rate_role ON role_rate(role, valid_from);

CREATE TABLE merge_history (
  id TEXT PRIMARY KEY,
  merged_at INTEGER NOT NULL,
  from_office_id TEXT NOT NULL,
  from_office_name TEXT NOT NULL,
  source_file TEXT NOT NULL,
  counts_json TEXT NOT NULL
);

-- The losing side of a merge conflict, kept so it can be reviewed and restored.
CREATE TABLE conflict_log (
  id TEXT PRIMARY KEY,
  merge_id TEXT NOT NULL REFERENCES merge_history(id),
  kind TEXT NOT NULL,
  record_id TEXT NOT NULL,
  losing_json TEXT NOT NULL,
  winning_json TEXT NOT NULL,
  resolved BOOLEAN NOT NULL DEFAULT 0
);
