-- Month blocks for statistics over long windows (src/store/rollups.ts): one row per channel and UTC calendar month
-- holding that month's measured probes (sent, answered, expired) packed exactly. Built lazily by the first read of a
-- month that has ended; the triggers below delete a block whenever a row it was built from changes, so no write
-- path can leave a stale one (the next read rebuilds it).
CREATE TABLE probe_month_rollups (
  channel_id   INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  month        INTEGER NOT NULL,   -- UTC calendar months since 1970-01 (0 = January 1970)
  starts_at    INTEGER NOT NULL,   -- first ms of the month; the triggers match probes by [starts_at, ends_at)
  ends_at      INTEGER NOT NULL,   -- first ms of the next month
  probes       INTEGER NOT NULL,   -- rows in the payload
  answered     INTEGER NOT NULL,   -- of which with a first human reply (when built)
  censored     INTEGER NOT NULL,   -- of which without one: censored at expiry, or still open when built
  unconfirmed  INTEGER NOT NULL,   -- their non-manual messages no person has reviewed (stats unconfirmedLabels)
  payload      BLOB NOT NULL,
  built_at     INTEGER NOT NULL,
  PRIMARY KEY (channel_id, month),
  CHECK (ends_at > starts_at AND probes = answered + censored)
) WITHOUT ROWID;

-- Probes: every column the statistics read, and the ones that place a probe in a block (channel_id, sent_at, state).
CREATE TRIGGER probes_rollup_insert AFTER INSERT ON probes WHEN NEW.sent_at IS NOT NULL
BEGIN
  DELETE FROM probe_month_rollups WHERE channel_id = NEW.channel_id AND starts_at <= NEW.sent_at AND ends_at > NEW.sent_at;
END;

CREATE TRIGGER probes_rollup_delete AFTER DELETE ON probes WHEN OLD.sent_at IS NOT NULL
BEGIN
  DELETE FROM probe_month_rollups WHERE channel_id = OLD.channel_id AND starts_at <= OLD.sent_at AND ends_at > OLD.sent_at;
END;

CREATE TRIGGER probes_rollup_update
AFTER UPDATE OF id, channel_id, tier, state, sent_at, deadline_at, expires_at, first_human_at, first_ack_at, first_bot_at, virtual_clock ON probes
WHEN OLD.id IS NOT NEW.id OR OLD.channel_id IS NOT NEW.channel_id OR OLD.tier IS NOT NEW.tier OR OLD.state IS NOT NEW.state
  OR OLD.sent_at IS NOT NEW.sent_at OR OLD.deadline_at IS NOT NEW.deadline_at OR OLD.expires_at IS NOT NEW.expires_at
  OR OLD.first_human_at IS NOT NEW.first_human_at OR OLD.first_ack_at IS NOT NEW.first_ack_at OR OLD.first_bot_at IS NOT NEW.first_bot_at
  OR OLD.virtual_clock IS NOT NEW.virtual_clock
BEGIN
  DELETE FROM probe_month_rollups WHERE channel_id = OLD.channel_id AND starts_at <= OLD.sent_at AND ends_at > OLD.sent_at;
  DELETE FROM probe_month_rollups WHERE channel_id = NEW.channel_id AND starts_at <= NEW.sent_at AND ends_at > NEW.sent_at;
END;

-- Messages and reviews: the unconfirmed count (a matched, non-manual message without a review).
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

CREATE TRIGGER reviews_rollup_insert AFTER INSERT ON reviews
BEGIN
  DELETE FROM probe_month_rollups
  WHERE channel_id = (SELECT p.channel_id FROM messages m JOIN probes p ON p.id = m.probe_id WHERE m.id = NEW.message_id)
    AND starts_at <= (SELECT p.sent_at FROM messages m JOIN probes p ON p.id = m.probe_id WHERE m.id = NEW.message_id)
    AND ends_at > (SELECT p.sent_at FROM messages m JOIN probes p ON p.id = m.probe_id WHERE m.id = NEW.message_id);
END;

CREATE TRIGGER reviews_rollup_delete AFTER DELETE ON reviews
BEGIN
  DELETE FROM probe_month_rollups
  WHERE channel_id = (SELECT p.channel_id FROM messages m JOIN probes p ON p.id = m.probe_id WHERE m.id = OLD.message_id)
    AND starts_at <= (SELECT p.sent_at FROM messages m JOIN probes p ON p.id = m.probe_id WHERE m.id = OLD.message_id)
    AND ends_at > (SELECT p.sent_at FROM messages m JOIN probes p ON p.id = m.probe_id WHERE m.id = OLD.message_id);
END;

CREATE TRIGGER reviews_rollup_update AFTER UPDATE OF message_id ON reviews WHEN OLD.message_id IS NOT NEW.message_id
BEGIN
  DELETE FROM probe_month_rollups
  WHERE channel_id = (SELECT p.channel_id FROM messages m JOIN probes p ON p.id = m.probe_id WHERE m.id = OLD.message_id)
    AND starts_at <= (SELECT p.sent_at FROM messages m JOIN probes p ON p.id = m.probe_id WHERE m.id = OLD.message_id)
    AND ends_at > (SELECT p.sent_at FROM messages m JOIN probes p ON p.id = m.probe_id WHERE m.id = OLD.message_id);
  DELETE FROM probe_month_rollups
  WHERE channel_id = (SELECT p.channel_id FROM messages m JOIN probes p ON p.id = m.probe_id WHERE m.id = NEW.message_id)
    AND starts_at <= (SELECT p.sent_at FROM messages m JOIN probes p ON p.id = m.probe_id WHERE m.id = NEW.message_id)
    AND ends_at > (SELECT p.sent_at FROM messages m JOIN probes p ON p.id = m.probe_id WHERE m.id = NEW.message_id);
END;
