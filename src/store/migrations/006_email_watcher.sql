-- The e-mail watcher finds earlier copies of a message (after a UIDVALIDITY change) and threads replies to replies.
CREATE INDEX IF NOT EXISTS messages_raw_sha256 ON messages (mailbox, raw_sha256) WHERE raw_sha256 IS NOT NULL;
CREATE INDEX IF NOT EXISTS messages_message_id ON messages (message_id) WHERE message_id IS NOT NULL;
