-- The SMTP 250 is stored before any other step (DESIGN.md §6): the evidence file and the Sent copy follow as best
-- effort, and `copies_owed` stays 1 until both are kept, so the next reconcile keeps what a crash or a failure left.
-- `sent_basis` says how sent_at was learned: 'accepted' (the 250 itself), 'sent_folder' (the Sent copy's
-- INTERNALDATE, at reconcile) or 'reply' (a send_unknown probe whose reply proved delivery: sent_at = sending_at).
ALTER TABLE probes ADD COLUMN copies_owed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE probes ADD COLUMN sent_basis TEXT CHECK (sent_basis IN ('accepted', 'sent_folder', 'reply'));
CREATE INDEX probes_copies_owed ON probes (id) WHERE copies_owed = 1;
