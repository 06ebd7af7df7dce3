// Shared set-up of the browser end-to-end tests: the sandbox vendor site, an SMTP catcher, a store, a browser pool and a runner.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { systemClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { settingsSchema, vendorSchema, type Catalog, type Vendor } from '../../src/config/schema.ts';
import { createProbeRunner, type ProbeRunner } from '../../src/runner/probe-runner.ts';
import { channels } from '../../src/channels/registry.ts';
import { sendChat } from '../../src/channels/chat.ts';
import type { ChannelRegistry, ChannelServices } from '../../src/channels/channel.ts';
import { createBrowserPool, type BrowserPool } from '../../src/browser/pool.ts';
import { startVendorSite, type VendorSite } from '../../src/sandbox/vendor-site.ts';

export interface BrowserRig {
  dir: string;
  site: VendorSite;
  store: Store;
  pool: BrowserPool;
  runner: ProbeRunner;
  catalog: Catalog;
  mails: ParsedMail[];
  /** Follow-ups (chat watches) started so far, to await in tests. */
  followUps: Promise<void>[];
  /** What the runner's channels were given (the open chats among them). */
  services: ChannelServices;
  stop(): Promise<void>;
}

const template = { id: 'q', tier: 'P3', subject: 'Ingest limits {{token}}', body: 'Hello, what are the ingest limits per stream key? Ref {{token}}' };

/** Vendor definitions as functions of the site's URL (the site needs the sandbox scripts before the URLs are known). */
type VendorSpec = (siteUrl: string, uploadFile: string) => Record<string, unknown>;

const formSteps = (upload: string) => [
  { fill: '#name', value: 'Sam Rivera' },
  { fill: '#email', value: '{{reply_to}}' },
  { select: '#topic', value: 'technical' },
  { click: '#next' },
  { fill: '#subject', value: '{{subject}}' },
  { fill: '#message', value: '{{body}}' },
  { upload: '#attachment', file: upload },
  { check: '#consent' },
  { click: '#submit' },
];

export function formVendor(slug: string, sandbox: Record<string, unknown>, timeout = 4000): VendorSpec {
  return (url, upload) => ({
    slug,
    name: slug,
    visibility: 'public',
    rate_caps: { per_day: 1000, per_week: 5000 },
    templates: [template],
    // The sandbox desk answers from its own domain; a form has no address to take it from.
    reply_domains: [`${slug}.demo`],
    channels: [
      {
        id: 'form',
        kind: 'webform',
        url: `${url}/v/${slug}/contact`,
        steps: formSteps(upload),
        timeout,
        confirmation: { wait_for: '#confirmation', ticket_pattern: '#([A-Z]+-\\d+)' },
      },
    ],
    sandbox: { webform: sandbox },
  });
}

export function chatVendor(slug: string, sandbox: Record<string, unknown>, channel: Record<string, unknown> = {}): VendorSpec {
  return (url) => ({
    slug,
    name: slug,
    visibility: 'public',
    rate_caps: { per_day: 1000, per_week: 5000 },
    templates: [template],
    channels: [{ id: 'chat', kind: 'chat', url: `${url}/v/${slug}/`, preset: 'firstreply-sandbox', max_wait: '20s', timeout: 4000, ...channel }],
    sandbox: { chat: sandbox },
  });
}

/** A real mailbox for the probes (a mail stack's), instead of the placeholder no test reads. */
interface RigMail {
  smtp: { host: string; port: number };
  imap: { host: string; port: number };
  user: string;
  pass: string;
  address: string;
}

function catalogOf(specs: VendorSpec[], siteUrl: string, upload: string, dir: string, mail?: RigMail): Catalog {
  const imap = mail
    ? { host: mail.imap.host, port: mail.imap.port, secure: false, user: mail.user, pass: mail.pass }
    : { host: '127.0.0.1', port: 1, secure: false, user: 'p', pass: 'p' };
  const settings = settingsSchema.parse({
    database: join(dir, 'fr.db'),
    evidence_dir: join(dir, 'evidence'),
    mailboxes: { default: { address: mail?.address ?? 'probes@firstreply.test', plus_addressing: true, imap } },
    classifier: { fast_reply_ms: 300 },
  });
  const vendors: Vendor[] = specs.map((spec) => {
    const input = vendorSchema.parse(spec(siteUrl, upload));
    return { ...input, templates: input.templates.flatMap((t) => ('use' in t ? [] : [t])), file: join(dir, `${input.slug}.yaml`) };
  });
  return { dir, settings, vendors };
}

export async function startRig(specs: VendorSpec[], options: { maxChats?: number; mail?: RigMail } = {}): Promise<BrowserRig> {
  const dir = mkdtempSync(join(tmpdir(), 'fr-browser-'));
  const upload = join(dir, 'screenshot-of-error.txt');
  writeFileSync(upload, 'ingest error 429 at 10:02 UTC\n');
  const mails: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      simpleParser(stream).then((mail) => {
        mails.push(mail);
        done();
      }, done);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const address = smtp.server.address();
  const smtpPort = address && typeof address === 'object' ? address.port : 0;

  const site = await startVendorSite({
    catalog: catalogOf(specs, 'http://127.0.0.1:9', upload, dir),
    clock: systemClock,
    logger: silentLogger,
    smtp: options.mail?.smtp ?? { host: '127.0.0.1', port: smtpPort },
  });
  const catalog = catalogOf(specs, site.url, upload, dir, options.mail);
  const store = openStore(catalog.settings.database, systemClock);
  store.vendors.sync(catalog);
  const pool = createBrowserPool({ maxChats: options.maxChats ?? 8, logger: silentLogger });
  const followUps: Promise<void>[] = [];
  // Records each chat watch the runner starts (with the runner's shutdown signal) so tests can await it.
  const registry: ChannelRegistry = {
    ...channels,
    chat: {
      ...channels.chat,
      async send(ctx) {
        const result = await sendChat(ctx);
        const work = result.followUp;
        return {
          ...result,
          followUp: (signal: AbortSignal) => {
            const running = work(signal);
            followUps.push(running);
            return running;
          },
        };
      },
    },
  };
  const services: ChannelServices = {
    store,
    settings: catalog.settings,
    clock: systemClock,
    evidenceDir: catalog.settings.evidence_dir,
    browser: pool,
    openChats: new Map(),
  };
  const runner = createProbeRunner({ store, catalog, clock: systemClock, logger: silentLogger, channels: registry, services });
  return {
    dir,
    site,
    store,
    pool,
    runner,
    catalog,
    mails,
    followUps,
    services,
    async stop() {
      await runner.close();
      await pool.close();
      await site.stop();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Plans and sends one probe on a vendor's only channel. */
export async function probe(rig: BrowserRig, vendor: string) {
  const channel = rig.catalog.vendors.find((v) => v.slug === vendor)?.channels[0]?.id ?? '';
  const planned = rig.runner.plan(vendor, channel, { ignoreCaps: true });
  return rig.runner.send(planned.id);
}

export function evidenceOf(p: { evidence: string }): string[] {
  const parsed: unknown = JSON.parse(p.evidence);
  return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
}
