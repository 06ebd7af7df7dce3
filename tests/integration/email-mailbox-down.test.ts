// Our mailbox broken, not the vendor: a watcher told to speak TLS to Dovecot's plain IMAP port opens a mailbox_down
// outage with the cause in words, the operator is told, the channel's sends are held, the probe whose outcome fell
// inside the outage leaves the statistics; once the mailbox can be read again it all resumes.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '../../src/core/logger.ts';
import type { Catalog, ChannelDef } from '../../src/config/schema.ts';
import { alertsConfigSchema } from '../../src/config/alerts.ts';
import { createAlertEngine } from '../../src/alerts/engine.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { createMailboxHealth } from '../../src/watch/mailbox-health.ts';
import { openEmailWorld, worldWatcher, type EmailWorld } from './email-fixtures.ts';

const stops: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const stop of stops.reverse()) await stop();
  stops.length = 0;
});

async function webhookSink(): Promise<{ url: string; notices: Array<Record<string, unknown>> }> {
  const notices: Array<Record<string, unknown>> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      notices.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, notices };
}

const tlsMessage = 'TLS handshake failed: the server speaks plain text on this port; set `secure: false` or use port 993';

describe('mailbox down', () => {
  it('TLS against a plain port: outage with the cause, operator alert, held sends, probes left out; all resume after', async () => {
    const w: EmailWorld = await openEmailWorld();
    stops.push(() => w.close());
    const sink = await webhookSink();
    const mailbox = w.settings.mailboxes.default;
    if (!mailbox) throw new Error('no mailbox');
    mailbox.down_after = 300;
    w.settings.alerts = alertsConfigSchema.parse({ targets: { ops: { kind: 'webhook', url: sink.url } } });
    const base = w.catalog.vendors[0];
    const channelDef = base?.channels[0];
    if (!base || !channelDef) throw new Error('no vendor');
    const scheduled: ChannelDef = { ...channelDef, schedule: { every: 60_000, spread: 'week', jitter: 0 } };
    const catalog: Catalog = { ...w.catalog, vendors: [{ ...base, channels: [scheduled] }] };
    const channelId = w.store.vendors.channel('acme', 'email')?.id ?? -1;

    // A probe already out when the mailbox breaks: its first-response outcome falls inside the outage.
    const before = await w.runner.send(w.runner.plan('acme', 'email').id);
    expect(before.state).toBe('sent');
    expect(w.store.stats.timings(channelId, 0, Date.now()).map((p) => p.id)).toEqual([before.id]);

    const engine = createAlertEngine({ store: w.store, catalog, clock: w.clock, logger: silentLogger });
    stops.push(() => engine.stop());
    let changed: () => void = () => undefined;
    const nextChange = () =>
      new Promise<void>((resolve) => {
        changed = resolve;
      });
    const health = createMailboxHealth({
      store: w.store,
      clock: w.clock,
      logger: silentLogger,
      mailbox: 'default',
      settings: mailbox,
      onChange: () => changed(),
    });
    stops.push(() => health.stop());
    const held = (_vendor: unknown, channel: ChannelDef): string | null =>
      'mailbox' in channel && w.store.outages.openOf(channel.mailbox) !== undefined ? `mailbox_down:${channel.mailbox}` : null;
    const scheduler = createScheduler({ store: w.store, catalog, runner: w.runner, clock: w.clock, logger: silentLogger, held });
    stops.push(() => scheduler.stop());
    const dueNow = () => {
      const state = w.store.schedulerState.get(channelId);
      if (!state) throw new Error('no schedule state');
      w.store.schedulerState.save({
        channelId,
        schedule: state.schedule,
        nextDueAt: Date.now() - 1,
        lastDueAt: state.last_due_at,
        lastProbeId: state.last_probe_id,
        lastOutcome: state.last_outcome,
        slots: state.slots,
      });
    };
    await scheduler.tick(); // sets the schedule

    // secure: true (the default) against Dovecot's plain IMAP port.
    mailbox.imap.secure = true;
    const down = nextChange();
    const watcher = worldWatcher(w, { onConnection: (event) => health.report(event), backoff: { initialMs: 50, maxMs: 200 } });
    stops.push(() => watcher.stop());
    await watcher.start();
    await down;
    const outage = w.store.outages.openOf('default');
    expect(outage?.code).toBe('TLS_PLAIN_PORT');
    expect(outage?.cause).toContain(tlsMessage);

    await engine.evaluate();
    await engine.deliver();
    const opened = sink.notices.find((n) => (n.alert as { rule: string }).rule === 'mailbox_down' && n.event === 'opened');
    expect(opened?.text).toContain(tlsMessage);
    expect(opened?.text).toContain('acme/email');
    expect((opened?.alert as { audience: string } | undefined)?.audience).toBe('operator');

    // Sends are held while it lasts; the probe out during the outage leaves the statistics.
    dueNow();
    await scheduler.tick();
    expect(w.store.schedulerState.get(channelId)?.last_outcome).toBe('held:mailbox_down:default');
    expect(w.store.probes.inStates(['scheduled', 'sending', 'sent', 'answered']).map((p) => p.id)).toEqual([before.id]);
    expect(w.store.stats.timings(channelId, 0, Date.now())).toEqual([]);
    expect(w.store.outages.hiddenProbes(outage?.id ?? -1)).toEqual([before.id]);

    // Fixed: the watcher reconnects (backoff), the outage ends, the alert resolves, sends resume.
    const up = nextChange();
    mailbox.imap.secure = false;
    await up;
    expect(w.store.outages.openOf('default')).toBeUndefined();
    expect(w.store.outages.get(outage?.id ?? -1)?.ended_at).not.toBeNull();
    await engine.evaluate();
    await engine.deliver();
    expect(sink.notices.some((n) => (n.alert as { rule: string }).rule === 'mailbox_down' && n.event === 'resolved')).toBe(true);
    dueNow();
    await scheduler.tick();
    expect(w.store.schedulerState.get(channelId)?.last_outcome).toBe('planned');
    const sent = w.store.probes.inStates(['sent', 'answered']).map((p) => p.id);
    expect(sent).toHaveLength(2);
    // The new probe was sent after the outage: it counts; the one inside it still does not.
    expect(w.store.stats.timings(channelId, 0, Date.now()).map((p) => p.id)).toEqual(sent.filter((id) => id !== before.id));
  }, 60_000);
});
