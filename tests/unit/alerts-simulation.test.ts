import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAY, WEEK } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createAlertEngine } from '../../src/alerts/engine.ts';
import { ProbeSimulation, recordingNotifiers, scheduleSeries, scheduleTicks, simCatalog, simDefaults, type SimEvent } from '../helpers/alerts-sim.ts';

/** Evaluations on replies and expiries (what moves the numbers) and on a daily timer; a fresh send adds almost nothing. */
const evaluated: ReadonlySet<SimEvent> = new Set(['reply', 'expire', 'tick']);

const start = Date.UTC(2026, 0, 5);
const alerts = {
  sla_breach: { enabled: false },
  channel_broken: { enabled: false },
  reminder_every: 0,
  targets: { hook: { kind: 'webhook', url: 'http://127.0.0.1:9/never-contacted' } },
};

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'firstreply-alerts-'));
  dirs.push(dir);
  return join(dir, 'alerts.db');
}

describe('regression alerts on simulated probe series', () => {
  it('a stable vendor over 1,000 weeks raises regression alerts in at most 1 % of weeks', async () => {
    const catalog = simCatalog({ alerts });
    const sim = ProbeSimulation.open(':memory:', catalog, start);
    const { registry, notices } = recordingNotifiers();
    const engine = createAlertEngine({ store: sim.store, catalog, clock: sim.clock, logger: silentLogger, notifiers: registry });
    const warmup = 16;
    const weeks = 1000;
    scheduleSeries(sim, { seed: Number(process.env.ALERTS_SIM_SEED ?? 11), start, weeks: warmup + weeks, ...simDefaults });
    scheduleTicks(sim, start, start + (warmup + weeks) * WEEK, DAY);
    const t0 = performance.now();
    await sim.runUntil(start + warmup * WEEK);
    let evaluations = 0;
    await sim.runUntil(start + (warmup + weeks) * WEEK, async (_at, kind) => {
      if (!evaluated.has(kind)) return;
      await engine.evaluate();
      evaluations++;
    });
    await engine.deliver();
    const opened = notices.filter((n) => n.event === 'opened' && n.alert.rule === 'regression');
    const alertWeeks = new Set(opened.map((n) => Math.floor((n.at - start) / WEEK))).size;
    const rate = alertWeeks / weeks;
    console.log(
      `stable vendor: ${opened.length} regression alert(s) in ${weeks} simulated weeks (${(rate * 100).toFixed(2)} % of weeks), ${evaluations} evaluations in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    expect(evaluations).toBeGreaterThan(weeks * 13);
    expect(rate).toBeLessThanOrEqual(0.01);
    await engine.stop();
    sim.store.close();
  }, 120_000);
});

describe('a real 2× slowdown', () => {
  it('is detected within a bounded number of probes in most runs', async () => {
    const trials = 20;
    const delays: number[] = [];
    let missed = 0;
    let earlyAlarms = 0;
    for (let trial = 0; trial < trials; trial++) {
      const catalog = simCatalog({ alerts });
      const sim = ProbeSimulation.open(':memory:', catalog, start);
      const { registry, notices } = recordingNotifiers();
      const engine = createAlertEngine({ store: sim.store, catalog, clock: sim.clock, logger: silentLogger, notifiers: registry });
      const changeAt = start + 20 * WEEK;
      scheduleSeries(sim, { seed: 1000 + trial, start, weeks: 36, ...simDefaults, changeAt, factor: 2 });
      scheduleTicks(sim, start, start + 36 * WEEK, DAY);
      await sim.runUntil(start + 14 * WEEK);
      await sim.runUntil(start + 36 * WEEK, async (_at, kind) => {
        if (notices.length > 0 || !evaluated.has(kind)) return;
        await engine.evaluate();
        await engine.deliver();
      });
      const first = notices.find((n) => n.event === 'opened' && n.alert.rule === 'regression');
      if (!first) missed++;
      else if (first.at < changeAt) earlyAlarms++;
      else delays.push(sim.sent.filter((p) => p.sentAt >= changeAt && p.sentAt <= first.at).length);
      await engine.stop();
      sim.store.close();
    }
    delays.sort((a, b) => a - b);
    const median = delays[Math.floor(delays.length / 2)] ?? Infinity;
    const detectedWithin8Weeks = delays.filter((d) => d <= 8 * simDefaults.perWeek).length;
    console.log(
      `2× slowdown, ${simDefaults.perWeek} probes/week, σ = ${simDefaults.sigma}: detected in ${delays.length}/${trials} runs within 16 weeks ` +
        `(${detectedWithin8Weeks} within 8 weeks); delay in probes after the change: median ${median}, min ${delays[0]}, max ${delays.at(-1)}; ` +
        `${missed} missed, ${earlyAlarms} false alarm(s) before the change`,
    );
    expect(delays.length).toBeGreaterThanOrEqual(trials * 0.75);
    expect(detectedWithin8Weeks).toBeGreaterThanOrEqual(trials * 0.6);
    expect(median).toBeLessThanOrEqual(5 * simDefaults.perWeek);
  }, 120_000);

  it('opens one alert, survives a restart without a duplicate, and sends one recovery notice', async () => {
    const catalog = simCatalog({ alerts });
    const sim = ProbeSimulation.open(tempDb(), catalog, start);
    const first = recordingNotifiers();
    let engine = createAlertEngine({ store: sim.store, catalog, clock: sim.clock, logger: silentLogger, notifiers: first.registry });
    const changeAt = start + 20 * WEEK;
    const recoverAt = start + 32 * WEEK;
    scheduleSeries(sim, { seed: 1001, start, weeks: 52, ...simDefaults, changeAt, recoverAt, factor: 2 });
    scheduleTicks(sim, start, start + 52 * WEEK, DAY);
    await sim.runUntil(start + 14 * WEEK);
    const evaluate = async (_at?: number, kind: SimEvent = 'tick'): Promise<void> => {
      if (!evaluated.has(kind)) return;
      await engine.evaluate();
      await engine.deliver();
    };
    await sim.runUntil(start + 30 * WEEK, evaluate);
    const opened = first.notices.filter((n) => n.event === 'opened' && n.alert.rule === 'regression');
    expect(opened).toHaveLength(1);
    const alertId = opened[0]?.alert.id ?? -1;
    expect(opened[0]?.headline).toMatch(/slower than this channel's own baseline: median .* vs .* \(log-rank p = /);
    expect(opened[0]?.facts.map((f) => f.label)).toEqual(expect.arrayContaining(['Log-rank test', 'Effect', 'Sample sizes']));
    expect(sim.store.alerts.get(alertId)?.state).toBe('open');

    await engine.stop();
    sim.reopen();
    const second = recordingNotifiers();
    engine = createAlertEngine({ store: sim.store, catalog, clock: sim.clock, logger: silentLogger, notifiers: second.registry });
    await evaluate();
    expect(second.notices).toHaveLength(0);
    expect(sim.store.alerts.open().filter((a) => a.rule === 'regression')).toHaveLength(1);
    expect(sim.store.alerts.deliveriesOf(alertId).map((d) => `${d.event}:${d.state}`)).toEqual(['opened:sent']);

    await sim.runUntil(start + 52 * WEEK, evaluate);
    const all = [...first.notices, ...second.notices].filter((n) => n.alert.rule === 'regression');
    const resolved = all.filter((n) => n.event === 'resolved');
    expect(all.filter((n) => n.event === 'opened')).toHaveLength(1);
    expect(resolved).toHaveLength(1);
    expect(resolved[0]?.at).toBeGreaterThan(recoverAt);
    expect(resolved[0]?.headline).toMatch(/^recovered: the last 2 probe outcome\(s\) in a row were fine/);
    expect(sim.store.alerts.get(alertId)?.state).toBe('resolved');
    console.log(
      `one run: regression alert opened ${((opened[0]?.at ?? 0) - changeAt) / DAY} days after the 2× slowdown, resolved ${((resolved[0]?.at ?? 0) - recoverAt) / DAY} days after recovery`,
    );
    await engine.stop();
    sim.store.close();
  }, 120_000);
});
