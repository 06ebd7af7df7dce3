// The one composition root: wires catalog → store → channels and watchers → scheduler → alerts → server, and stops them in
// reverse; `start`, `serve`, `probe` and the demo are this with options.
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from './core/clock.ts';
import type { Logger } from './core/logger.ts';

import type { Catalog, ChannelDef, ChannelKind } from './config/schema.ts';
import { openStore, type Store } from './store/db.ts';
import { channels } from './channels/registry.ts';
import type { ChannelModule, ChannelRegistry, ChannelServices, ChannelWatcher, WatchContext } from './channels/channel.ts';
import { createProbeRunner, type ProbeRunner } from './runner/probe-runner.ts';
import { createConversations } from './runner/conversation.ts';
import { createMailWatcher } from './watch/imap.ts';
import type { DNSResolver } from './watch/dkim.ts';
import { createMailboxHealth } from './watch/mailbox-health.ts';
import { renderTemplate } from './runner/render.ts';
import { sentSubject } from './channels/email.ts';
import type { ProbeView } from './store/probes.ts';
import { classifyElsewhereAndRemember } from './replies/template-memory.ts';
import { createClassifierPool } from './classify/worker-pool.ts';
import { createScheduler } from './scheduler/scheduler.ts';
import { createAlertEngine } from './alerts/engine.ts';
import { createBrowserPool } from './browser/pool.ts';
import { buildApp } from './server/app.ts';
import { loadTrials } from './trials/load.ts';
import { printPdf } from './trials/pdf.ts';
import { buildMetricsApp, createPrometheus } from './server/prometheus.ts';

interface StartOptions {
  catalog: Catalog;
  logger: Logger;
  clock?: Clock;
  /** The channel kinds (default: the registry); tests wrap a module. */
  channels?: ChannelRegistry;
  /** The store's file (default: settings.yaml `database`). */
  database?: string | undefined;
  /** Serve the page and API (off for `probe`). */
  listen?: boolean;
  /** Where the page listens (default 127.0.0.1:8080); port 0 picks a free one. */
  port?: number;
  host?: string;
  /** FIRSTREPLY_ADMIN_TOKEN, from the environment. */
  adminToken?: string | undefined;
  /** Run the scheduler, which also expires open probes (off for `serve`, `probe` and tests that send by hand). */
  schedule?: boolean;
  /** Watch the mailboxes (and channels with a watcher of their own) for replies. */
  watch?: boolean;
  /** Evaluate alert rules and deliver notices (off for `serve` and `probe`). */
  alerts?: boolean;
  /** Settle probes a crash left in `sending` (off where another process may be sending: `serve`, `probe`). */
  reconcile?: boolean;
  /** Let the admin page send a probe now (off for `serve`, which only reads). */
  triggerProbes?: boolean;
  /** Serve Prometheus /metrics even if settings.yaml does not say `metrics: true` (FIRSTREPLY_METRICS=1). */
  metrics?: boolean;
  /** The variables trial files are expanded with (default: the process's; the demo passes its own). */
  env?: NodeJS.ProcessEnv;
  /** Looks up signers' DKIM keys for the mail watchers (the demo: its loopback name server); the system's DNS by default. */
  dkimResolver?: DNSResolver;
}

export interface Running {
  /** The page's address; empty when not listening. */
  url: string;
  store: Store;
  runner: ProbeRunner;
  stop(): Promise<void>;
}

/** Mailboxes some channel of the catalog replies to: only those get a watcher. */
/** The text a probe was sent with, rendered again from its template (deterministic for its token and schedule). */
export function probeTextOf(catalog: Catalog, probe: ProbeView): { subject: string; body: string } | undefined {
  const vendor = catalog.vendors.find((v) => v.slug === probe.vendor);
  const template = vendor?.templates.find((t) => t.id === probe.template);
  if (!vendor || !template) return undefined;
  const rendered = renderTemplate(template, { token: probe.token, vendor, now: probe.scheduled_at });
  return probe.kind === 'email' ? { ...rendered, subject: sentSubject(rendered.subject, probe.token) } : rendered;
}

function mailboxesInUse(catalog: Catalog, registry: ChannelRegistry): string[] {
  const names = new Set<string>();
  for (const vendor of catalog.vendors) {
    for (const channel of vendor.channels) {
      if (registry[channel.kind].needs.mailbox && 'mailbox' in channel && channel.mailbox) names.add(channel.mailbox);
    }
  }
  return [...names].filter((name) => Object.hasOwn(catalog.settings.mailboxes, name));
}

