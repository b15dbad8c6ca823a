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
-- The newest stamp of each kind, read at every open (the store's clock never steps
-- back): from the index's end instead of a scan of millions of rows.
CREATE INDEX city_updated_at ON city(updated_at);
CREATE INDEX network_updated_at ON network(updated_at);
CREATE INDEX membership_updated_at ON membership(updated_at);
CREATE INDEX thesis_updated_at ON thesis(updated_at);
CREATE INDEX meeting_updated_at ON meeting(updated_at);
CREATE INDEX cost_entry_updated_at ON cost_entry(updated_at);
CREATE INDEX role_rate_updated_at ON role_rate(updated_at);
CREATE INDEX exchange_rate_updated_at ON exchange_rate(updated_at);
CREATE INDEX project_updated_at ON project(updated_at);
CREATE INDEX outcome_updated_at ON outcome(updated_at);
CREATE INDEX attribution_updated_at ON attribution(updated_at);
CREATE INDEX metric_updated_at ON metric(updated_at);
