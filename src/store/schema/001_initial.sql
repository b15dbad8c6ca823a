-- Cabildo schema, version 1.
-- Every record table carries the same five columns first (id, created_at, updated_at,
-- updated_by, deleted) so one generic store path can insert, update, tombstone, restore
-- and merge any kind. Declared types drive the store's JSON <-> SQL mapping:
-- TEXT, INTEGER, REAL, BOOLEAN (0/1).

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE city (
  id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL, deleted BOOLEAN NOT NULL DEFAULT 0,
  name TEXT NOT NULL,
  country TEXT NOT NULL,
  population INTEGER,
  population_year INTEGER,
  latitude REAL,
  longitude REAL
);

CREATE TABLE network (
  id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL, deleted BOOLEAN NOT NULL DEFAULT 0,
  name TEXT NOT NULL,
  acronym TEXT NOT NULL,
  founded_year INTEGER,
  headquarters TEXT,
  scope TEXT NOT NULL,
  focus TEXT,
  member_count TEXT,
  fee_model TEXT,
  website TEXT,
  source TEXT,
  as_of TEXT
);

CREATE TABLE membership (
  id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL, deleted BOOLEAN NOT NULL DEFAULT 0,
  city_id TEXT NOT NULL REFERENCES city(id),
  network_id TEXT NOT NULL REFERENCES network(id),
  joined_on TEXT,
  ended_on TEXT,
  status TEXT NOT NULL,
  role TEXT NOT NULL,
  focal_point TEXT,
  renewal_on TEXT,
  dues_minor INTEGER,
  dues_currency TEXT,
  core BOOLEAN NOT NULL DEFAULT 0,
  notes TEXT
);
CREATE INDEX membership_city ON membership(city_id);
CREATE INDEX membership_network ON membership(network_id);

CREATE TABLE thesis (
  id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL, deleted BOOLEAN NOT NULL DEFAULT 0,
  membership_id TEXT NOT NULL REFERENCES membership(id),
  statement TEXT NOT NULL,
  start_on TEXT NOT NULL,
  horizon_on TEXT NOT NULL,
  review_on TEXT,
  verdict TEXT,
  decision TEXT,
  reviewed_on TEXT
);
CREATE INDEX thesis_membership ON thesis(membership_id);

CREATE TABLE meeting (
  id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL, deleted BOOLEAN NOT NULL DEFAULT 0,
  membership_id TEXT NOT NULL REFERENCES membership(id),
  title TEXT NOT NULL,
  start_on TEXT NOT NULL,
  end_on TEXT,
  place TEXT,
  attendees TEXT,
  ask TEXT NOT NULL,
  counterpart TEXT,
  result TEXT NOT NULL,
  follow_up TEXT,
  follow_up_due TEXT
);
CREATE INDEX meeting_membership ON meeting(membership_id);

CREATE TABLE cost_entry (
  id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL, deleted BOOLEAN NOT NULL DEFAULT 0,
  city_id TEXT NOT NULL REFERENCES city(id),
  membership_id TEXT REFERENCES membership(id),
  meeting_id TEXT REFERENCES meeting(id),
  spent_on TEXT NOT NULL,
  category TEXT NOT NULL,
  amount_minor INTEGER,
  currency TEXT,
  hours REAL,
  role TEXT,
  description TEXT
);
CREATE INDEX cost_entry_membership ON cost_entry(membership_id);
CREATE INDEX cost_entry_city ON cost_entry(city_id);

CREATE TABLE role_rate (
  id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL, deleted BOOLEAN NOT NULL DEFAULT 0,
  role TEXT NOT NULL,
  hourly_minor INTEGER NOT NULL,
  currency TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT
);

CREATE TABLE exchange_rate (
  id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL, deleted BOOLEAN NOT NULL DEFAULT 0,
  on_date TEXT NOT NULL,
  currency TEXT NOT NULL,
  rate REAL NOT NULL
);

CREATE TABLE project (
  id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL, deleted BOOLEAN NOT NULL DEFAULT 0,
  city_id TEXT NOT NULL REFERENCES city(id),
  name TEXT NOT NULL,
  sector TEXT NOT NULL,
  stage TEXT NOT NULL,
  capex_minor INTEGER,
  capex_currency TEXT,
  start_on TEXT,
  baseline_months INTEGER,
  actual_months INTEGER,
  notes TEXT
);
CREATE INDEX project_city ON project(city_id);

CREATE TABLE outcome (
  id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL, deleted BOOLEAN NOT NULL DEFAULT 0,
  city_id TEXT NOT NULL REFERENCES city(id),
  kind TEXT NOT NULL,
  occurred_on TEXT NOT NULL,
  description TEXT NOT NULL,
  evidence TEXT,
  project_id TEXT REFERENCES project(id),
  months_saved REAL,
  amount_minor INTEGER,
  currency TEXT,
  instrument TEXT,
  source_type TEXT,
  source_name TEXT,
  interest_rate REAL,
  tenor_years REAL,
  grace_years REAL,
  financing_status TEXT,
  committed_minor INTEGER,
  disbursed_minor INTEGER,
  policy_instrument TEXT,
  source_peer TEXT,
  adopted_on TEXT
);
CREATE INDEX outcome_city ON outcome(city_id);
CREATE INDEX outcome_project ON outcome(project_id);

CREATE TABLE attribution (
  id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL, deleted BOOLEAN NOT NULL DEFAULT 0,
  outcome_id TEXT NOT NULL REFERENCES outcome(id),
  membership_id TEXT NOT NULL REFERENCES membership(id),
  share_bp INTEGER NOT NULL
);
CREATE INDEX attribution_outcome ON attribution(outcome_id);
CREATE INDEX attribution_membership ON attribution(membership_id);

CREATE TABLE metric (
  id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL, deleted BOOLEAN NOT NULL DEFAULT 0,
  city_id TEXT NOT NULL REFERENCES city(id),
  year INTEGER NOT NULL,
  name TEXT NOT NULL,
  value REAL,
  value_text TEXT,
  unit TEXT,
  source TEXT
);
CREATE INDEX metric_city ON metric(city_id);
