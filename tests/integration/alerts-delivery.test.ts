import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { pino } from 'pino';
import { HOUR, MINUTE, SECOND } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createAlertEngine } from '../../src/alerts/engine.ts';
import { ProbeSimulation, simCatalog } from '../helpers/alerts-sim.ts';

const start = Date.UTC(2026, 2, 2, 8, 0);
const stops: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const stop of stops.reverse()) await stop();
  stops.length = 0;
});

interface Captured {
  from: string;
  to: string[];
  raw: Buffer;
}

async function startSmtp(): Promise<{ port: number; mails: Captured[]; next: () => Promise<Captured> }> {
  const mails: Captured[] = [];
  const waiters: Array<(m: Captured) => void> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        };
        mails.push(mail);
        waiters.shift()?.(mail);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.server.address();
  const port = address && typeof address === 'object' ? (address satisfies AddressInfo).port : 0;
  return { port, mails, next: () => new Promise<Captured>((resolve) => waiters.push(resolve)) };
}

interface Hook {
  url: string;
  bodies: unknown[];
  /** Decides each request's status; may hold the response open. */
  respond: (req: IncomingMessage, res: ServerResponse, n: number) => void;
  /** Resolves when request number n has arrived. */
  arrived: (n: number) => Promise<void>;
}

