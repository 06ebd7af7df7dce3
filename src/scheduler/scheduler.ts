// The scheduler: plans each channel's probes at persisted due times (cron, every, per-week spread with jitter) and sends them.
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import { ProbeError } from '../core/errors.ts';
import type { Catalog, ChannelDef, Schedule, Vendor } from '../config/schema.ts';
import type { Store } from '../store/db.ts';
import type { ProbeRunner } from '../runner/probe-runner.ts';
import { calendarOf } from '../metrics/sla.ts';
import { nextSlot, nominalIntervalMs, phaseOf, type SlotContext } from './slots.ts';

interface SchedulerDeps {
  store: Store;
  catalog: Catalog;
  runner: ProbeRunner;
  clock: Clock;
  logger: Logger;
  /** 0..1 random numbers for jitter (default Math.random); tests pass a seeded one. */
  random?: () => number;
  /** node-cron expression of the heartbeat that calls tick() after start() (default: every second). */
  heartbeat?: string;
  /**
   * Why a channel must not send now (e.g. "mailbox_down:default": the mailbox its replies go to cannot be read), or
   * null. Its due slots pass as held and its planned probes wait; nothing is sent that we could not observe.
   */
  held?: (vendor: Vendor, channel: ChannelDef) => string | null;
}

export interface Scheduler {
  start(): void;
  stop(): Promise<void>;
  /** Plans and sends every probe due now, resumes planned-but-unsent ones, censors expired ones. */
  tick(): Promise<void>;
  /** The earliest persisted due time (null when nothing is scheduled): a simulation advances its clock to it. */
  nextDueAt(): number | null;
}

interface Entry {
  vendor: Vendor;
  channel: ChannelDef & { schedule: Schedule };
  channelId: number;
  key: string;
  ctx: SlotContext;
}

