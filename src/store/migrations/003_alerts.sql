-- Alerts: bookkeeping for reminders, a stricter one-open-alert-per-key rule, the delivery outbox and silences.
ALTER TABLE alerts ADD COLUMN updated_at INTEGER;
ALTER TABLE alerts ADD COLUMN reminders INTEGER NOT NULL DEFAULT 0;
-- One open alert per (rule, vendor, channel): restarts and concurrent evaluations cannot open a duplicate.
CREATE UNIQUE INDEX alerts_open_rule ON alerts (rule, vendor, ifnull(channel, '')) WHERE state = 'open';
CREATE INDEX alerts_key ON alerts (vendor, channel, rule, opened_at);

-- Every notice to every target is written here first (in the transaction that opens, reminds or resolves the
-- alert) and sent later with retries, so a slow or failing notifier never holds up evaluation or probing.
CREATE TABLE alert_deliveries (
  id               INTEGER PRIMARY KEY,
  alert_id         INTEGER REFERENCES alerts(id) ON DELETE CASCADE,   -- NULL for `firstreply alerts test`
  target           TEXT NOT NULL,        -- name in settings.yaml alerts.targets
  kind             TEXT NOT NULL,        -- notifier kind
  event            TEXT NOT NULL CHECK (event IN ('opened', 'reminder', 'resolved', 'test')),
  seq              INTEGER NOT NULL DEFAULT 0,   -- reminder number
  notice           TEXT NOT NULL,        -- JSON snapshot of what is said, so retries say the same
  state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  last_error       TEXT,
  created_at       INTEGER NOT NULL,
  delivered_at     INTEGER,
  UNIQUE (alert_id, target, event, seq)
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX alert_deliveries_alert ON alert_deliveries (alert_id);

-- Silences added at run time (`firstreply alerts silence`); settings.yaml may declare more.
CREATE TABLE alert_silences (
  id          INTEGER PRIMARY KEY,
  vendor      TEXT NOT NULL,
  channel     TEXT,
  rule        TEXT,
  starts_at   INTEGER NOT NULL,
  ends_at     INTEGER NOT NULL,
  reason      TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX alert_silences_ends ON alert_silences (ends_at);
