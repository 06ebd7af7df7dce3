// Prometheus /metrics: off by default (404), on with `metrics: true`, its own listener with metrics_listen, private vendors folded.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { buildMetricsApp, createPrometheus, type Prometheus } from '../../src/server/prometheus.ts';
import { startFirstReply } from '../../src/main.ts';
import { loadCatalog } from '../../src/config/load.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { openFixtureStore, type FixtureStore } from '../helpers/fixture-store.ts';

const series = [
  'firstreply_probes_sent_total',
  'firstreply_probes_failed_total',
  'firstreply_replies_total',
  'firstreply_detection_lag_seconds_bucket',
  'firstreply_imap_connected',
  'firstreply_review_queue_length',
  'firstreply_alert_deliveries_total',
  'firstreply_event_loop_delay_seconds',
];

/** The value of one sample line, e.g. sample(text, 'firstreply_replies_total{label="human"}'). */
function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

let fixture: FixtureStore;
let prometheus: Prometheus;
let app: FastifyInstance;

beforeAll(async () => {
  fixture = openFixtureStore();
  prometheus = createPrometheus({ store: fixture.store });
  prometheus.imapConnection('default', 'up');
  app = await buildApp({ store: fixture.store, clock: fixture.clock, metrics: prometheus });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  prometheus.close();
  fixture.close();
});

describe('/metrics', () => {
  it('exposes probes, replies, detection lag, IMAP, review queue, alert deliveries and event-loop delay', async () => {
    const res = await app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    for (const name of series) expect(res.body, name).toContain(`${name}`);
    const sent = fixture.store.db
      .prepare<[], { n: number }>(
        "SELECT count(*) AS n FROM probes p JOIN channels c ON c.id = p.channel_id WHERE c.vendor = 'acme-cloud' AND c.channel = 'email' AND p.sent_at IS NOT NULL",
      )
      .get()?.n;
    expect(sample(res.body, 'firstreply_probes_sent_total{vendor="acme-cloud",channel="email"}')).toBe(sent);
    expect(sample(res.body, 'firstreply_replies_total{label="human"}')).toBeGreaterThan(100);
    expect(sample(res.body, 'firstreply_imap_connected{mailbox="default"}')).toBe(1);
    const messages = fixture.store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM messages').get()?.n;
    expect(sample(res.body, 'firstreply_detection_lag_seconds_count')).toBe(messages);
    // A second scrape reads only new messages: the histogram does not count them twice.
    expect(sample((await app.inject({ url: '/metrics' })).body, 'firstreply_detection_lag_seconds_count')).toBe(messages);
  });

  it('counts private vendors together unless the operator names them', async () => {
    const folded = (await app.inject({ url: '/metrics' })).body;
    expect(folded).not.toContain('hidden-lab');
    expect(folded).toContain('vendor="private"');
    const named = createPrometheus({ store: fixture.store, privateVendorNames: true });
    try {
      expect((await named.scrape()).text).toContain('vendor="hidden-lab"');
    } finally {
      named.close();
    }
  });

  it('answers 404 when metrics are off, and only /metrics on a listener of its own', async () => {
    const off = await buildApp({ store: fixture.store, clock: fixture.clock });
    try {
      expect((await off.inject({ url: '/metrics' })).statusCode).toBe(404);
    } finally {
      await off.close();
    }
    const own = await buildMetricsApp(prometheus);
    try {
      const base = await own.listen({ port: 0, host: '127.0.0.1' });
      expect((await fetch(`${base}/metrics`)).status).toBe(200);
      expect((await fetch(`${base}/api/v1/vendors`)).status).toBe(404);
    } finally {
      await own.close();
    }
  });
});

describe('the setting', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  async function serve(settings: string, metricsFromEnv = false): Promise<number> {
    const dir = await mkdtemp(join(tmpdir(), 'firstreply-metrics-'));
    dirs.push(dir);
    await writeFile(join(dir, 'settings.yaml'), `database: ${join(dir, 'fr.db')}\nevidence_dir: ${join(dir, 'evidence')}\n${settings}`);
    await writeFile(
      join(dir, 'phoneco.yaml'),
      [
        'slug: phoneco',
        'name: PhoneCo',
        'visibility: public',
        'timezone: Europe/Paris',
        'templates:',
        '  - { id: q, tier: P3, language: en, subject: "Question {{token}}", body: "Hello, ref {{token}}" }',
        'channels:',
        '  - { id: hotline, kind: manual, medium: phone }',
        'rate_caps: { per_day: 3, per_week: 10 }',
        '',
      ].join('\n'),
    );
    const running = await startFirstReply({
      catalog: loadCatalog(dir, { mailSecrets: false }),
      logger: silentLogger,
      port: 0,
      metrics: metricsFromEnv,
      schedule: false,
      watch: false,
      alerts: false,
      reconcile: false,
      triggerProbes: false,
    });
    try {
      return (await fetch(`${running.url}/metrics`)).status;
    } finally {
      await running.stop();
    }
  }

  it('is off by default and on with `metrics: true` or FIRSTREPLY_METRICS=1', async () => {
    expect(await serve('')).toBe(404);
    expect(await serve('metrics: true\n')).toBe(200);
    expect(await serve('', true)).toBe(200);
  }, 60_000);
});
