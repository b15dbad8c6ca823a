-- Version 3: figures a council can trust.
-- An exchange rate names both its currencies: "1 <currency> = <rate> <quote_currency>".
-- Until now a rate meant "value in the office's base currency", which was the
-- reporting currency of the file that held it; that base becomes the quote.
ALTER TABLE exchange_rate ADD COLUMN quote_currency TEXT NOT NULL DEFAULT '';
UPDATE exchange_rate SET quote_currency = COALESCE(
  (SELECT value FROM settings WHERE key = 'reporting_currency'), 'MXN');
ALTER TABLE exchange_rate ADD COLUMN source TEXT;
DROP INDEX exchange_rate_currency;
CREATE INDEX exchange_rate_pair ON exchange_rate(currency, quote_currency, on_date);

-- Records that went to the trash with another (a membership's costs, meetings…)
-- name it, so they come back together with it, and only they do.
ALTER TABLE city ADD COLUMN trashed_with TEXT;
ALTER TABLE network ADD COLUMN trashed_with TEXT;
ALTER TABLE membership ADD COLUMN trashed_with TEXT;
ALTER TABLE thesis ADD COLUMN trashed_with TEXT;
ALTER TABLE meeting ADD COLUMN trashed_with TEXT;
ALTER TABLE cost_entry ADD COLUMN trashed_with TEXT;
ALTER TABLE role_rate ADD COLUMN trashed_with TEXT;
ALTER TABLE exchange_rate ADD COLUMN trashed_with TEXT;
ALTER TABLE project ADD COLUMN trashed_with TEXT;
ALTER TABLE outcome ADD COLUMN trashed_with TEXT;
ALTER TABLE attribution ADD COLUMN trashed_with TEXT;
ALTER TABLE metric ADD COLUMN trashed_with TEXT;