const needsBrowser = (catalog: Catalog, registry: ChannelRegistry): boolean =>
  catalog.vendors.some((v) => v.channels.some((c) => registry[c.kind].needs.browser));

/** Starts one channel's own watcher; the registry guarantees the module is the channel's kind. */
function startChannelWatcher<K extends ChannelKind>(module: ChannelModule<K>, ctx: WatchContext<K>): Promise<ChannelWatcher> {
  if (!module.watch) throw new Error(`channel kind ${module.kind} has no watcher`);
  return module.watch(ctx);
}

export async function startFirstReply(options: StartOptions): Promise<Running> {
  const { catalog, logger } = options;
  const clock = options.clock ?? systemClock;
  const registry = options.channels ?? channels;
  const settings = catalog.settings;
  const stops: Array<{ name: string; stop: () => Promise<void> | void }> = [];
  const stopAll = async (): Promise<void> => {
    for (const { name, stop } of stops.reverse()) {
      try {
        await stop();
      } catch (err) {
        logger.error({ component: name, err }, 'stop failed');
      }
    }
    stops.length = 0;
  };

  try {
    const store = openStore(resolve(options.database ?? settings.database), clock);
    stops.push({ name: 'store', stop: () => store.close() });
    store.vendors.sync(catalog);
    const prometheus =
      (settings.metrics ?? false) || options.metrics ? createPrometheus({ store, privateVendorNames: settings.metrics_private_vendors ?? false }) : undefined;
    if (prometheus) stops.push({ name: 'metrics', stop: () => prometheus.close() });

    const browser = needsBrowser(catalog, registry)
      ? createBrowserPool({ executable: settings.browser.executable, maxChats: settings.browser.max_chats, logger: logger.child({ component: 'browser' }) })
      : undefined;
    if (browser) stops.push({ name: 'browser', stop: () => browser.close() });
    // A trial report's PDF export prints with the channels' browser, else with one of its own made on first use.
    let ownReportBrowser: ReturnType<typeof createBrowserPool> | undefined;
    const reportBrowser = () => {
      if (browser) return browser;
      if (!ownReportBrowser) {
        const pool = createBrowserPool({ executable: settings.browser.executable, maxChats: 1, logger: logger.child({ component: 'report-browser' }) });
        stops.push({ name: 'report browser', stop: () => pool.close() });
        ownReportBrowser = pool;
      }
      return ownReportBrowser;
    };
    const services: ChannelServices = { store, settings, clock, evidenceDir: resolve(settings.evidence_dir), browser, openChats: new Map() };
    const runner = createProbeRunner({ store, catalog, clock, logger: logger.child({ component: 'runner' }), channels: registry, services });
    stops.push({ name: 'runner', stop: () => runner.close() });
    const conversations = createConversations({ store, catalog, clock, logger: logger.child({ component: 'conversations' }), channels: registry, services });
    stops.push({ name: 'conversations', stop: () => conversations.stop() });

    const alertsOn = options.alerts ?? true;
    const alerts = alertsOn ? createAlertEngine({ store, catalog, clock, logger: logger.child({ component: 'alerts' }) }) : undefined;
    if (alerts) stops.push({ name: 'alerts', stop: () => alerts.stop() });
    // Every probe change re-runs the rules at once (an SLA breach must not wait for the next tick); runs never overlap.
    let evaluation: Promise<void> | null = null;
    let again = false;
    const evaluateAlerts = (): void => {
      if (!alerts) return;
      if (evaluation) {
        again = true;
        return;
      }
      evaluation = alerts
        .evaluate()
        .then(() => alerts.deliver())
        .then(
          () => undefined,
          (err: unknown) => logger.error({ err }, 'alert evaluation failed'),
        )
        .finally(() => {
          evaluation = null;
          if (again) {
            again = false;
            evaluateAlerts();
          }
        });
    };
    if (alerts) {
      store.events.on('probe', evaluateAlerts);
      stops.push({
        name: 'alert evaluation',
        stop: async () => {
          store.events.off('probe', evaluateAlerts);
          await evaluation;
        },
      });
    }

    if (options.reconcile ?? true) {
      const reconciled = await runner.reconcile();
      if (reconciled.length > 0) logger.info({ probes: reconciled.map((p) => `${p.id}:${p.state}`) }, 'reconciled probes interrupted while sending');
      const rounds = await conversations.reconcile();
      if (rounds.length > 0)
        logger.info({ rounds: rounds.map((r) => `${r.probe_id}/${r.round}:${r.state}`) }, 'reconciled follow-ups interrupted while sending');
    }
    // Before the watchers start: every reply stored from now on is looked at for a follow-up.
    conversations.start();

    const watch = options.watch ?? true;
    if (watch) {
      for (const vendor of catalog.vendors) {
        for (const channel of vendor.channels) {
          const module = registry[channel.kind];
          if (!channel.enabled || !module.watch) continue;
          const watcher = await startChannelWatcher(module, {
            vendor,
            channel,
            catalog,
            services,
            logger: logger.child({ component: 'watch', vendor: vendor.slug, channel: channel.id }),
          });
          stops.push({ name: `watcher ${vendor.slug}/${channel.id}`, stop: () => watcher.stop() });
        }
      }
    }
    const watched = watch ? mailboxesInUse(catalog, registry) : [];
    if (watched.length > 0) {
      // Parsing and classifying run on a worker thread: no mail, however hostile, holds the page, the scheduler or SMTP timing.
      const pool = createClassifierPool();
      stops.push({ name: 'classifier pool', stop: () => pool.close() });
      for (const mailbox of watched) {
        const mailboxSettings = settings.mailboxes[mailbox];
        if (!mailboxSettings) continue;
        const health = createMailboxHealth({
          store,
          clock,
          logger: logger.child({ component: 'mailbox-health', mailbox }),
          mailbox,
          settings: mailboxSettings,
          onChange: evaluateAlerts,
        });
        stops.push({ name: `health ${mailbox}`, stop: () => health.stop() });
        const watcher = createMailWatcher({
          store,
          settings,
          mailbox,
          clock,
          logger: logger.child({ component: 'imap', mailbox }),
          onConnection: (event) => {
            health.report(event);
            prometheus?.imapConnection(mailbox, event.state);
          },
          parse: (raw) => pool.parse(raw),
          classify: (mail, context) => classifyElsewhereAndRemember(store, mail, context, (m, c) => pool.classify(m, c)),
          probeText: (probe) => probeTextOf(catalog, probe),
          ...(options.dkimResolver ? { dkimResolver: options.dkimResolver } : {}),
        });
        await watcher.start();
        stops.push({ name: `watcher ${mailbox}`, stop: () => watcher.stop() });
      }
    }

    let url = '';
    if (options.listen ?? true) {
      const host = options.host ?? '127.0.0.1';
      const app = await buildApp({
        store,
        clock,
        logger: logger.child({ component: 'http' }),
        adminToken: options.adminToken,
        demoTime: settings.demo_time,
        publicUrl: settings.public_url,
        trustProxy: settings.trust_proxy,
        statusWorker: true,
        trials: loadTrials(catalog, { env: options.env ?? process.env }),
        evidenceDir: resolve(settings.evidence_dir),
        printReport: (html, footer) => printPdf(reportBrowser(), html, { footer }),
        metrics: settings.metrics_listen === undefined ? prometheus : undefined,
        ...((options.triggerProbes ?? true)
          ? {
              triggerProbe: async (vendor: string, channel: string) => {
                const probe = runner.plan(vendor, channel);
                void runner.send(probe.id);
                return { probeId: probe.id };
              },
            }
          : {}),
      });
      await app.listen({ port: options.port ?? 8080, host });
      stops.push({ name: 'http', stop: () => app.close() });
      const address = app.server.address();
      const port = address && typeof address === 'object' ? (address satisfies AddressInfo).port : options.port;
      url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    }

    if (prometheus && settings.metrics_listen !== undefined && (options.listen ?? true)) {
      const metricsApp = await buildMetricsApp(prometheus);
      const { hostname, port } = new URL(`http://${settings.metrics_listen}`);
      await metricsApp.listen({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port) });
      stops.push({ name: 'metrics http', stop: () => metricsApp.close() });
    }

    if (options.schedule ?? true) {
      // A channel whose replies go to a mailbox we cannot read sends nothing: we could not observe the answer.
      // Only a watcher ends an outage, so without watchers nothing is held.
      const held = (_vendor: unknown, channel: ChannelDef): string | null =>
        'mailbox' in channel && store.outages.openOf(channel.mailbox) !== undefined ? `mailbox_down:${channel.mailbox}` : null;
      const scheduler = createScheduler({ store, catalog, runner, clock, logger: logger.child({ component: 'scheduler' }), ...(watch ? { held } : {}) });
      scheduler.start();
      stops.push({ name: 'scheduler', stop: () => scheduler.stop() });
    }
    alerts?.start();

    logger.info({ url, vendors: catalog.vendors.length }, 'firstreply running');
    return { url, store, runner, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
