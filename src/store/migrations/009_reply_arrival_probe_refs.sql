-- 1. Reply instants as estimated arrivals (src/core/instant.ts): an IMAP INTERNALDATE has whole seconds, so a reply
--    stamped r arrived in [r, min(r + 1 s, detected_at)], cut at the probe's sent_at; first_*_at hold that interval's
--    midpoint. Earlier rows stored r itself, which could precede sent_at by up to a second.
UPDATE probes SET
  first_ack_at = (SELECT min(sent_at + (max(0, m.received_at - sent_at) + max(max(0, m.received_at - sent_at),
        max(m.received_at, min(m.received_at + CASE m.source WHEN 'imap' THEN 1000 ELSE 0 END, m.detected_at)) - sent_at)) / 2)
      FROM messages m WHERE m.probe_id = probes.id
        AND coalesce((SELECT r.label FROM reviews r WHERE r.message_id = m.id ORDER BY r.created_at DESC, r.id DESC LIMIT 1), m.label) IN ('auto_ack', 'out_of_office')),
  first_bot_at = (SELECT min(sent_at + (max(0, m.received_at - sent_at) + max(max(0, m.received_at - sent_at),
        max(m.received_at, min(m.received_at + CASE m.source WHEN 'imap' THEN 1000 ELSE 0 END, m.detected_at)) - sent_at)) / 2)
      FROM messages m WHERE m.probe_id = probes.id
        AND coalesce((SELECT r.label FROM reviews r WHERE r.message_id = m.id ORDER BY r.created_at DESC, r.id DESC LIMIT 1), m.label) = 'bot'),
  first_human_at = (SELECT min(sent_at + (max(0, m.received_at - sent_at) + max(max(0, m.received_at - sent_at),
        max(m.received_at, min(m.received_at + CASE m.source WHEN 'imap' THEN 1000 ELSE 0 END, m.detected_at)) - sent_at)) / 2)
      FROM messages m WHERE m.probe_id = probes.id
        AND coalesce((SELECT r.label FROM reviews r WHERE r.message_id = m.id ORDER BY r.created_at DESC, r.id DESC LIMIT 1), m.label) = 'human')
WHERE sent_at IS NOT NULL AND EXISTS (SELECT 1 FROM messages WHERE probe_id = probes.id);

UPDATE probes SET closed_at = first_human_at WHERE state = 'answered' AND first_human_at IS NOT NULL AND closed_at IS NOT first_human_at;

-- 2. Helpdesk references learned from a probe's first replies: ticket tags of subjects (`[vendor.test #3]`,
--    `[Ticket#2026010110000012]`, …) scoped to the sender's domain, and thread ids (`<RT-Ticket-3@vendor.test>`).
CREATE TABLE probe_refs (
  probe_id  INTEGER NOT NULL REFERENCES probes(id) ON DELETE CASCADE,
  kind      TEXT NOT NULL CHECK (kind IN ('subject', 'thread')),
  value     TEXT NOT NULL,
  domain    TEXT,                 -- the sender's domain the reference came from (subject tags only match mail from it)
  PRIMARY KEY (kind, value, probe_id)
);
CREATE INDEX probe_refs_probe ON probe_refs (probe_id);
