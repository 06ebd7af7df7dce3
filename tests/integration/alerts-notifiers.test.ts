// Teams, Discord, PagerDuty and ntfy notices posted to real loopback HTTP peers, each checking its service's payload format.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
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

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP peer on 127.0.0.1:0 that keeps every request and answers as the real service does. */
async function startPeer(status: number, answer = ''): Promise<{ url: string; requests: Received[]; json: (n: number) => unknown }> {
  const requests: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status, answer ? { 'content-type': 'application/json' } : {}).end(answer);
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
  const port = address && typeof address === 'object' ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, requests, json: (n): unknown => JSON.parse(requests[n]?.body ?? 'null') };
}

/** One P3 probe passes its 4 h target unanswered (an SLA breach); `recover` then answers it and two more in time. */
async function breachingSim(alerts: Record<string, unknown>, name?: string) {
  const catalog = simCatalog({ alerts, firstResponse: '4h', publicUrl: 'https://status.example.org/', name });
  const sim = ProbeSimulation.open(':memory:', catalog, start);
  stops.push(() => sim.store.close());
  sim.probe(start, 9 * HOUR);
  await sim.runUntil(start + 4 * HOUR + SECOND);
  const engine = createAlertEngine({ store: sim.store, catalog, clock: sim.clock, logger: silentLogger });
  stops.push(() => engine.stop());
  const recover = async (): Promise<void> => {
    sim.probe(start + 10 * HOUR, 10 * MINUTE);
    sim.probe(start + 11 * HOUR, 10 * MINUTE);
    await sim.runUntil(start + 12 * HOUR);
  };
  return { sim, engine, recover };
}

