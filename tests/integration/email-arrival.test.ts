// An instant auto-reply stamped in the same INTERNALDATE second as the send: no negative time in the store, the statistics or the public API.
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { silentLogger } from '../../src/core/logger.ts';
import { startMailVendors } from '../../src/sandbox/mail-vendor.ts';
import { buildStatsReport } from '../../src/metrics/report.ts';
import { buildApp } from '../../src/server/app.ts';
import type { MailWatcher } from '../../src/watch/imap.ts';
import { openEmailWorld, until, worldWatcher, type EmailWorld } from './email-fixtures.ts';

let world: EmailWorld | undefined;
let watcher: MailWatcher | undefined;
let vendors: { stop(): Promise<void> } | undefined;
let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  await vendors?.stop();
  await watcher?.stop();
  await world?.close();
  app = vendors = watcher = world = undefined;
});

describe('reply times at INTERNALDATE resolution', () => {
  it('never puts an instant acknowledgement before its probe was sent', async () => {
    const w = (world = await openEmailWorld());
    w.catalog.vendors[0]!.sandbox = { email: [{ after: '0ms', kind: 'ack' }] };
    vendors = startMailVendors({ catalog: w.catalog, stack: w.stack, clock: w.clock, logger: silentLogger });
    watcher = worldWatcher(w);
    await watcher.start();

    // Each ack arrives within tens of ms of the 250, so most land in the send's own INTERNALDATE second.
    const probeIds: number[] = [];
    for (let i = 0; i < 6; i++) {
      const sent = await w.runner.send(w.runner.plan('acme', 'email').id);
      expect(sent.state).toBe('sent');
      probeIds.push(sent.id);
      await until(w.store, () => w.store.probes.get(sent.id)?.first_ack_at ?? undefined, 10_000, `the ack of probe ${sent.id}`);
    }

    let sameSecond = 0;
    for (const id of probeIds) {
      const probe = w.store.probes.get(id);
      const [ack] = w.store.messages.forProbe(id);
      if (!probe?.sent_at || probe.first_ack_at === null || !ack) throw new Error(`probe ${id} incomplete`);
      expect(ack.label).toBe('auto_ack');
      expect(ack.received_at % 1000).toBe(0);
      if (ack.received_at < probe.sent_at) sameSecond++;
      // The stored instant lies in the reply's arrival interval, cut at the send: [max(INTERNALDATE, sent), min(INTERNALDATE + 1 s, detected)].
      expect(probe.first_ack_at).toBeGreaterThanOrEqual(probe.sent_at);
      expect(probe.first_ack_at).toBeGreaterThanOrEqual(ack.received_at);
      expect(probe.first_ack_at).toBeLessThanOrEqual(Math.max(probe.sent_at, Math.min(ack.received_at + 1000, ack.detected_at)));
    }
    // The case under test happened: an INTERNALDATE earlier than its probe's sent_at.
    expect(sameSecond).toBeGreaterThan(0);

    const report = buildStatsReport(w.store, { now: w.clock.now(), window: 'all' });
    const channel = report.vendors[0]?.channels[0];
    expect(channel?.ack.events).toBe(probeIds.length);
    expect(channel?.ack.median.value).toBeGreaterThanOrEqual(0);
    for (const point of channel?.ack.curve ?? []) expect(point.t).toBeGreaterThanOrEqual(0);
    expect(report.vendors[0]?.comparison[0]?.ackMedianMs).toBeGreaterThanOrEqual(0);

    app = await buildApp({ store: w.store, clock: w.clock });
    const res = await app.inject({ method: 'GET', url: '/api/v1/vendors/acme/probes?window=all&limit=100' });
    expect(res.statusCode).toBe(200);
    const { probes } = res.json() as { probes: { sentAt: number; firstAckAt: number | null; timeline: { receivedAt: number }[] }[] };
    expect(probes).toHaveLength(probeIds.length);
    for (const probe of probes) {
      expect(probe.firstAckAt).not.toBeNull();
      expect(probe.firstAckAt).toBeGreaterThanOrEqual(probe.sentAt);
      for (const entry of probe.timeline) expect(entry.receivedAt).toBeGreaterThanOrEqual(probe.sentAt);
      expect(probe.timeline[0]?.receivedAt).toBe(probe.firstAckAt);
    }
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/vendors/acme?window=all' })).json() as {
      vendors: { channels: { ack: { median: { value: number | null } } }[] }[];
    };
    expect(doc.vendors[0]?.channels[0]?.ack.median.value).toBeGreaterThanOrEqual(0);
  });
});
