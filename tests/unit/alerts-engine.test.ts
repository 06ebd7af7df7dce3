import { afterEach, describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE, SECOND } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createAlertEngine, type AlertEngine } from '../../src/alerts/engine.ts';
import { ProbeSimulation, lognormal, recordingNotifiers, seededRandom, simCatalog } from '../helpers/alerts-sim.ts';
import { businessCalendar } from '../../src/metrics/business-time.ts';

const start = Date.UTC(2026, 2, 2, 8, 0);
const hook = { kind: 'webhook', url: 'http://127.0.0.1:9/recorded-not-sent' };
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups.length = 0;
});

function setup(alerts: Record<string, unknown>) {
  const catalog = simCatalog({ alerts: { regression: { enabled: false }, ...alerts }, firstResponse: '4h' });
  const sim = ProbeSimulation.open(':memory:', catalog, start);
  const { registry, notices } = recordingNotifiers();
  const engine: AlertEngine = createAlertEngine({ store: sim.store, catalog, clock: sim.clock, logger: silentLogger, notifiers: registry });
  cleanups.push(
    () => sim.store.close(),
    () => engine.stop(),
  );
  const step = async (): Promise<void> => {
    await engine.evaluate();
    await engine.deliver();
  };
  return { sim, engine, notices, step };
}

describe('alert engine', () => {
  it('alerts on an SLA breach at the deadline, keeps one alert with reminders, and sends one recovery notice', async () => {
    const { sim, notices, step } = setup({ targets: { hook }, reminder_every: '6h' });
    sim.probe(start, 9 * HOUR);
    await sim.runUntil(start + 4 * HOUR - SECOND, step);
    await step();
    expect(notices).toHaveLength(0);
    sim.clock.set(start + 4 * HOUR);
    await step();
    expect(notices.map((n) => `${n.event}:${n.alert.rule}`)).toEqual(['opened:sla_breach']);
    expect(notices[0]?.at).toBe(start + 4 * HOUR);

    await sim.runUntil(start + 9 * HOUR, step); // the late reply does not close it
    await sim.runUntil(start + 10 * HOUR + MINUTE, step);
    await step();
    expect(notices.map((n) => n.event)).toEqual(['opened', 'reminder']);
    expect(notices[1]?.headline).toContain('answered 5 h after its 4 h first-response target');

    sim.probe(start + DAY, HOUR);
    sim.probe(start + 2 * DAY, 2 * HOUR);
    await sim.runUntil(start + DAY + 2 * HOUR, step);
    expect(sim.store.alerts.open()).toHaveLength(1);
    await sim.runUntil(start + 2 * DAY + 3 * HOUR, step);
    expect(sim.store.alerts.open()).toHaveLength(0);
    const resolved = notices.filter((n) => n.event === 'resolved');
    expect(resolved).toHaveLength(1);
    expect(resolved[0]?.headline).toContain('recovered: the last 2 probe outcome(s) in a row were fine');
    await sim.runUntil(start + 3 * DAY, step);
    expect(notices.filter((n) => n.event === 'resolved')).toHaveLength(1);
  });

  it('holds notices back during a maintenance window and sends them when it ends', async () => {
    const { sim, notices, step } = setup({
      targets: { hook },
      silences: [
        { vendor: 'steady-cloud', from: new Date(start).toISOString(), until: new Date(start + 6 * HOUR).toISOString(), reason: 'planned maintenance' },
      ],
    });
    sim.probe(start, null);
    await sim.runUntil(start + 5 * HOUR, step);
    await step();
    expect(sim.store.alerts.open()).toHaveLength(1);
    expect(notices).toHaveLength(0);
    sim.clock.set(start + 6 * HOUR);
    await step();
    expect(notices.map((n) => n.event)).toEqual(['opened']);
  });

  it('sends channel-broken alerts to operator targets only, and public alerts to subscribers', async () => {
    const { sim, notices, step } = setup({
      targets: { ops: { ...hook, audience: ['operator'] }, subscribers: { ...hook, audience: ['subscriber'] } },
      channel_broken: { consecutive_failures: 2 },
    });
    sim.failedSend(start, 'SELECTOR_MISSING', 'button#submit not found');
    await sim.runUntil(start + MINUTE, step);
    expect(notices).toHaveLength(0);
    sim.failedSend(start + HOUR, 'SELECTOR_MISSING', 'button#submit not found');
    await sim.runUntil(start + HOUR + MINUTE, step);
    const [alert] = sim.store.alerts.open();
    expect(alert).toMatchObject({ rule: 'channel_broken', audience: 'operator', severity: 'critical' });
    expect(sim.store.alerts.deliveriesOf(alert?.id ?? 0).map((d) => d.target)).toEqual(['ops']);
    expect(notices[0]?.facts.find((f) => f.label === 'Last error')?.value).toBe('SELECTOR_MISSING: button#submit not found');
  });

  it('raises a subscriber threshold from config with its numbers', async () => {
    const { sim, notices, step } = setup({
      targets: { hook },
      sla_breach: { enabled: false },
      thresholds: [{ id: 'slow-mail', vendor: 'steady-cloud', channel: 'email', metric: 'median', above: '8h', window: '14d', min_probes: 5 }],
    });
    for (let d = 0; d < 7; d++) sim.probe(start + d * DAY, 11 * HOUR);
    await sim.runUntil(start + 8 * DAY, step);
    expect(notices.map((n) => `${n.event}:${n.alert.rule}`)).toEqual([
      'opened:threshold:slow-mail',
      'reminder:threshold:slow-mail',
      'reminder:threshold:slow-mail',
    ]);
    expect(notices[0]?.headline).toBe('median time to first human reply is 11 h over the last 14 d, above the 8 h threshold "slow-mail"');
  });

  it('keeps a threshold alert open while the median sits just under the limit (clear_margin), and resolves it without one', async () => {
    const run = async (clearMargin: number) => {
      const { sim, notices, step } = setup({
        targets: { hook },
        sla_breach: { enabled: false },
        thresholds: [
          { id: 'slow-mail', vendor: 'steady-cloud', channel: 'email', metric: 'median', above: '8h', window: '14d', min_probes: 5, clear_margin: clearMargin },
        ],
      });
      for (let d = 0; d < 7; d++) sim.probe(start + d * DAY, 11 * HOUR);
      for (let d = 7; d < 24; d++) sim.probe(start + d * DAY, 7.5 * HOUR); // 6 % under the limit
      await sim.runUntil(start + 25 * DAY, step);
      return notices.filter((n) => n.event !== 'reminder').map((n) => n.event);
    };
    expect(await run(0.1)).toEqual(['opened']);
    expect(await run(0)).toEqual(['opened', 'resolved']);
  });
});

