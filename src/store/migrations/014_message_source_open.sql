-- foreign_keys: off
-- Which reply sources exist is the channel registry's word (each channel module declares its replySource), no longer
-- a CHECK here: the messages table is rebuilt without `CHECK (source IN (…))`, every column, row, index and trigger
-- kept. Foreign keys are off while it is rebuilt (dropping the old table would otherwise cascade to reviews) and
-- checked before the migration commits.
CREATE TABLE messages_rebuilt (
  id            INTEGER PRIMARY KEY,
  probe_id      INTEGER REFERENCES probes(id),   -- NULL: unmatched, kept anyway
  source        TEXT NOT NULL,                   -- a channel module's replySource: imap | chat | manual
  mailbox       TEXT,
  folder        TEXT,
  uidvalidity   INTEGER,
  uid           INTEGER,
  message_id    TEXT,
  in_reply_to   TEXT,
  subject       TEXT,
  from_addr     TEXT,
  received_at   INTEGER NOT NULL,     -- IMAP INTERNALDATE / moment the chat observer saw it
  detected_at   INTEGER NOT NULL,     -- when firstreply noticed it
  header_date   INTEGER,              -- the sender's Date: header, kept but not trusted
  raw_path      TEXT,
  raw_sha256    TEXT,
  size          INTEGER,
  headers       TEXT,                 -- JSON of selected headers
  body_text     TEXT,                 -- plain text (truncated) for review and classification
  label         TEXT NOT NULL CHECK (label IN ('human', 'auto_ack', 'out_of_office', 'bounce', 'bot', 'marketing', 'system', 'unknown')),
  confidence    REAL NOT NULL,
  reasons       TEXT NOT NULL DEFAULT '[]',
  match_method  TEXT,
  parse_error   TEXT,
  created_at    INTEGER NOT NULL,
  truncated     INTEGER NOT NULL DEFAULT 0 CHECK (truncated IN (0, 1)),
  UNIQUE (mailbox, folder, uidvalidity, uid)
);
INSERT INTO messages_rebuilt (id, probe_id, source, mailbox, folder, uidvalidity, uid, message_id, in_reply_to, subject, from_addr,
    received_at, detected_at, header_date, raw_path, raw_sha256, size, headers, body_text, label, confidence, reasons, match_method,
    parse_error, created_at, truncated)
  SELECT id, probe_id, source, mailbox, folder, uidvalidity, uid, message_id, in_reply_to, subject, from_addr,
    received_at, detected_at, header_date, raw_path, raw_sha256, size, headers, body_text, label, confidence, reasons, match_method,
    parse_error, created_at, truncated
  FROM messages;
DROP TABLE messages;
-- Legacy rename: the triggers on reviews name `messages`, absent for this one statement, and must stay as written.
PRAGMA legacy_alter_table = ON;
ALTER TABLE messages_rebuilt RENAME TO messages;
PRAGMA legacy_alter_table = OFF;

-- Indexes of 001, 004 and 006.
CREATE INDEX messages_probe ON messages (probe_id, received_at);
CREATE INDEX messages_unmatched ON messages (received_at) WHERE probe_id IS NULL;
CREATE INDEX messages_chat_text ON messages (body_text) WHERE source = 'chat';
CREATE INDEX messages_raw_sha256 ON messages (mailbox, raw_sha256) WHERE raw_sha256 IS NOT NULL;
CREATE INDEX messages_message_id ON messages (message_id) WHERE message_id IS NOT NULL;

-- The month-block triggers of 007 on messages (those on probes and reviews live on their own tables and stay).
CREATE TRIGGER messages_rollup_insert AFTER INSERT ON messages WHEN NEW.probe_id IS NOT NULL
BEGIN
  DELETE FROM probe_month_rollups
  WHERE channel_id = (SELECT channel_id FROM probes WHERE id = NEW.probe_id)
    AND starts_at <= (SELECT sent_at FROM probes WHERE id = NEW.probe_id) AND ends_at > (SELECT sent_at FROM probes WHERE id = NEW.probe_id);
END;

CREATE TRIGGER messages_rollup_delete AFTER DELETE ON messages WHEN OLD.probe_id IS NOT NULL
BEGIN
  DELETE FROM probe_month_rollups
  WHERE channel_id = (SELECT channel_id FROM probes WHERE id = OLD.probe_id)
    AND starts_at <= (SELECT sent_at FROM probes WHERE id = OLD.probe_id) AND ends_at > (SELECT sent_at FROM probes WHERE id = OLD.probe_id);
END;

CREATE TRIGGER messages_rollup_update AFTER UPDATE OF probe_id, source ON messages
WHEN OLD.probe_id IS NOT NEW.probe_id OR OLD.source IS NOT NEW.source
BEGIN
  DELETE FROM probe_month_rollups
  WHERE channel_id = (SELECT channel_id FROM probes WHERE id = OLD.probe_id)
    AND starts_at <= (SELECT sent_at FROM probes WHERE id = OLD.probe_id) AND ends_at > (SELECT sent_at FROM probes WHERE id = OLD.probe_id);
  DELETE FROM probe_month_rollups
  WHERE channel_id = (SELECT channel_id FROM probes WHERE id = NEW.probe_id)
    AND starts_at <= (SELECT sent_at FROM probes WHERE id = NEW.probe_id) AND ends_at > (SELECT sent_at FROM probes WHERE id = NEW.probe_id);
END;
