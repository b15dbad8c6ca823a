-- Version 4: spreadsheets brought in (issue 12). Each import is recorded with the
-- records it wrote, so "Undo import" sends exactly those to the trash, and the same
-- file (by its fingerprint) imported again as the same kind adds nothing.
CREATE TABLE import_history (
  id TEXT PRIMARY KEY NOT NULL,
  imported_at INTEGER NOT NULL,
  office_id TEXT NOT NULL,
  office_name TEXT NOT NULL,
  source_file TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  sheet TEXT NOT NULL,
  kind TEXT NOT NULL,
  counts_json TEXT NOT NULL,
  record_ids_json TEXT NOT NULL,
  undone_at INTEGER
);
CREATE INDEX import_history_fingerprint ON import_history(fingerprint);
