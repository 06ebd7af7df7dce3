// Queries of scheduler_state: each scheduled channel's next due time, persisted so a restart resumes it.
import type { Db } from './db.ts';
import type { Clock } from '../core/clock.ts';

interface SchedulerStateRow {
  channel_id: number;
  schedule: string;
  next_due_at: number;
  last_due_at: number | null;
  last_probe_id: number | null;
  last_outcome: string | null;
  slots: number;
  updated_at: number;
}

interface SchedulerStateUpdate {
  channelId: number;
  schedule: string;
  nextDueAt: number;
  lastDueAt: number | null;
  lastProbeId: number | null;
  lastOutcome: string | null;
  slots: number;
}

export function schedulerStateQueries(db: Db, clock: Clock) {
  const get = db.prepare<[number], SchedulerStateRow>('SELECT * FROM scheduler_state WHERE channel_id = ?');
  const all = db.prepare<[], SchedulerStateRow>('SELECT * FROM scheduler_state ORDER BY channel_id');
  const upsert = db.prepare(`INSERT INTO scheduler_state (channel_id, schedule, next_due_at, last_due_at, last_probe_id, last_outcome, slots, updated_at)
    VALUES (@channelId, @schedule, @nextDueAt, @lastDueAt, @lastProbeId, @lastOutcome, @slots, @now)
    ON CONFLICT (channel_id) DO UPDATE SET schedule = excluded.schedule, next_due_at = excluded.next_due_at, last_due_at = excluded.last_due_at,
      last_probe_id = excluded.last_probe_id, last_outcome = excluded.last_outcome, slots = excluded.slots, updated_at = excluded.updated_at`);
  return {
    get: (channelId: number) => get.get(channelId),
    all: () => all.all(),
    save(update: SchedulerStateUpdate): void {
      upsert.run({ ...update, now: clock.now() });
    },
  };
}
