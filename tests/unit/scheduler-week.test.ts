import { afterEach, describe, expect, it } from 'vitest';
import { DAY, ManualClock, MINUTE, WEEK } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { settingsSchema, vendorSchema, type Catalog, type ChannelKind } from '../../src/config/schema.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { createProbeRunner, type ProbeRunner } from '../../src/runner/probe-runner.ts';
import type { ChannelModule, ChannelRegistry } from '../../src/channels/channel.ts';
import { channels as realChannels } from '../../src/channels/registry.ts';
import { createScheduler, type Scheduler } from '../../src/scheduler/scheduler.ts';
import { zone } from '../../src/metrics/business-time.ts';
import { seededRandom } from '../helpers/fixture-store.ts';

const settings = settingsSchema.parse({});
const start = Date.UTC(2026, 2, 2, 0, 0, 0); // Monday

function vendor(input: Record<string, unknown>) {
  const parsed = vendorSchema.parse(input);
  const templates = parsed.templates.flatMap((t) => ('use' in t ? [] : [t]));
  return { ...parsed, templates, file: `${parsed.slug}.yaml` };
}

const catalog: Catalog = {
  dir: 'probes',
  settings,
  vendors: [
    vendor({
      slug: 'acme',
      name: 'Acme',
      visibility: 'public',
      timezone: 'Europe/Berlin',
      rate_caps: { per_day: 3, per_week: 10 },
      templates: [
        { id: 'q-p3', tier: 'P3', subject: 'Q {{token}}', body: 'b' },
        { id: 'q-p2', tier: 'P2', subject: 'Q {{token}}', body: 'b' },
        { id: 'outage', tier: 'P0', subject: 'Down {{token}}', body: 'b' },
      ],
      channels: [
        { id: 'email', kind: 'email', to: 'support@acme.test', expiry: '2d', schedule: { per_week: 14 } },
        { id: 'chat', kind: 'chat', url: 'https://acme.test/', expiry: '1h', schedule: { every: '8h', jitter: '5m' } },
      ],
    }),
    vendor({
      slug: 'drillco',
      name: 'DrillCo',
      visibility: 'public',
      timezone: 'America/New_York',
      drills_allowed: true,
      rate_caps: { per_day: 5, per_week: 30 },
      templates: [
        { id: 'sev1', tier: 'P1', subject: 'Sev1 {{token}}', body: 'b' },
        { id: 'how-to', tier: 'P3', subject: 'How {{token}}', body: 'b' },
      ],
      channels: [
        {
          id: 'form',
          kind: 'webform',
          url: 'https://drillco.test/contact',
          steps: [{ goto: 'https://drillco.test/contact' }],
          confirmation: { wait_for: '#ok' },
          schedule: { cron: '0 9 * * 1-5', jitter: '10m' },
        },
        // A manual channel is recorded by a person (`firstreply record`); a schedule on it never sends anything.
        { id: 'hotline', kind: 'manual', schedule: { every: '1h' } },
      ],
    }),
  ],
};

/** Channel modules that "send" instantly on the simulated clock and remember every send. */
function fakeChannels(clock: ManualClock) {
  const sends: number[] = [];
  const make = <K extends ChannelKind>(kind: K): ChannelModule<K> => ({
    kind,
    settings: realChannels[kind].settings,
    needs: realChannels[kind].needs,
    scheduled: realChannels[kind].scheduled,
    replySource: realChannels[kind].replySource,
    async send(ctx) {
      sends.push(ctx.probe.id);
      return { sentAt: clock.now() };
    },
    async reconcile() {
      return { outcome: 'unknown', note: 'fake channel keeps no trace' };
    },
  });
  const registry: ChannelRegistry = { email: make('email'), webform: make('webform'), chat: make('chat'), manual: make('manual') };
  return { registry, sends };
}

let store: Store | undefined;
let schedulers: Scheduler[] = [];
afterEach(async () => {
  for (const s of schedulers) await s.stop();
  schedulers = [];
  store?.close();
});

