-- Each e-mail reply's DKIM signatures as verified when it was received (the signer's DNS key of that day): evidence a
-- vendor cannot dispute later, even after it rotates or withdraws the key. One row per reply the watcher checked.
CREATE TABLE message_dkim (
  message_id  INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  -- pass: a signature verified; fail: a signature did not (bad body hash or signature); none: unsigned; temperror/permerror: the key could not be
  -- read or used; not_checked: only part of the message was fetched (max_message_bytes), so no body hash can match
  result      TEXT NOT NULL CHECK (result IN ('pass', 'fail', 'none', 'temperror', 'permerror', 'not_checked')),
  domain      TEXT,                 -- d= of the signature the result comes from
  selector    TEXT,                 -- s= of that signature
  signatures  TEXT NOT NULL,        -- JSON: every signature [{ domain, selector, result, comment, aligned }]
  checked_at  INTEGER NOT NULL
);
