-- Version 5: the mapping of an imported sheet, saved by the shape of its header (the
-- kind and its folded headers in order, hashed), so next year's workbook of the same
-- shape maps itself. Office-local knowledge: never merged.
CREATE TABLE import_mapping (
  shape TEXT PRIMARY KEY NOT NULL,
  kind TEXT NOT NULL,
  headers_json TEXT NOT NULL,
  mapping_json TEXT NOT NULL,
  values_json TEXT NOT NULL,
  saved_at INTEGER NOT NULL
);
