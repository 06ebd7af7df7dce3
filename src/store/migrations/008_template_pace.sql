-- Template memory with pace: how soon after our probe each skeleton arrived. The same text seconds after every probe
-- is a machine; the same text hours later from an agent is a person using a saved reply (canned, still human).
ALTER TABLE template_fingerprints ADD COLUMN fast_seen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE template_fingerprints ADD COLUMN paced_seen INTEGER NOT NULL DEFAULT 0;
