-- Our own outages (DESIGN.md §6): a mailbox we could not read for longer than its down_after. While it lasted we
-- could not observe replies, so the probes whose first-response outcome was decided inside it are left out of the
-- vendor's figures and of the SLA breach rule. `probes.outage_id` names that outage; the triggers below keep it in
-- step with both the outages and the probes' timelines, whatever writes them.
CREATE TABLE mailbox_outages (
  id          INTEGER PRIMARY KEY,
  mailbox     TEXT NOT NULL,       -- a key of settings.yaml mailboxes
  started_at  INTEGER NOT NULL,    -- the first failed connection (or the loss of the last good one)
  ended_at    INTEGER,             -- the next good connection; NULL while it lasts
  code        TEXT NOT NULL,       -- stable cause: TLS_PLAIN_PORT, REFUSED, NOT_FOUND, AUTH, TIMEOUT, …
  cause       TEXT NOT NULL,       -- the cause in words, as the operator's alert says it
  detail      TEXT,                -- the last raw error
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX mailbox_outages_mailbox ON mailbox_outages (mailbox, started_at);
CREATE UNIQUE INDEX mailbox_outages_open ON mailbox_outages (mailbox) WHERE ended_at IS NULL;

-- The outage that hid a probe's outcome: one overlapping [sent_at, decided], where decided is its first human reply
-- when that came by the deadline, else the deadline (expiry when it has none).
ALTER TABLE probes ADD COLUMN outage_id INTEGER REFERENCES mailbox_outages(id);

CREATE VIEW probe_outage AS
SELECT p.id AS probe_id, (
  SELECT o.id FROM mailbox_outages o
  WHERE o.mailbox = json_extract(c.definition, '$.mailbox')
    AND o.started_at <= CASE WHEN p.first_human_at IS NOT NULL AND p.first_human_at <= coalesce(p.deadline_at, p.expires_at, p.first_human_at)
                             THEN p.first_human_at ELSE coalesce(p.deadline_at, p.expires_at, p.sent_at) END
    AND (o.ended_at IS NULL OR o.ended_at > p.sent_at)
  ORDER BY o.started_at, o.id LIMIT 1) AS outage_id
FROM probes p JOIN channels c ON c.id = p.channel_id
WHERE p.sent_at IS NOT NULL;

CREATE TRIGGER probes_outage_timeline
AFTER UPDATE OF channel_id, sent_at, deadline_at, expires_at, first_human_at ON probes
WHEN EXISTS (SELECT 1 FROM mailbox_outages) OR NEW.outage_id IS NOT NULL
BEGIN
  UPDATE probes SET outage_id = (SELECT outage_id FROM probe_outage WHERE probe_id = NEW.id) WHERE id = NEW.id;
END;

CREATE TRIGGER probes_outage_insert AFTER INSERT ON probes
WHEN NEW.sent_at IS NOT NULL AND EXISTS (SELECT 1 FROM mailbox_outages)
BEGIN
  UPDATE probes SET outage_id = (SELECT outage_id FROM probe_outage WHERE probe_id = NEW.id) WHERE id = NEW.id;
END;

-- An outage that opens, ends or moves re-judges the probes of the channels replying to its mailbox.
CREATE TRIGGER mailbox_outages_insert AFTER INSERT ON mailbox_outages
BEGIN
  UPDATE probes SET outage_id = (SELECT outage_id FROM probe_outage WHERE probe_id = probes.id)
  WHERE sent_at IS NOT NULL AND coalesce(NEW.ended_at, sent_at + 1) > sent_at
    AND channel_id IN (SELECT id FROM channels WHERE json_extract(definition, '$.mailbox') = NEW.mailbox);
END;

CREATE TRIGGER mailbox_outages_update AFTER UPDATE OF mailbox, started_at, ended_at ON mailbox_outages
BEGIN
  UPDATE probes SET outage_id = (SELECT outage_id FROM probe_outage WHERE probe_id = probes.id)
  WHERE sent_at IS NOT NULL
    AND channel_id IN (SELECT id FROM channels WHERE json_extract(definition, '$.mailbox') IN (OLD.mailbox, NEW.mailbox));
END;

-- Statistics read outage_id beside review_since, index-only.
DROP INDEX probes_channel_sent;
CREATE INDEX probes_channel_sent ON probes (channel_id, sent_at, tier, state, deadline_at, expires_at, first_human_at, first_ack_at, first_bot_at, virtual_clock, review_since, outage_id);

-- Month blocks hold neither probes awaiting review nor probes hidden by an outage (rollup format 3).
DELETE FROM probe_month_rollups;
DROP TRIGGER probes_rollup_update;
CREATE TRIGGER probes_rollup_update
AFTER UPDATE OF id, channel_id, tier, state, sent_at, deadline_at, expires_at, first_human_at, first_ack_at, first_bot_at, virtual_clock, review_since, outage_id ON probes
WHEN OLD.id IS NOT NEW.id OR OLD.channel_id IS NOT NEW.channel_id OR OLD.tier IS NOT NEW.tier OR OLD.state IS NOT NEW.state
  OR OLD.sent_at IS NOT NEW.sent_at OR OLD.deadline_at IS NOT NEW.deadline_at OR OLD.expires_at IS NOT NEW.expires_at
  OR OLD.first_human_at IS NOT NEW.first_human_at OR OLD.first_ack_at IS NOT NEW.first_ack_at OR OLD.first_bot_at IS NOT NEW.first_bot_at
  OR OLD.virtual_clock IS NOT NEW.virtual_clock OR OLD.review_since IS NOT NEW.review_since OR OLD.outage_id IS NOT NEW.outage_id
BEGIN
  DELETE FROM probe_month_rollups WHERE channel_id = OLD.channel_id AND starts_at <= OLD.sent_at AND ends_at > OLD.sent_at;
  DELETE FROM probe_month_rollups WHERE channel_id = NEW.channel_id AND starts_at <= NEW.sent_at AND ends_at > NEW.sent_at;
END;