function setup() {
  const clock = new ManualClock(start);
  store = openStore(':memory:', clock);
  store.vendors.sync(catalog);
  const channels = fakeChannels(clock);
  const runner = createProbeRunner({
    store,
    catalog,
    clock,
    logger: silentLogger,
    channels: channels.registry,
    services: { store, settings, clock, evidenceDir: '/tmp' },
  });
  const make = (r: ProbeRunner = runner) => {
    if (!store) throw new Error('no store');
    const scheduler = createScheduler({ store, catalog, runner: r, clock, logger: silentLogger, random: seededRandom(42) });
    schedulers.push(scheduler);
    return scheduler;
  };
  return { clock, runner, sends: channels.sends, make, store };
}

/** Runs the scheduler on the simulated clock, jumping from one due time to the next. */
async function runUntil(scheduler: Scheduler, clock: ManualClock, end: number): Promise<number> {
  let ticks = 0;
  await scheduler.tick();
  for (;;) {
    const due = scheduler.nextDueAt();
    if (due === null || due > end) break;
    clock.set(Math.max(due, clock.now()));
    await scheduler.tick();
    ticks++;
  }
  clock.set(end);
  await scheduler.tick();
  return ticks;
}

const probesOf = (s: Store, vendorSlug: string) =>
  s.db
    .prepare<[string], { id: number; channel: string; template: string; tier: string; state: string; scheduled_at: number; sent_at: number | null }>(
      `SELECT p.id, c.channel, p.template, p.tier, p.state, p.scheduled_at, p.sent_at FROM probes p JOIN channels c ON c.id = p.channel_id WHERE c.vendor = ? ORDER BY p.id`,
    )
    .all(vendorSlug);

