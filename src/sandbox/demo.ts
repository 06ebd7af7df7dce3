// The demo sandbox: a real mail stack and simulated vendors on loopback, and firstreply probing them live.
import { mkdtemp, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../core/logger.ts';
import { errorMessage } from '../core/errors.ts';
import { systemClock } from '../core/clock.ts';
import { loadCatalog } from '../config/load.ts';
import { startFirstReply, type Running } from '../main.ts';
import { startMailStack } from './mail-stack.ts';
import { startMailVendors } from './mail-vendor.ts';
import { siteVendorsOf, startVendorSite } from './vendor-site.ts';
import { dkimKey, startDnsServer, type DkimKey } from './dns-server.ts';
import { dnsResolver } from '../watch/dkim.ts';
import type { Catalog } from '../config/schema.ts';

export const demoCatalogDir = fileURLToPath(new URL('../../probes/demo', import.meta.url));
export const demoMailbox = { user: 'probes', address: 'probes@firstreply.demo' };

interface DemoOptions {
  /** The status page's port; 0 picks a free one. */
  port: number;
  host: string;
  /** The demo's own database and evidence (never the production one). */
  dataDir: string;
  logger: Logger;
  adminToken?: string | undefined;
  /** Each alert notice the demo's webhook target receives, as one line of text. */
  onAlert?: (line: string) => void;
}

export interface Demo {
  url: string;
  running: Running;
  /** The operator's token: the one given, else one made for this run (the demo's private vendors and trial need it). */
  adminToken: string;
  stop(): Promise<void>;
}

/** A webhook target on loopback: the demo's alerts are delivered to it through the real notifier path. */
async function startAlertSink(onAlert: (line: string) => void): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const notice: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const text = notice && typeof notice === 'object' && 'text' in notice && typeof notice.text === 'string' ? notice.text : '';
        onAlert(text.split('\n')[0] ?? '');
      } catch (err) {
        onAlert(`unreadable alert notice: ${errorMessage(err)}`);
      }
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    stop: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

/** Harbor Live's support hours, relative to the demo's start: open half an hour ago, closing four minutes in. */
export function demoOpenHours(now: number, timeZone = 'Asia/Tokyo'): { FR_DEMO_OPEN_FROM: string; FR_DEMO_OPEN_UNTIL: string } {
  const hhmm = (at: number): string => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  return { FR_DEMO_OPEN_FROM: hhmm(now - 30 * 60_000), FR_DEMO_OPEN_UNTIL: hhmm(now + 4 * 60_000) };
}

/** The domains the sandbox vendors reply from: their desks' addresses and, for forms, <slug>.demo. */
export function demoSigningDomains(catalog: Catalog): string[] {
  const domains = new Set<string>(siteVendorsOf(catalog).map((v) => v.domain));
  for (const vendor of catalog.vendors) {
    if (!vendor.sandbox?.email) continue;
    for (const channel of vendor.channels) {
      const domain = channel.kind === 'email' && 'to' in channel ? channel.to.toLowerCase().split('@')[1] : undefined;
      if (domain) domains.add(domain);
    }
  }
  return [...domains].sort();
}

/** Asks the kernel for a free loopback port (the status page's URL must be known before the catalog loads). */
function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = address && typeof address === 'object' ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export async function startDemo(options: DemoOptions): Promise<Demo> {
  const { logger } = options;
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (err) {
        logger.error({ err }, 'demo stop failed');
      }
    }
    stops.length = 0;
  };
  try {
    const dataDir = resolve(options.dataDir);
    const mailDir = await mkdtemp(join(tmpdir(), 'firstreply-demo-mail-'));
    // Removed on every exit path, also when a second Ctrl-C cuts the orderly stop short.
    const removeMailDir = (): void => rmSync(mailDir, { recursive: true, force: true });
    process.on('exit', removeMailDir);
    stops.push(async () => {
      await rm(mailDir, { recursive: true, force: true });
      process.off('exit', removeMailDir);
    });
    const pass = randomBytes(12).toString('hex');
    const stack = await startMailStack({ dir: mailDir, users: [{ ...demoMailbox, pass }], logger: logger.child({ component: 'mail-stack' }) });
    stops.push(() => stack.stop());

    const sink = await startAlertSink(options.onAlert ?? ((line) => logger.warn({ alert: line }, 'alert')));
    stops.push(() => sink.stop());

    const port = options.port === 0 ? await freePort(options.host) : options.port;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      FR_DEMO_DB: join(dataDir, 'firstreply-demo.db'),
      FR_DEMO_EVIDENCE: join(dataDir, 'evidence'),
      FR_DEMO_URL: `http://${options.host}:${port}`,
      FR_DEMO_SMTP_PORT: String(stack.smtp.port),
      FR_DEMO_IMAP_PORT: String(stack.imap.port),
      FR_DEMO_IMAP_PASS: pass,
      FR_DEMO_SITE_URL: 'http://127.0.0.1:9',
      FR_DEMO_ALERT_URL: sink.url,
      ...demoOpenHours(systemClock.now()),
      // The demo trial covers this run: from a minute before the first probe to a day later.
      FR_DEMO_TRIAL_START: new Date(systemClock.now() - 60_000).toISOString(),
      FR_DEMO_TRIAL_END: new Date(systemClock.now() + 86_400_000).toISOString(),
    };
    // The vendor site needs the catalog's sandbox scripts; the catalog needs the site's URL: load, start, reload.
    const draft = loadCatalog(demoCatalogDir, { env });
    // Every reply the sandbox vendors send is DKIM-signed with a key made for this run and published by a loopback name
    // server, which only this demo's watchers ask: the evidence viewer shows "signed by <vendor>.demo, verified at receipt".
    const dkimKeys = new Map<string, DkimKey>(demoSigningDomains(draft).map((domain) => [domain, dkimKey(domain, 'demo')]));
    const dns = await startDnsServer([...dkimKeys.values()].map((key) => key.record));
    stops.push(() => dns.stop());
    const site = await startVendorSite({ catalog: draft, clock: systemClock, logger: logger.child({ component: 'vendor-site' }), smtp: stack.smtp, dkimKeys });
    stops.push(() => site.stop());
    env.FR_DEMO_SITE_URL = site.url;
    const catalog = loadCatalog(demoCatalogDir, { env });

    const vendors = startMailVendors({ catalog, stack, clock: systemClock, logger: logger.child({ component: 'mail-vendors' }), dkimKeys });
    stops.push(async () => {
      await vendors.stop();
    });

    const adminToken = options.adminToken || randomBytes(16).toString('hex');
    const running = await startFirstReply({
      catalog,
      logger,
      port,
      host: options.host,
      adminToken,
      env,
      dkimResolver: dnsResolver({ servers: [dns.server], timeoutMs: 2_000 }),
    });
    stops.push(() => running.stop());
    return { url: running.url, running, adminToken, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