describe('Teams, Discord, PagerDuty and ntfy notices to loopback peers', () => {
  it('posts a Teams Workflows message holding one Adaptive Card', async () => {
    const teams = await startPeer(202);
    const { engine } = await breachingSim({ targets: { teams: { kind: 'teams', url: `${teams.url}/workflows/abc/triggers/manual/paths/invoke?sig=s3cret` } } });
    await engine.evaluate();
    expect(await engine.deliver()).toMatchObject({ sent: 1, failed: 0 });
    expect(teams.requests[0]).toMatchObject({ method: 'POST', path: '/workflows/abc/triggers/manual/paths/invoke?sig=s3cret' });
    expect(teams.requests[0]?.headers['content-type']).toMatch(/^application\/json/);
    expect(teams.json(0)).toMatchObject({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: expect.arrayContaining([
              { type: 'TextBlock', text: 'SLA breach — Steady Cloud · email', weight: 'Bolder', size: 'Medium', color: 'Warning', wrap: true },
              { type: 'TextBlock', text: expect.stringMatching(/^no human reply to probe #1 \(P3\)/), wrap: true },
              { type: 'FactSet', facts: expect.arrayContaining([{ title: 'First-response target', value: '4 h' }]) },
            ]),
            actions: [{ type: 'Action.OpenUrl', title: 'Vendor page', url: 'https://status.example.org/vendor/steady-cloud' }],
          },
        },
      ],
    });
  });

  it('posts a Discord webhook message: content, one embed with the facts, no mentions, markdown escaped', async () => {
    const discord = await startPeer(204);
    const { engine } = await breachingSim(
      { targets: { team: { kind: 'discord', url: `${discord.url}/api/webhooks/1/tok`, username: 'firstreply' } } },
      'Steady *Cloud* @everyone',
    );
    await engine.evaluate();
    expect(await engine.deliver()).toMatchObject({ sent: 1 });
    expect(discord.json(0)).toMatchObject({
      username: 'firstreply',
      allowed_mentions: { parse: [] },
      content: '\\[firstreply\\] SLA breach — Steady \\*Cloud\\* @everyone · email',
      embeds: [
        {
          title: 'SLA breach — Steady \\*Cloud\\* @everyone · email',
          description: expect.stringMatching(/^no human reply to probe #1/),
          url: 'https://status.example.org/vendor/steady-cloud',
          color: 0x9a6700,
          timestamp: new Date(start + 4 * HOUR + SECOND).toISOString(),
          fields: expect.arrayContaining([
            { name: 'First-response target', value: '4 h', inline: true },
            { name: 'Vendor page', value: 'https://status.example.org/vendor/steady-cloud', inline: false },
          ]),
          footer: { text: expect.stringMatching(/^Alert #1 · rule sla_breach · warning/) },
        },
      ],
    });
  });

  it('triggers a PagerDuty incident and resolves it under the same dedup_key when the alert recovers', async () => {
    const pagerduty = await startPeer(202, JSON.stringify({ status: 'success', message: 'Event processed' }));
    const routingKey = 'R0123456789abcdef0123456789abcdef';
    const { engine, recover, sim } = await breachingSim({
      recovery_probes: 2,
      targets: { pager: { kind: 'pagerduty', routing_key: routingKey, url: `${pagerduty.url}/v2/enqueue` } },
    });
    await engine.evaluate();
    expect(await engine.deliver()).toMatchObject({ sent: 1 });
    expect(pagerduty.requests[0]?.path).toBe('/v2/enqueue');
    expect(pagerduty.json(0)).toMatchObject({
      routing_key: routingKey,
      event_action: 'trigger',
      dedup_key: 'firstreply/steady-cloud/sla_breach/1',
      client: 'firstreply',
      client_url: 'https://status.example.org/vendor/steady-cloud',
      payload: {
        summary: expect.stringMatching(/^SLA breach — Steady Cloud · email: no human reply to probe #1/),
        source: 'firstreply',
        severity: 'warning',
        component: 'steady-cloud',
        group: 'email',
        class: 'sla_breach',
        custom_details: { 'First-response target': '4 h' },
      },
      links: [{ href: 'https://status.example.org/vendor/steady-cloud', text: 'Vendor page' }],
    });

    await recover();
    expect(await engine.evaluate()).toMatchObject({ resolved: 1 });
    expect(await engine.deliver()).toMatchObject({ sent: 1 });
    expect(pagerduty.json(1)).toEqual({ routing_key: routingKey, event_action: 'resolve', dedup_key: 'firstreply/steady-cloud/sla_breach/1' });
    expect(sim.store.alerts.recentDeliveries(5).map((d) => d.state)).toEqual(['sent', 'sent']);
  });

  it('posts plain text to an ntfy topic with Title, Priority, Tags, Click and a Bearer token; non-ASCII titles RFC 2047 encoded', async () => {
    const ntfy = await startPeer(200, JSON.stringify({ id: 'x', event: 'message' }));
    const { engine, recover } = await breachingSim(
      { targets: { phone: { kind: 'ntfy', url: `${ntfy.url}/firstreply-ops`, token: 'tk_loopback', tags: ['firstreply'] } } },
      '云 Steady',
    );
    await engine.evaluate();
    expect(await engine.deliver()).toMatchObject({ sent: 1 });
    const [opened] = ntfy.requests;
    expect(opened).toMatchObject({ method: 'POST', path: '/firstreply-ops' });
    expect(opened?.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(opened?.headers.authorization).toBe('Bearer tk_loopback');
    expect(opened?.headers.priority).toBe('4');
    expect(opened?.headers.tags).toBe('warning,sla_breach,steady-cloud,firstreply');
    expect(opened?.headers.click).toBe('https://status.example.org/vendor/steady-cloud');
    const title = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=$/.exec(String(opened?.headers.title));
    expect(Buffer.from(title?.[1] ?? '', 'base64').toString('utf8')).toBe('SLA breach — 云 Steady · email');
    expect(opened?.body).toMatch(/^no human reply to probe #1 \(P3\)/);
    expect(opened?.body).toContain('First-response target: 4 h');

    await recover();
    await engine.evaluate();
    await engine.deliver();
    expect(ntfy.requests[1]?.headers).toMatchObject({ priority: '3', tags: 'white_check_mark,sla_breach,steady-cloud,firstreply' });
    expect(ntfy.requests[1]?.body).toContain('When it opened: ');
  });
});
