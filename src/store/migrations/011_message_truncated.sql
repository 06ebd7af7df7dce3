-- A message larger than the mailbox's max_message_bytes is fetched and kept only up to that size (the rest stays on
-- the server); `truncated` = 1 says so. Subjects and header JSON are cut by the watcher before they are stored.
ALTER TABLE messages ADD COLUMN truncated INTEGER NOT NULL DEFAULT 0 CHECK (truncated IN (0, 1));
