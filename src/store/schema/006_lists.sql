-- Version 6: the orders lists open on, read from an index instead of a sort of the
-- whole kind (a coordinator's file holds millions of costs). The city's indexes gain
-- the date, so one city's list is read in order too.
DROP INDEX cost_entry_city;
CREATE INDEX cost_entry_city ON cost_entry(city_id, spent_on);
CREATE INDEX cost_entry_spent_on ON cost_entry(spent_on);
CREATE INDEX meeting_start_on ON meeting(start_on);
DROP INDEX outcome_city;
CREATE INDEX outcome_city ON outcome(city_id, occurred_on);
CREATE INDEX outcome_occurred_on ON outcome(occurred_on);
CREATE INDEX thesis_start_on ON thesis(start_on);
CREATE INDEX metric_year ON metric(year);
