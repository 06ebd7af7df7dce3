-- Template fingerprints: text skeletons seen from each vendor, so a repeated automatic reply is recognised as one.
CREATE TABLE IF NOT EXISTS template_fingerprints (
  vendor         TEXT NOT NULL,
  fingerprint    TEXT NOT NULL,
  seen           INTEGER NOT NULL DEFAULT 1,
  first_seen_at  INTEGER NOT NULL,
  last_seen_at   INTEGER NOT NULL,
  last_label     TEXT NOT NULL,
  -- 1 when a person confirmed a message with this skeleton as written by a person (agents' macros): not a template
  confirmed_human INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (vendor, fingerprint)
);
