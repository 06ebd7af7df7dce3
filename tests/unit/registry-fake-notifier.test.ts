// Adding a notifier kind is one module + one registry line: a fake kind registered here gets its target settings from
// the union built the way config builds it, and one alert goes through the real engine, outbox and delivery to it.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HOUR, SECOND } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { alertTargetSchemaOf, alertsConfigSchema, alertsConfigSchemaOf, type AlertsConfig } from '../../src/config/alerts.ts';
import { createAlertEngine } from '../../src/alerts/engine.ts';
import type { AlertNotice, NotifierModule, TargetOf } from '../../src/alerts/notifiers/notifier.ts';
import { notifiers, registerNotifiers } from '../../src/alerts/notifiers/registry.ts';
import { ProbeSimulation, simCatalog } from '../helpers/alerts-sim.ts';

const fakeSettingsSchema = z.strictObject({ room: z.string().min(1) });

/** The whole of a new kind: its settings and its send (which renders its own payload). */
function fakeNotifier(sent: Array<{ target: TargetOf<'fake'>; payload: string }>): NotifierModule<'fake'> {
  return {
    kind: 'fake',
    settings: fakeSettingsSchema,
    async send(target, notice: AlertNotice, ctx) {
      ctx.signal.throwIfAborted();
      sent.push({ target, payload: `${String(target.room)}: ${notice.alert.title} (${notice.event}) ${notice.headline}` });
    },
  };
}

/**
 * The one cast of this test: the production AlertsConfig's target union lists the production kinds; the fake kind
 * is in this test's registry only, and its target came from the union derived from that registry.
 */
const asAlertsConfig = (config: unknown): AlertsConfig => config as AlertsConfig;

const start = Date.UTC(2026, 2, 2, 8, 0);
let close: (() => void) | undefined;
afterEach(() => close?.());

describe('a notifier kind registered by one line', () => {
  it('parses its target settings and delivers one SLA breach through the real engine and delivery', async () => {
    const sent: Array<{ target: TargetOf<'fake'>; payload: string }> = [];
    const registry = registerNotifiers({ ...notifiers, fake: fakeNotifier(sent) });
    const settingsByKind = Object.fromEntries(Object.values(registry).map((m) => [m.kind, m.settings]));
    const schema = alertsConfigSchemaOf(alertTargetSchemaOf(settingsByKind));
    const config = schema.parse({ targets: { desk: { kind: 'fake', room: 'ops', audience: ['subscriber'] } } });
    expect(config.targets.desk).toEqual({ kind: 'fake', room: 'ops', audience: ['subscriber'] });
    expect(schema.safeParse({ targets: { desk: { kind: 'fake' } } }).error?.issues[0]?.path).toEqual(['targets', 'desk', 'room']);
    expect(schema.safeParse({ targets: { desk: { kind: 'fake', room: 'ops', rom: 'x' } } }).success).toBe(false);
    // The production union is derived from the production map: it does not know the fake kind.
    expect(alertsConfigSchema.safeParse({ targets: { desk: { kind: 'fake', room: 'ops' } } }).success).toBe(false);

    const plain = simCatalog({ firstResponse: '4h' });
    const catalog = { ...plain, settings: { ...plain.settings, alerts: asAlertsConfig(config) } };
    const sim = ProbeSimulation.open(':memory:', catalog, start);
    close = () => sim.store.close();
    sim.probe(start, 9 * HOUR);
    await sim.runUntil(start + 4 * HOUR + SECOND);
    const engine = createAlertEngine({ store: sim.store, catalog, clock: sim.clock, logger: silentLogger, notifiers: registry });
    try {
      expect(await engine.evaluate()).toMatchObject({ opened: 1, queued: 1 });
      expect(await engine.deliver()).toMatchObject({ sent: 1, retrying: 0, failed: 0 });
    } finally {
      await engine.stop();
    }
    expect(sent).toHaveLength(1);
    expect(sent[0]?.target).toMatchObject({ kind: 'fake', room: 'ops' });
    expect(sent[0]?.payload).toMatch(/^ops: SLA breach \(opened\) no human reply to probe #1/);
    expect(sim.store.alerts.recentDeliveries(5)).toMatchObject([{ target: 'desk', state: 'sent', attempts: 1 }]);
  });
});
