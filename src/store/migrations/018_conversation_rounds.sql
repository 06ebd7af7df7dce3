-- Conversation rounds (DESIGN.md §3): our scripted follow-up answering an agent's question in the probe's thread, and
-- the vendor's reply to it. Round 1 is the probe and its first reply; a follow-up opens round 2, 3… up to max_rounds.
-- The row is written (`sending`) before the channel acts and is unique per question, so a restart never answers twice.
CREATE TABLE conversation_rounds (
  id                   INTEGER PRIMARY KEY,
  probe_id             INTEGER NOT NULL REFERENCES probes(id) ON DELETE CASCADE,
  round                INTEGER NOT NULL,                    -- the round this follow-up opens (2 = our first)
  question_message_id  INTEGER NOT NULL UNIQUE REFERENCES messages(id) ON DELETE CASCADE,
  intents              TEXT NOT NULL DEFAULT '[]',          -- JSON list of the follow_ups intents answered
  state                TEXT NOT NULL CHECK (state IN ('waiting', 'sending', 'sent', 'send_failed', 'send_unknown', 'refused')),
  reason               TEXT,                                -- why refused, failed or waiting
  message_id           TEXT UNIQUE,                         -- our follow-up's Message-ID (threading, Sent-folder look-up)
  to_addr              TEXT,
  subject              TEXT,
  body                 TEXT,
  asked_at             INTEGER NOT NULL,                    -- the question's received_at
  decided_at           INTEGER NOT NULL,                    -- when the round was decided (written before any send)
  due_at               INTEGER,                             -- waiting: not before (the vendor's min_interval)
  sending_at           INTEGER,
  sent_at              INTEGER,                             -- the channel's acceptance (e-mail: the SMTP 250)
  reply_message_id     INTEGER REFERENCES messages(id) ON DELETE SET NULL,
  reply_at             INTEGER                              -- the vendor's next human reply's received_at
);
CREATE INDEX conversation_rounds_probe ON conversation_rounds (probe_id, round);
-- Rate caps count follow-ups by the time they were sent or tried.
CREATE INDEX conversation_rounds_sending ON conversation_rounds (sending_at) WHERE sending_at IS NOT NULL;
CREATE INDEX conversation_rounds_open ON conversation_rounds (state) WHERE state IN ('waiting', 'sending');
