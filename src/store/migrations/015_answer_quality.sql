-- Answer quality (DESIGN.md §4 resolution and quality flags): computed per probe from its replies by src/quality/,
-- stored by src/store/quality.ts whenever a reply or a review arrives. The statistics read three compact columns
-- beside the timeline (index-only, and packed in the month blocks, rollup format 4); the explanation lives apart.
ALTER TABLE probes ADD COLUMN resolved_at INTEGER;          -- the resolving reply's arrival; NULL: not resolved (yet)
ALTER TABLE probes ADD COLUMN resolution_rounds INTEGER;    -- human replies up to and including the resolving one
-- Bits: 1 resolution measured (the template has expect:, or a reply is marked), 2 a canned reply, 4 asked for a
-- given fact, 8 first reply not in the language asked, 16 a hand-off (src/quality/probe-quality.ts qualityFlag).
ALTER TABLE probes ADD COLUMN quality_flags INTEGER NOT NULL DEFAULT 0;

-- The explanation of each probe's figures, replaced whole at each computation.
CREATE TABLE probe_quality (
  probe_id             INTEGER PRIMARY KEY REFERENCES probes(id) ON DELETE CASCADE,
  resolved_by          TEXT CHECK (resolved_by IN ('rubric', 'mark')),
  resolved_message_id  INTEGER REFERENCES messages(id) ON DELETE SET NULL,
  human_replies        INTEGER NOT NULL,
  asked_for_given      TEXT NOT NULL DEFAULT '[]',   -- JSON list of fact names
  canned_replies       INTEGER NOT NULL,
  language_match       INTEGER,                      -- 1, 0, NULL (no human reply / nothing to read)
  handoffs             INTEGER NOT NULL,
  reasons              TEXT NOT NULL DEFAULT '[]',   -- JSON list, like a message's
  computed_at          INTEGER NOT NULL
);

-- A person's word on whether a reply resolves the question; the latest per message wins over the rubric.
CREATE TABLE resolution_marks (
  id          INTEGER PRIMARY KEY,
  message_id  INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  resolves    INTEGER NOT NULL CHECK (resolves IN (0, 1)),
  reviewer    TEXT NOT NULL,
  note        TEXT,
  created_at  INTEGER NOT NULL
);
CREATE INDEX resolution_marks_message ON resolution_marks (message_id, created_at);

-- A probe of a template with expect: is measured from the start, so one never answered counts as unresolved
-- (censored), not as absent. The vendor definition in the store lists its templates with their expect:.
CREATE TRIGGER probes_quality_measured AFTER INSERT ON probes
WHEN EXISTS (SELECT 1 FROM channels c JOIN vendors v ON v.slug = c.vendor, json_each(v.definition, '$.templates') t
             WHERE c.id = NEW.channel_id AND json_extract(t.value, '$.id') = NEW.template
               AND json_extract(t.value, '$.expect') IS NOT NULL)
BEGIN
  UPDATE probes SET quality_flags = quality_flags | 1 WHERE id = NEW.id;
END;

DROP INDEX probes_channel_sent;
CREATE INDEX probes_channel_sent ON probes (channel_id, sent_at, tier, state, deadline_at, expires_at, first_human_at, first_ack_at, first_bot_at, virtual_clock, review_since, outage_id, resolved_at, resolution_rounds, quality_flags);

DELETE FROM probe_month_rollups;
DROP TRIGGER probes_rollup_update;
CREATE TRIGGER probes_rollup_update
AFTER UPDATE OF id, channel_id, tier, state, sent_at, deadline_at, expires_at, first_human_at, first_ack_at, first_bot_at, virtual_clock, review_since, outage_id, resolved_at, resolution_rounds, quality_flags ON probes
WHEN OLD.id IS NOT NEW.id OR OLD.channel_id IS NOT NEW.channel_id OR OLD.tier IS NOT NEW.tier OR OLD.state IS NOT NEW.state
  OR OLD.sent_at IS NOT NEW.sent_at OR OLD.deadline_at IS NOT NEW.deadline_at OR OLD.expires_at IS NOT NEW.expires_at
  OR OLD.first_human_at IS NOT NEW.first_human_at OR OLD.first_ack_at IS NOT NEW.first_ack_at OR OLD.first_bot_at IS NOT NEW.first_bot_at
  OR OLD.virtual_clock IS NOT NEW.virtual_clock OR OLD.review_since IS NOT NEW.review_since OR OLD.outage_id IS NOT NEW.outage_id
  OR OLD.resolved_at IS NOT NEW.resolved_at OR OLD.resolution_rounds IS NOT NEW.resolution_rounds OR OLD.quality_flags IS NOT NEW.quality_flags
BEGIN
  DELETE FROM probe_month_rollups WHERE channel_id = OLD.channel_id AND starts_at <= OLD.sent_at AND ends_at > OLD.sent_at;
  DELETE FROM probe_month_rollups WHERE channel_id = NEW.channel_id AND starts_at <= NEW.sent_at AND ends_at > NEW.sent_at;
END;