export function createScheduler(deps: SchedulerDeps): Scheduler {
  const { store, catalog, runner, clock, logger } = deps;
  const random = deps.random ?? Math.random;
  const inFlight = new Map<number, Promise<unknown>>();
  let task: ScheduledTask | undefined;
  let ticking: Promise<void> | undefined;
  let stopped = false;

  const entries = (): Entry[] => {
    const out: Entry[] = [];
    for (const vendor of catalog.vendors) {
      for (const channel of vendor.channels) {
        const schedule = channel.schedule;
        // Kinds a person observes (`firstreply record`) have nothing to send on a schedule.
        if (!schedule || !channel.enabled || !runner.channels[channel.kind].scheduled) continue;
        const row = store.vendors.channel(vendor.slug, channel.id);
        if (!row) continue;
        out.push({
          vendor,
          channel: { ...channel, schedule },
          channelId: row.id,
          key: JSON.stringify(schedule),
          ctx: { timezone: vendor.timezone, calendar: calendarOf(vendor), phase: phaseOf(`${vendor.slug}/${channel.id}`) },
        });
      }
    }
    return out;
  };

  /** Slot plus jitter: at most a quarter of the schedule's interval, so `every: 30s` stays about 30 s. */
  const dueAfter = (entry: Entry, after: number, previous: number | null): number => {
    const slot = nextSlot(entry.channel.schedule, after, previous, entry.ctx);
    const jitter = Math.min(entry.channel.schedule.jitter, nominalIntervalMs(entry.channel.schedule) / 4);
    return slot + Math.floor(random() * jitter);
  };

  const send = (probeId: number): void => {
    if (inFlight.has(probeId)) return;
    const sending = runner
      .send(probeId)
      .catch((err: unknown) => logger.error({ probe: probeId, err }, 'scheduled send failed'))
      .finally(() => inFlight.delete(probeId));
    inFlight.set(probeId, sending);
  };

  /** Plans the due probe and moves the due time in one transaction: a crash leaves either both or neither. */
  const runDue = (entry: Entry, now: number): number | undefined => {
    const state = store.schedulerState.get(entry.channelId);
    if (!state || state.schedule !== entry.key) {
      const first = dueAfter(entry, now, null);
      store.schedulerState.save({
        channelId: entry.channelId,
        schedule: entry.key,
        nextDueAt: first,
        lastDueAt: state?.last_due_at ?? null,
        lastProbeId: state?.last_probe_id ?? null,
        lastOutcome: state?.last_outcome ?? null,
        slots: state?.slots ?? 0,
      });
      logger.info({ vendor: entry.vendor.slug, channel: entry.channel.id, dueAt: new Date(first).toISOString() }, 'schedule set');
      return undefined;
    }
    if (state.next_due_at > now) return undefined;
    return store.transaction(() => {
      let probeId: number | null = null;
      let outcome: string;
      const paused = (store.vendors.get(entry.vendor.slug)?.paused ?? 0) === 1;
      const held = deps.held?.(entry.vendor, entry.channel) ?? null;
      if (paused) {
        outcome = 'paused';
      } else if (held !== null) {
        outcome = `held:${held}`;
        logger.info({ vendor: entry.vendor.slug, channel: entry.channel.id, reason: held }, 'scheduled probe held');
      } else {
        try {
          probeId = runner.plan(entry.vendor.slug, entry.channel.id, { scheduledAt: now }).id;
          outcome = 'planned';
        } catch (err) {
          if (!(err instanceof ProbeError)) throw err;
          outcome = err.code === 'RATE_CAPPED' ? 'rate_capped' : `skipped:${err.code}`;
          logger.info({ vendor: entry.vendor.slug, channel: entry.channel.id, code: err.code, reason: err.message }, 'scheduled probe not planned');
        }
      }
      const next = dueAfter(entry, now, state.next_due_at);
      store.schedulerState.save({
        channelId: entry.channelId,
        schedule: entry.key,
        nextDueAt: next,
        lastDueAt: state.next_due_at,
        lastProbeId: probeId ?? state.last_probe_id,
        lastOutcome: outcome,
        slots: state.slots + 1,
      });
      return probeId ?? undefined;
    });
  };

  /** Plans and starts every due send; does not wait for them (one slow send must not hold up other channels). */
  const planOnce = async (): Promise<void> => {
    const now = clock.now();
    runner.expire(now);
    const list = entries();
    const heldIds = new Set(list.filter((e) => (deps.held?.(e.vendor, e.channel) ?? null) !== null).map((e) => e.channelId));
    const ours = new Set(list.filter((e) => !heldIds.has(e.channelId)).map((e) => e.channelId));
    // Planned before a restart but never sent: send them now (the runner sends a probe only from `scheduled`).
    for (const probe of store.probes.inStates(['scheduled'])) if (ours.has(probe.channel_id)) send(probe.id);
    for (const entry of list) {
      try {
        const planned = runDue(entry, now);
        if (planned !== undefined) send(planned);
      } catch (err) {
        logger.error({ vendor: entry.vendor.slug, channel: entry.channel.id, err }, 'scheduling failed');
      }
    }
  };

  /** One planning pass at a time; a caller arriving during one shares it. */
  const plan = (): Promise<void> => {
    ticking ??= planOnce().finally(() => {
      ticking = undefined;
    });
    return ticking;
  };

  const scheduler: Scheduler = {
    async tick(): Promise<void> {
      await plan();
      // Callers (tests, a simulated week) see the sends this tick started finished; the heartbeat does not wait.
      await Promise.allSettled([...inFlight.values()]);
    },
    start(): void {
      if (task || stopped) return;
      task = cron.createTask(
        deps.heartbeat ?? '* * * * * *',
        () => {
          if (ticking) return;
          void plan().catch((err: unknown) => logger.error({ err }, 'scheduler tick failed'));
        },
        { name: 'firstreply-scheduler', noOverlap: true, unref: true },
      );
      void task.start();
      logger.info({ channels: entries().length }, 'scheduler started');
    },
    async stop(): Promise<void> {
      stopped = true;
      if (task) {
        await task.destroy();
        task = undefined;
      }
      if (ticking) await ticking.catch((err: unknown) => logger.error({ err }, 'scheduler tick failed while stopping'));
      await Promise.allSettled([...inFlight.values()]);
    },
    nextDueAt(): number | null {
      const ids = new Set(entries().map((e) => e.channelId));
      let min: number | null = null;
      for (const row of store.schedulerState.all()) if (ids.has(row.channel_id) && (min === null || row.next_due_at < min)) min = row.next_due_at;
      return min;
    },
  };
  return scheduler;
}