async function startHook(respond: Hook['respond'] = (_req, res) => res.end('ok')): Promise<Hook> {
  let n = 0;
  const waiters = new Map<number, () => void>();
  const hook: Hook = {
    url: '',
    bodies: [],
    respond,
    arrived: (k) => (n >= k ? Promise.resolve() : new Promise<void>((resolve) => waiters.set(k, resolve))),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hook.bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      hook.respond(req, res, ++n);
      waiters.get(n)?.();
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
  hook.url = `http://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}/hook/secret-token`;
  return hook;
}

/** A store with one probe that passes its 4 h target without a reply: an SLA breach in flight. */
async function breachingSim(alerts: Record<string, unknown>, extra: { smtp?: Record<string, unknown>; name?: string } = {}) {
  const catalog = simCatalog({ alerts, firstResponse: '4h', publicUrl: 'https://status.example.org/', name: extra.name, smtp: extra.smtp });
  const sim = ProbeSimulation.open(':memory:', catalog, start);
  stops.push(() => sim.store.close());
  sim.probe(start, 9 * HOUR);
  await sim.runUntil(start + 4 * HOUR + SECOND);
  return { catalog, sim };
}

function captureLogs() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, callback) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('alert notices to real loopback peers', () => {
  it('e-mails an SLA breach with text and HTML, the numbers, an escaped vendor name and the vendor page link', async () => {
    const smtp = await startSmtp();
    const { catalog, sim } = await breachingSim(
      { targets: { ops: { kind: 'email', smtp: 'alerts', to: ['oncall@firstreply.test'] } } },
      { name: 'Steady <b>Cloud</b> & Co', smtp: { alerts: { host: '127.0.0.1', port: smtp.port, security: 'plain', from: 'alerts@firstreply.test' } } },
    );
    const engine = createAlertEngine({ store: sim.store, catalog, clock: sim.clock, logger: silentLogger });
    stops.push(() => engine.stop());
    const arrived = smtp.next();
    const report = await engine.evaluate();
    expect(report.opened).toBe(1);
    const mail = await simpleParser((await arrived).raw);
    expect((await arrived).to).toEqual(['oncall@firstreply.test']);
    expect(mail.subject).toBe('[firstreply] SLA breach — Steady <b>Cloud</b> & Co · email');
    expect(mail.text).toContain('no human reply to probe #1 (P3) 4 h after sending: the 4 h first-response target has passed');
    expect(mail.text).toContain('First-response target: 4 h');
    expect(mail.text).toContain('Vendor page: https://status.example.org/vendor/steady-cloud');
    expect(mail.html).toContain('Steady &lt;b&gt;Cloud&lt;/b&gt; &amp; Co');
    expect(mail.html).not.toContain('<b>Cloud</b>');
    expect(mail.html).toContain('href="https://status.example.org/vendor/steady-cloud"');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    await engine.deliver();
    expect(sim.store.alerts.recentDeliveries(5).map((d) => d.state)).toEqual(['sent']);
  });

  it('posts the JSON webhook and the Slack-compatible payload', async () => {
    const hook = await startHook();
    const slack = await startHook();
    const { catalog, sim } = await breachingSim({
      targets: {
        hook: { kind: 'webhook', url: hook.url, headers: { authorization: 'Bearer t0ken' } },
        chat: { kind: 'slack', url: slack.url, channel: '#vendors' },
      },
    });
    const engine = createAlertEngine({ store: sim.store, catalog, clock: sim.clock, logger: silentLogger });
    stops.push(() => engine.stop());
    await engine.evaluate();
    await engine.deliver();
    expect(hook.bodies).toHaveLength(1);
    expect(hook.bodies[0]).toMatchObject({
      type: 'firstreply.alert',
      event: 'opened',
      alert: { rule: 'sla_breach', vendor: 'steady-cloud', vendor_name: 'Steady Cloud', channel: 'email', audience: 'subscriber', state: 'open' },
      numbers: { probe: 1, target_ms: 4 * HOUR, waiting_ms: 4 * HOUR + SECOND },
      url: 'https://status.example.org/vendor/steady-cloud',
    });
    expect(slack.bodies[0]).toMatchObject({ channel: '#vendors', text: expect.stringContaining('*SLA breach — Steady Cloud · email*') });
    expect(JSON.stringify(slack.bodies[0])).toContain('<https://status.example.org/vendor/steady-cloud|Vendor page>');
  });

  it('retries a failing webhook with backoff, logs each failure, and never holds up evaluation or probing', async () => {
    let release: () => void = () => undefined;
    const hook = await startHook((_req, res, n) => {
      if (n === 1)
        release = () => res.writeHead(502).end('bad gateway'); // held open until the test lets go
      else if (n === 2) res.writeHead(500).end('down');
      else res.end('ok');
    });
    const { logger, lines } = captureLogs();
    const { catalog, sim } = await breachingSim({
      targets: { hook: { kind: 'webhook', url: hook.url } },
      delivery: { backoff: '30s', max_backoff: '10m', timeout: '30s' },
    });
    const engine = createAlertEngine({ store: sim.store, catalog, clock: sim.clock, logger });
    stops.push(() => engine.stop());

    const firstPass = engine.deliver();
    expect(await engine.evaluate()).toMatchObject({ opened: 1, queued: 1 });
    const waitingForHook = engine.deliver();
    await hook.arrived(1);
    // The webhook holds the request open; probes keep being written and rules keep running meanwhile.
    sim.probe(sim.clock.now() + MINUTE, null);
    await sim.runUntil(sim.clock.now() + 5 * HOUR);
    const next = await engine.evaluate();
    expect(next.opened).toBe(0);
    expect(sim.store.probes.open().length).toBeGreaterThanOrEqual(1);
    await firstPass;
    await hook.arrived(1);
    release();
    expect(await waitingForHook).toMatchObject({ retrying: 1, sent: 0 });
    const [row] = sim.store.alerts.recentDeliveries(1);
    expect(row).toMatchObject({ state: 'pending', attempts: 1 });
    expect(row?.next_attempt_at).toBe(sim.clock.now() + 30 * SECOND);

    expect(await engine.deliver()).toMatchObject({ sent: 0, retrying: 0 }); // not due yet
    sim.clock.advance(30 * SECOND);
    expect(await engine.deliver()).toMatchObject({ retrying: 1 });
    expect(sim.store.alerts.recentDeliveries(1)[0]?.next_attempt_at).toBe(sim.clock.now() + 60 * SECOND);
    sim.clock.advance(60 * SECOND);
    expect(await engine.deliver()).toMatchObject({ sent: 1 });
    expect(sim.store.alerts.recentDeliveries(1)[0]).toMatchObject({ state: 'sent', attempts: 3 });
    expect(hook.bodies).toHaveLength(3);

    const failures = lines.filter((l) => l.msg === 'alert notice failed, will retry');
    expect(failures.map((l) => l.attempt)).toEqual([1, 2]);
    // The error is logged whole (message, stack, cause): none of it may carry the target's secret.
    expect(JSON.stringify(failures[0]?.err)).toContain('answered 502');
    expect(JSON.stringify(failures[0]?.err)).not.toContain('secret-token');
    expect(lines.some((l) => l.msg === 'alert notice delivered' && l.attempt === 3)).toBe(true);
  });

  it('gives up after max_attempts and keeps the error', async () => {
    const hook = await startHook((_req, res) => res.writeHead(503).end('nope'));
    const { catalog, sim } = await breachingSim({ targets: { hook: { kind: 'webhook', url: hook.url } }, delivery: { max_attempts: 2, backoff: '1s' } });
    const engine = createAlertEngine({ store: sim.store, catalog, clock: sim.clock, logger: silentLogger });
    stops.push(() => engine.stop());
    await engine.evaluate();
    await engine.deliver();
    sim.clock.advance(SECOND);
    expect(await engine.deliver()).toMatchObject({ failed: 1 });
    expect(sim.store.alerts.recentDeliveries(1)[0]).toMatchObject({ state: 'failed', attempts: 2, last_error: expect.stringContaining('503') });
  });
});
