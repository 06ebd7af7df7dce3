// The review_needed digest delivered to a real loopback webhook peer: at once, at most hourly, only when something is new.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { HOUR, MINUTE } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createAlertEngine } from '../../src/alerts/engine.ts';
import { recordReply } from '../helpers/fixture-store.ts';
import { reviewMessage } from '../../src/replies/review.ts';
import { ProbeSimulation, simCatalog } from '../helpers/alerts-sim.ts';

const start = Date.UTC(2026, 2, 2, 8, 0);
const stops: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const stop of stops.reverse()) await stop();
  stops.length = 0;
});

interface Hook {
  url: string;
  bodies: Record<string, unknown>[];
  arrived: (n: number) => Promise<void>;
}

async function startHook(): Promise<Hook> {
  const waiters = new Map<number, () => void>();
  const hook: Hook = {
    url: '',
    bodies: [],
    arrived: (k) => (hook.bodies.length >= k ? Promise.resolve() : new Promise<void>((resolve) => waiters.set(k, resolve))),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hook.bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.end('ok');
      waiters.get(hook.bodies.length)?.();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  hook.url = `http://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}/hook`;
  return hook;
}

let uid = 1;
function unknownReply(sim: ProbeSimulation, probeId: number, receivedAt: number): number {
  const id = recordReply(sim.store, probeId, { uid: uid++, receivedAt, from: 'desk@vendor.example', body: 'Noted.', label: 'unknown', confidence: 0.4 });
  if (id === undefined) throw new Error('reply not stored');
  return id;
}

describe('review_needed digest to a loopback webhook', () => {
  it('lists the probes awaiting review, at most hourly, only when one is new, and resolves silently once all are reviewed', async () => {
    const hook = await startHook();
    const catalog = simCatalog({
      publicUrl: 'https://status.example.org/',
      alerts: { targets: { ops: { kind: 'webhook', url: hook.url, audience: ['operator'], rules: ['review_needed'] } } },
    });
    const sim = ProbeSimulation.open(':memory:', catalog, start);
    stops.push(() => sim.store.close());
    const engine = createAlertEngine({ store: sim.store, catalog, clock: sim.clock, logger: silentLogger });
    stops.push(() => engine.stop());

    sim.probe(start, null);
    sim.probe(start + 30 * MINUTE, null);
    await sim.runUntil(start + 30 * MINUTE);
    const [a, b] = sim.sent.map((p) => p.id);
    if (a === undefined || b === undefined) throw new Error('probes not sent');
    const replyA = unknownReply(sim, a, start + 10 * MINUTE);

    await sim.runUntil(start + 20 * MINUTE + HOUR / 2);
    // evaluate() starts delivery in the background; deliver() waits for the notices that are due.
    expect(await engine.evaluate()).toEqual({ opened: 1, resolved: 0, queued: 1 });
    await engine.deliver();
    await hook.arrived(1);
    const first = hook.bodies[0];
    expect(first).toMatchObject({
      type: 'firstreply.alert',
      event: 'opened',
      url: 'https://status.example.org/admin/review',
      alert: { rule: 'review_needed', title: 'Replies awaiting review', audience: 'operator', vendor: '*' },
      numbers: {
        awaiting: 1,
        new: 1,
        probes: [a],
        items: [
          {
            probe: a,
            vendor: 'steady-cloud',
            vendor_name: 'Steady Cloud',
            channel: 'email',
            since: new Date(start + 10 * MINUTE).toISOString(),
            message: replyA,
            url: `https://status.example.org/admin/review#message-${replyA}`,
            new: true,
          },
        ],
      },
    });
    expect(String(first?.text)).toContain(`New: probe #${a} · Steady Cloud · email: awaiting review since 2026-03-02 08:10 UTC`);
    expect(String(first?.text)).toContain('Review page: https://status.example.org/admin/review');
    const firstAt = sim.clock.now();

    // A second probe awaits review 10 minutes later: held back until an hour after the first digest.
    const replyB = unknownReply(sim, b, start + 40 * MINUTE);
    sim.clock.set(firstAt + 10 * MINUTE);
    expect((await engine.evaluate()).queued).toBe(0);
    sim.clock.set(firstAt + HOUR - 1);
    expect((await engine.evaluate()).queued).toBe(0);
    sim.clock.set(firstAt + HOUR);
    expect((await engine.evaluate()).queued).toBe(1);
    await engine.deliver();
    await hook.arrived(2);
    expect(hook.bodies[1]).toMatchObject({ event: 'reminder', numbers: { awaiting: 2, new: 1, probes: [a, b], new_probes: [b] } });

    // Nothing new: no digest, however long it has been.
    sim.clock.set(firstAt + 5 * HOUR);
    expect((await engine.evaluate()).queued).toBe(0);
    await engine.deliver();

    // Both reviewed: the probes settle and the alert resolves without a notice.
    reviewMessage(sim.store, replyA, 'human', 'operator');
    reviewMessage(sim.store, replyB, 'auto_ack', 'operator');
    expect(sim.store.probes.get(a)?.state).toBe('answered');
    expect(sim.store.probes.awaitingReview()).toEqual([]);
    expect(await engine.evaluate()).toEqual({ opened: 0, resolved: 1, queued: 0 });
    await engine.deliver();
    expect(hook.bodies).toHaveLength(2);
    expect(sim.store.alerts.list({ limit: 10 }).find((x) => x.rule === 'review_needed')?.state).toBe('resolved');
  });
});