describe('incident evidence', () => {
  it('a resolved alert keeps the facts it fired with, not the ones it recovered with', async () => {
    const { sim, step } = setup({ targets: { hook } });
    sim.probe(start, 9 * HOUR);
    await sim.runUntil(start + 4 * HOUR, step);
    await step();
    const opened = sim.store.alerts.open()[0];
    const firing = JSON.parse(opened?.details ?? '{}').facts;
    expect(JSON.stringify(firing)).toContain('First-response target');
    sim.probe(start + DAY, HOUR);
    sim.probe(start + 2 * DAY, 2 * HOUR);
    await sim.runUntil(start + 2 * DAY + 3 * HOUR, step);
    const resolved = sim.store.alerts.get(opened?.id ?? 0);
    expect(resolved?.state).toBe('resolved');
    const details = JSON.parse(resolved?.details ?? '{}');
    expect(JSON.stringify(details.facts)).toContain('Within SLA');
    // The last facts it fired with: the late reply, as the alert said before the outcomes recovered.
    expect(details.evidence).toEqual([firing[0], firing[1], { label: 'First human reply', value: 'after 9 h (5 h late)' }, firing[3]]);
  });
});

describe('regression alerts for a vendor with support hours', () => {
  /** A vendor open Mon–Fri 09:00–17:00 in Berlin answering in about an hour of open time; from day 120 the schedule probes at 16:45. */
  async function closingVendor(supportHours: boolean) {
    const days = ['mon', 'tue', 'wed', 'thu', 'fri'];
    const catalog = simCatalog({
      alerts: { sla_breach: { enabled: false }, channel_broken: { enabled: false }, targets: { hook } },
      ...(supportHours ? { supportHours: { days, start: '09:00', end: '17:00' } } : {}),
    });
    const sim = ProbeSimulation.open(':memory:', catalog, start);
    const { registry, notices } = recordingNotifiers();
    const engine = createAlertEngine({ store: sim.store, catalog, clock: sim.clock, logger: silentLogger, notifiers: registry });
    cleanups.push(
      () => sim.store.close(),
      () => engine.stop(),
    );
    const hours = businessCalendar({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00', holidays: [] }, 'Europe/Berlin');
    const random = seededRandom(31);
    for (let day = 0; day < 150; day++) {
      const date = new Date(start + day * DAY);
      if (date.getUTCDay() === 0 || date.getUTCDay() === 6) continue;
      const sentAt = hours.zone.toUtc(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), day < 120 ? 10 * 60 : 16 * 60 + 45);
      sim.probe(sentAt, hours.addBusinessTime(sentAt, Math.max(10 * MINUTE, lognormal(random, HOUR, 0.4))) - sentAt);
    }
    await sim.runUntil(start + 150 * DAY, async (_at, kind) => {
      if (kind === 'reply') await engine.evaluate();
    });
    await engine.deliver();
    return notices.filter((n) => n.alert.rule === 'regression');
  }

  it('a vendor closing for the night raises no regression when it declares its hours', async () => {
    expect(await closingVendor(true)).toEqual([]);
  });

  it('the same replies judged in calendar time (no hours declared) read as a slowdown', async () => {
    const notices = await closingVendor(false);
    expect(notices[0]?.event).toBe('opened');
    expect(notices[0]?.headline).toMatch(/slower than this channel's own baseline/);
  });
});
