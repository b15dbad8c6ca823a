-- Version 6: the orders lists open on, read from an index instead of a sort of the
-- whole kind (a coordinator's file holds millions of costs). Partial indexes of the
-- live records: a page and its count are read from the index alone.
CREATE INDEX cost_entry_live_spent_on ON cost_entry(spent_on) WHERE deleted = 0;
CREATE INDEX cost_entry_live_city_spent_on ON cost_entry(city_id, spent_on) WHERE deleted = 0;
-- Largest first reads the index backwards (no amount last); smallest first, the
-- records with an amount first.
CREATE INDEX cost_entry_live_amount ON cost_entry(amount_minor) WHERE deleted = 0;
CREATE INDEX cost_entry_live_amount_first ON cost_entry(amount_minor IS NULL, amount_minor) WHERE deleted = 0;
CREATE INDEX meeting_live_start_on ON meeting(start_on) WHERE deleted = 0;
CREATE INDEX outcome_live_occurred_on ON outcome(occurred_on) WHERE deleted = 0;
CREATE INDEX outcome_live_city_occurred_on ON outcome(city_id, occurred_on) WHERE deleted = 0;
CREATE INDEX thesis_live_start_on ON thesis(start_on) WHERE deleted = 0;
CREATE INDEX metric_live_year ON metric(year) WHERE deleted = 0;