describe('scheduler over a simulated week', () => {
  it('sends each probe once, within rate caps, drills only where allowed, rotating templates, and expires them', async () => {
    const { clock, sends, make, store: s } = setup();
    const wall = performance.now();
    const ticks = await runUntil(make(), clock, start + WEEK);
    expect(performance.now() - wall).toBeLessThan(5_000);
    expect(ticks).toBeGreaterThan(20);

    expect(new Set(sends).size).toBe(sends.length);
    const acme = probesOf(s, 'acme');
    const drill = probesOf(s, 'drillco');
    expect(sends.length).toBe(acme.length + drill.length);

    // Vendor caps are hard limits: ≤ 10 in the week and ≤ 3 in any rolling day, even though e-mail wants 14 a week.
    expect(acme.length).toBe(10);
    for (const p of acme) expect(acme.filter((q) => q.scheduled_at > p.scheduled_at - DAY && q.scheduled_at <= p.scheduled_at).length).toBeLessThanOrEqual(3);
    const state = s.db.prepare<[], { last_outcome: string; slots: number }>(`SELECT last_outcome, slots FROM scheduler_state`).all();
    expect(state.some((r) => r.last_outcome === 'rate_capped')).toBe(true);

    // No P0/P1 to a vendor without drills_allowed; the drill vendor's form alternates its two templates.
    expect(acme.every((p) => p.tier === 'P2' || p.tier === 'P3')).toBe(true);
    expect(drill.map((p) => p.template)).toEqual(['sev1', 'how-to', 'sev1', 'how-to', 'sev1']);
    expect(drill.every((p) => p.channel === 'form')).toBe(true);
    // Cron in the vendor's zone: weekdays at 09:00 New York time (plus up to 10 min of jitter).
    for (const p of drill) {
      const w = zone('America/New_York').wall(p.scheduled_at);
      expect(w.weekday).toBeLessThan(5);
      expect(w.hour * 60 + w.minute).toBeGreaterThanOrEqual(9 * 60);
      expect(w.hour * 60 + w.minute).toBeLessThan(9 * 60 + 10);
    }
    // Expiry: the 1 h chat probes and the 2 d e-mail ones sent early in the week are censored now.
    const expired = acme.filter((p) => p.state === 'expired');
    expect(expired.length).toBeGreaterThan(0);
    expect(acme.filter((p) => p.channel === 'chat').every((p) => p.state === 'expired')).toBe(true);
    expect(acme.filter((p) => p.state === 'sent').every((p) => (p.sent_at ?? 0) > start + WEEK - 2 * DAY)).toBe(true);
  });

  it('a restart resumes the persisted due times: no double send, no lost probe', async () => {
    const { clock, runner, sends, make, store: s } = setup();
    const first = make();
    await runUntil(first, clock, start + 2 * DAY);
    const dueBefore = first.nextDueAt();
    const sentBefore = sends.length;
    await first.stop();

    // The process restarts at the same moment: nothing is due again, nothing is sent twice.
    const second = make();
    expect(second.nextDueAt()).toBe(dueBefore);
    await second.tick();
    expect(sends.length).toBe(sentBefore);
    await second.stop();

    // A crash between planning and sending: the plan is persisted with the new due time...
    const crashing = make({ ...runner, send: async (id: number) => s.probes.get(id) ?? Promise.reject(new Error('gone')) });
    clock.set(dueBefore ?? 0);
    await crashing.tick();
    await crashing.stop();
    const planned = s.probes.inStates(['scheduled']);
    expect(planned).toHaveLength(1);
    expect(sends.length).toBe(sentBefore);

    // ...and the next process sends that probe exactly once, without planning another for the same slot.
    const third = make();
    await third.tick();
    await third.tick();
    expect(sends.length).toBe(sentBefore + 1);
    expect(sends.at(-1)).toBe(planned[0]?.id);
    expect(s.probes.get(planned[0]?.id ?? 0)?.state).toBe('sent');
    expect(third.nextDueAt()).toBeGreaterThan(clock.now());

    // Rate caps still hold across all these restarts.
    await runUntil(third, clock, start + WEEK);
    expect(probesOf(s, 'acme').length).toBe(10);
    expect(new Set(sends).size).toBe(sends.length);
  });

  it('start() drives ticks from a node-cron heartbeat and stop() ends them', async () => {
    const { clock, make } = setup();
    const scheduler = make();
    await scheduler.tick();
    clock.set((scheduler.nextDueAt() ?? 0) + MINUTE);
    const before = scheduler.nextDueAt();
    scheduler.start();
    // The heartbeat runs on real time (every second): wait for the tick it triggers to move the due time.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (scheduler.nextDueAt() !== before) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    await scheduler.stop();
    expect(scheduler.nextDueAt()).toBeGreaterThan(before ?? 0);
  });

  it('keeps planning other channels while one send is still in flight', async () => {
    const clock = new ManualClock(start);
    const own = openStore(':memory:', clock);
    let release = (): void => {};
    try {
      own.vendors.sync(catalog);
      const { registry, sends } = fakeChannels(clock);
      // The chat send hangs (a browser waiting on a slow page) until released.
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const chat: ChannelModule<'chat'> = {
        ...registry.chat,
        async send(ctx) {
          sends.push(ctx.probe.id);
          await held;
          return { sentAt: clock.now() };
        },
      };
      const runner = createProbeRunner({
        store: own,
        catalog,
        clock,
        logger: silentLogger,
        channels: { ...registry, chat },
        services: { store: own, settings, clock, evidenceDir: '/tmp' },
      });
      const scheduler = createScheduler({ store: own, catalog, runner, clock, logger: silentLogger, random: seededRandom(42) });
      schedulers.push(scheduler);
      await scheduler.tick(); // sets every channel's first due time
      const chatProbes = () => probesOf(own, 'acme').filter((p) => p.channel === 'chat');
      const emailProbes = () => probesOf(own, 'acme').filter((p) => p.channel === 'email');
      // Step the clock until the chat probe is planned and stuck in its send.
      let first: Promise<void> | undefined;
      for (let i = 0; i < 200 && chatProbes().length === 0; i++) {
        clock.set(scheduler.nextDueAt() ?? clock.now());
        first = scheduler.tick();
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      expect(chatProbes()).toHaveLength(1);
      expect(chatProbes()[0]?.state).toBe('sending');
      const emailsBefore = emailProbes().length;
      // Later ticks still plan and send e-mail probes while the chat send hangs.
      for (let i = 0; i < 10; i++) {
        clock.set(clock.now() + 12 * 60 * MINUTE);
        void scheduler.tick();
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      expect(emailProbes().length).toBeGreaterThan(emailsBefore);
      expect(emailProbes().filter((p) => p.state === 'sent').length).toBeGreaterThan(0);
      // The hung chat probe is still in flight, and no probe was handed to its channel twice.
      expect(chatProbes()[0]?.state).toBe('sending');
      expect(new Set(sends).size).toBe(sends.length);
      release();
      await first;
      await scheduler.tick();
      expect(chatProbes().every((p) => p.state === 'sent')).toBe(true);
      expect(new Set(sends).size).toBe(sends.length);
    } finally {
      release();
      for (const s of schedulers) await s.stop();
      schedulers = [];
      own.close();
    }
  });
});
