-- The tables of DESIGN.md §3. Times are INTEGER ms since the epoch, UTC.
CREATE TABLE vendors (
  slug        TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  visibility  TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
  timezone    TEXT NOT NULL,
  definition  TEXT NOT NULL,            -- the validated vendor as JSON (without secrets' values)
  paused      INTEGER NOT NULL DEFAULT 0,
  updated_at  INTEGER NOT NULL
);

CREATE TABLE channels (
  id          INTEGER PRIMARY KEY,
  vendor      TEXT NOT NULL REFERENCES vendors(slug) ON DELETE CASCADE,
  channel     TEXT NOT NULL,            -- the channel id inside the vendor file
  kind        TEXT NOT NULL,
  definition  TEXT NOT NULL,
  updated_at  INTEGER NOT NULL,
  UNIQUE (vendor, channel)
);

CREATE TABLE probes (
  id              INTEGER PRIMARY KEY,
  token           TEXT NOT NULL UNIQUE,
  channel_id      INTEGER NOT NULL REFERENCES channels(id),
  template        TEXT NOT NULL,
  tier            TEXT NOT NULL CHECK (tier IN ('P0', 'P1', 'P2', 'P3')),
  language        TEXT NOT NULL DEFAULT 'en',
  state           TEXT NOT NULL CHECK (state IN ('scheduled', 'sending', 'sent', 'answered', 'expired', 'send_failed', 'send_unknown')),
  message_id      TEXT,                 -- our outgoing Message-ID (e-mail) or a channel reference
  ticket_ref      TEXT,                 -- ticket number captured from a confirmation, if any
  scheduled_at    INTEGER NOT NULL,
  sending_at      INTEGER,
  sent_at         INTEGER,
  deadline_at     INTEGER,              -- first-response SLA deadline
  expires_at      INTEGER,              -- censoring point when no human replies
  first_ack_at    INTEGER,
  first_bot_at    INTEGER,
  first_human_at  INTEGER,
  closed_at       INTEGER,
  attempts        INTEGER NOT NULL DEFAULT 0,
  error_code      TEXT,
  error_text      TEXT,
  evidence        TEXT NOT NULL DEFAULT '[]',   -- JSON list of evidence file paths
  virtual_clock   INTEGER NOT NULL DEFAULT 0,   -- 1 when made on a simulated clock (labelled as such)
  created_at      INTEGER NOT NULL
);
CREATE INDEX probes_channel_scheduled ON probes (channel_id, scheduled_at);
CREATE INDEX probes_open ON probes (state) WHERE state IN ('scheduled', 'sending', 'sent');
CREATE INDEX probes_message_id ON probes (message_id);
CREATE INDEX probes_ticket_ref ON probes (ticket_ref) WHERE ticket_ref IS NOT NULL;

CREATE TABLE messages (
  id            INTEGER PRIMARY KEY,
  probe_id      INTEGER REFERENCES probes(id),   -- NULL: unmatched, kept anyway
  source        TEXT NOT NULL CHECK (source IN ('imap', 'chat', 'manual')),
  mailbox       TEXT,
  folder        TEXT,
  uidvalidity   INTEGER,
  uid           INTEGER,
  message_id    TEXT,
  in_reply_to   TEXT,
  subject       TEXT,
  from_addr     TEXT,
  received_at   INTEGER NOT NULL,     -- IMAP INTERNALDATE / moment the chat observer saw it
  detected_at   INTEGER NOT NULL,     -- when firstreply noticed it
  header_date   INTEGER,              -- the sender's Date: header, kept but not trusted
  raw_path      TEXT,
  raw_sha256    TEXT,
  size          INTEGER,
  headers       TEXT,                 -- JSON of selected headers
  body_text     TEXT,                 -- plain text (truncated) for review and classification
  label         TEXT NOT NULL CHECK (label IN ('human', 'auto_ack', 'out_of_office', 'bounce', 'bot', 'marketing', 'system', 'unknown')),
  confidence    REAL NOT NULL,
  reasons       TEXT NOT NULL DEFAULT '[]',
  match_method  TEXT,
  parse_error   TEXT,
  created_at    INTEGER NOT NULL,
  UNIQUE (mailbox, folder, uidvalidity, uid)
);
CREATE INDEX messages_probe ON messages (probe_id, received_at);
CREATE INDEX messages_unmatched ON messages (received_at) WHERE probe_id IS NULL;

CREATE TABLE mailbox_state (
  mailbox      TEXT NOT NULL,
  folder       TEXT NOT NULL,
  uidvalidity  INTEGER NOT NULL,
  last_uid     INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (mailbox, folder)
);

CREATE TABLE reviews (
  id          INTEGER PRIMARY KEY,
  message_id  INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  label       TEXT NOT NULL,
  reviewer    TEXT NOT NULL,
  note        TEXT,
  created_at  INTEGER NOT NULL
);
CREATE INDEX reviews_message ON reviews (message_id, created_at);

CREATE TABLE alerts (
  id                INTEGER PRIMARY KEY,
  rule              TEXT NOT NULL,
  vendor            TEXT NOT NULL,
  channel           TEXT,
  state             TEXT NOT NULL CHECK (state IN ('open', 'resolved')),
  severity          TEXT NOT NULL DEFAULT 'warning',
  audience          TEXT NOT NULL DEFAULT 'subscriber' CHECK (audience IN ('subscriber', 'operator')),
  summary           TEXT NOT NULL,
  details           TEXT NOT NULL DEFAULT '{}',
  probe_id          INTEGER REFERENCES probes(id),
  opened_at         INTEGER NOT NULL,
  resolved_at       INTEGER,
  last_notified_at  INTEGER
);
CREATE UNIQUE INDEX alerts_open_key ON alerts (rule, vendor, ifnull(channel, ''), ifnull(probe_id, 0)) WHERE state = 'open';
CREATE INDEX alerts_opened ON alerts (opened_at);
