-- Awaiting review (DESIGN.md §4): a probe whose earliest candidate reply (human, or unknown and not reviewed) is
-- `unknown` is neither answered nor unanswered until a person labels that reply. `review_since` holds that reply's
-- received_at (NULL otherwise); src/store/probes.ts keeps it with the timeline. Statistics leave such probes out
-- and count them apart, so the covering index and the month blocks carry the column.
ALTER TABLE probes ADD COLUMN review_since INTEGER;

UPDATE probes SET review_since = (
  SELECT CASE WHEN c.label = 'unknown' THEN c.received_at END
  FROM (SELECT m.id, m.received_at, coalesce(r.label, m.label) AS label
        FROM messages m LEFT JOIN reviews r ON r.id = (SELECT id FROM reviews WHERE message_id = m.id ORDER BY created_at DESC, id DESC LIMIT 1)
        WHERE m.probe_id = probes.id AND (coalesce(r.label, m.label) = 'human' OR (m.label = 'unknown' AND r.id IS NULL))) c
  ORDER BY c.received_at, c.label = 'unknown', c.id LIMIT 1)
WHERE id IN (SELECT probe_id FROM messages WHERE label = 'unknown' AND probe_id IS NOT NULL);

DROP INDEX probes_channel_sent;
CREATE INDEX probes_channel_sent ON probes (channel_id, sent_at, tier, state, deadline_at, expires_at, first_human_at, first_ack_at, first_bot_at, virtual_clock, review_since);
-- The review digest lists them across channels.
CREATE INDEX probes_review ON probes (review_since) WHERE review_since IS NOT NULL;

-- Blocks hold the probes that are not awaiting review, and count those apart.
ALTER TABLE probe_month_rollups ADD COLUMN awaiting INTEGER NOT NULL DEFAULT 0;
DELETE FROM probe_month_rollups;

DROP TRIGGER probes_rollup_update;
CREATE TRIGGER probes_rollup_update
AFTER UPDATE OF id, channel_id, tier, state, sent_at, deadline_at, expires_at, first_human_at, first_ack_at, first_bot_at, virtual_clock, review_since ON probes
WHEN OLD.id IS NOT NEW.id OR OLD.channel_id IS NOT NEW.channel_id OR OLD.tier IS NOT NEW.tier OR OLD.state IS NOT NEW.state
  OR OLD.sent_at IS NOT NEW.sent_at OR OLD.deadline_at IS NOT NEW.deadline_at OR OLD.expires_at IS NOT NEW.expires_at
  OR OLD.first_human_at IS NOT NEW.first_human_at OR OLD.first_ack_at IS NOT NEW.first_ack_at OR OLD.first_bot_at IS NOT NEW.first_bot_at
  OR OLD.virtual_clock IS NOT NEW.virtual_clock OR OLD.review_since IS NOT NEW.review_since
BEGIN
  DELETE FROM probe_month_rollups WHERE channel_id = OLD.channel_id AND starts_at <= OLD.sent_at AND ends_at > OLD.sent_at;
  DELETE FROM probe_month_rollups WHERE channel_id = NEW.channel_id AND starts_at <= NEW.sent_at AND ends_at > NEW.sent_at;
END;
