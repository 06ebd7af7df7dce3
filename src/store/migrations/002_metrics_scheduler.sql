-- Statistics read probes by channel and send time (a covering index: no table lookups), and the scheduler persists due times.
CREATE INDEX probes_channel_sent ON probes (channel_id, sent_at, tier, state, deadline_at, expires_at, first_human_at, first_ack_at, first_bot_at, virtual_clock);

CREATE TABLE scheduler_state (
  channel_id     INTEGER PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
  schedule       TEXT NOT NULL,          -- the schedule the due time was computed from (JSON); a change recomputes it
  next_due_at    INTEGER NOT NULL,
  last_due_at    INTEGER,
  last_probe_id  INTEGER REFERENCES probes(id),
  last_outcome   TEXT,                   -- planned | rate_capped | no_template | failed: why the last slot did or did not probe
  slots          INTEGER NOT NULL DEFAULT 0,
  updated_at     INTEGER NOT NULL
);
