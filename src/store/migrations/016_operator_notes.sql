-- Operator notes shown on vendor pages and in the feed: maintenance, paused probes, method changes.
-- Notes from probes/notes/*.yaml (source 'file') are replaced at every catalog sync; those added through the admin
-- API (source 'admin') stay until removed there.
CREATE TABLE operator_notes (
  id          TEXT PRIMARY KEY,
  source      TEXT NOT NULL CHECK (source IN ('file', 'admin')),
  kind        TEXT NOT NULL,
  vendor      TEXT NOT NULL,
  channels    TEXT,                 -- JSON array of channel ids; NULL: every channel of the vendor
  from_at     INTEGER NOT NULL,
  until_at    INTEGER,              -- NULL: still in effect
  title       TEXT NOT NULL,
  text        TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL
);
CREATE INDEX operator_notes_vendor ON operator_notes (vendor, from_at);
