// Prometheus metrics (prom-client): probes, replies, detection lag, IMAP connections, review queue, alert deliveries, event loop.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import Fastify, { type FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from '../store/db.ts';
import { telemetryQueries } from '../store/telemetry.ts';

interface PrometheusOptions {
  store: Store;
  /** settings metrics_private_vendors: name private vendors in labels; otherwise they are counted as vendor="private". */
  privateVendorNames?: boolean;
}

export interface Prometheus {
  registry: Registry;
  /** From each mailbox watcher's connection events. */
  imapConnection(mailbox: string, state: 'up' | 'down'): void;
  /** The exposition text and its content type. */
  scrape(): Promise<{ contentType: string; text: string }>;
  close(): void;
}

/** Label value standing for every private vendor unless the operator names them. */
const privateVendorLabel = 'private';
/** Messages read per scrape for the lag histogram: a first scrape of a large store catches up over a few scrapes. */
const lagBatch = 50_000;

export function createPrometheus(options: PrometheusOptions): Prometheus {
  const queries = telemetryQueries(options.store);
  const registry = new Registry();
  const vendorLabel = (row: { vendor: string; private: number }) => (row.private && !options.privateVendorNames ? privateVendorLabel : row.vendor);

  /** Counts read from the store at each scrape, summed per label set (private vendors fold into one). */
  const probeCounts = () => {
    const sums = new Map<string, { vendor: string; channel: string; sent: number; failed: number; unknown: number }>();
    for (const row of queries.probes()) {
      const vendor = vendorLabel(row);
      const key = `${vendor}\n${row.channel}`;
      const sum = sums.get(key) ?? { vendor, channel: row.channel, sent: 0, failed: 0, unknown: 0 };
      sum.sent += row.sent;
      sum.failed += row.send_failed;
      sum.unknown += row.send_unknown;
      sums.set(key, sum);
    }
    return [...sums.values()];
  };

  new Counter({
    name: 'firstreply_probes_sent_total',
    help: 'Probes the channel accepted (SMTP 250, form confirmation, chat message shown), by vendor and channel',
    labelNames: ['vendor', 'channel'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of probeCounts()) this.inc({ vendor: c.vendor, channel: c.channel }, c.sent);
    },
  });
  new Counter({
    name: 'firstreply_probes_failed_total',
    help: 'Probes not sent (send_failed) or whose send is unknown (send_unknown), by vendor and channel',
    labelNames: ['vendor', 'channel', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of probeCounts()) {
        this.inc({ vendor: c.vendor, channel: c.channel, state: 'send_failed' }, c.failed);
        this.inc({ vendor: c.vendor, channel: c.channel, state: 'send_unknown' }, c.unknown);
      }
    },
  });
  new Counter({
    name: 'firstreply_replies_total',
    help: "Replies matched to a probe, by label (a person's review wins over the classifier)",
    labelNames: ['label'],
    registers: [registry],
    collect() {
      this.reset();
      for (const row of queries.replies()) this.inc({ label: row.label }, row.n);
    },
  });
  let lastMessageId = 0;
  new Histogram({
    name: 'firstreply_detection_lag_seconds',
    help: 'detected_at − received_at of each stored message: how long a reply waited before firstreply saw it',
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600],
    registers: [registry],
    collect() {
      for (const row of queries.lagsAfter(lastMessageId, lagBatch)) {
        this.observe(Math.max(0, row.lag_ms) / 1000);
        lastMessageId = row.id;
      }
    },
  });
  const imap = new Gauge({
    name: 'firstreply_imap_connected',
    help: "1 while the mailbox's IMAP connection is up, 0 while it is down",
    labelNames: ['mailbox'],
    registers: [registry],
  });
  new Gauge({
    name: 'firstreply_review_queue_length',
    help: "Probes awaiting a person's review (their first reply could not be classified)",
    registers: [registry],
    collect() {
      this.set(queries.awaitingReview());
    },
  });
  new Counter({
    name: 'firstreply_alert_deliveries_total',
    help: 'Alert notices by notifier kind and delivery state (pending, sent, failed)',
    labelNames: ['kind', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const row of queries.deliveries()) this.inc({ kind: row.kind, state: row.state }, row.n);
    },
  });
  const loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  new Gauge({
    name: 'firstreply_event_loop_delay_seconds',
    help: 'Event-loop delay since the previous scrape (quantile 1 = the maximum)',
    labelNames: ['quantile'],
    registers: [registry],
    collect() {
      if (loop.count > 0) {
        for (const q of [0.5, 0.9, 0.99]) this.set({ quantile: String(q) }, loop.percentile(q * 100) / 1e9);
        this.set({ quantile: '1' }, loop.max / 1e9);
      }
      loop.reset();
    },
  });

  return {
    registry,
    imapConnection: (mailbox, state) => imap.set({ mailbox }, state === 'up' ? 1 : 0),
    scrape: async () => ({ contentType: registry.contentType, text: await registry.metrics() }),
    close: () => loop.disable(),
  };
}

/** GET /metrics on an app (the status server, or a listener of its own). */
export function metricsRoute(app: FastifyInstance, prometheus: Prometheus): void {
  app.get('/metrics', { compress: false }, async (_request, reply) => {
    const { contentType, text } = await prometheus.scrape();
    return reply.header('cache-control', 'no-store').type(contentType).send(text);
  });
}

/** The listener of settings metrics_listen: /metrics and nothing else. */
export async function buildMetricsApp(prometheus: Prometheus): Promise<FastifyInstance> {
  const app = Fastify();
  metricsRoute(app, prometheus);
  return app;
}
