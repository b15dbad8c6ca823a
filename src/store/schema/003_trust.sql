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

-- A meeting's deletion finds its costs by this index (the other references had one).
CREATE INDEX cost_entry_meeting ON cost_entry(meeting_id);

-- The trash reads only deleted rows: a partial index keeps it quick on a
-- coordinator's file of millions of records.
CREATE INDEX city_trash ON city(trashed_with) WHERE deleted = 1;
CREATE INDEX network_trash ON network(trashed_with) WHERE deleted = 1;
CREATE INDEX membership_trash ON membership(trashed_with) WHERE deleted = 1;
CREATE INDEX thesis_trash ON thesis(trashed_with) WHERE deleted = 1;
CREATE INDEX meeting_trash ON meeting(trashed_with) WHERE deleted = 1;
CREATE INDEX cost_entry_trash ON cost_entry(trashed_with) WHERE deleted = 1;
CREATE INDEX role_rate_trash ON role_rate(trashed_with) WHERE deleted = 1;
CREATE INDEX exchange_rate_trash ON exchange_rate(trashed_with) WHERE deleted = 1;
CREATE INDEX project_trash ON project(trashed_with) WHERE deleted = 1;
CREATE INDEX outcome_trash ON outcome(trashed_with) WHERE deleted = 1;
CREATE INDEX attribution_trash ON attribution(trashed_with) WHERE deleted = 1;
CREATE INDEX metric_trash ON metric(trashed_with) WHERE deleted = 1;
