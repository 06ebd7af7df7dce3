// Shared set-up of the e-mail integration tests: a real mail stack, settings and a catalog pointing at it, a store and a runner.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, type Clock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { settingsSchema, vendorSchema, type Catalog, type Settings } from '../../src/config/schema.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { startMailStack, type MailStack } from '../../src/sandbox/mail-stack.ts';
import { createProbeRunner, type ProbeRunner } from '../../src/runner/probe-runner.ts';
import { channels } from '../../src/channels/registry.ts';
import { createEmailChannel } from '../../src/channels/email.ts';
import type { ChannelRegistry } from '../../src/channels/channel.ts';
import { createMailWatcher, type MailWatcher, type MailWatcherOptions } from '../../src/watch/imap.ts';

export const probeAddress = 'probes@firstreply.test';
export const vendorAddress = 'support@acme.test';

export interface EmailWorld {
  dir: string;
  stack: MailStack;
  settings: Settings;
  catalog: Catalog;
  store: Store;
  clock: Clock;
  runner: ProbeRunner;
  registry: ChannelRegistry;
  /** A runner on the same store, as after a restart. */
  newRunner(): ProbeRunner;
  close(): Promise<void>;
}

export function worldSettings(stack: Pick<MailStack, 'smtp' | 'imap'>, dir: string, smtpPort = stack.smtp.port, fastReplyMs = 300): Settings {
  return settingsSchema.parse({
    database: ':memory:',
    evidence_dir: join(dir, 'evidence'),
    mailboxes: {
      default: {
        address: probeAddress,
        plus_addressing: true,
        imap: { host: stack.imap.host, port: stack.imap.port, secure: false, user: 'probes', pass: 'probe-pass' },
        folders: ['INBOX', 'Junk'],
        sent_folder: 'Sent',
      },
    },
    smtp: { default: { host: '127.0.0.1', port: smtpPort, security: 'plain', from: `Sam Rivera <${probeAddress}>` } },
    classifier: { fast_reply_ms: fastReplyMs },
  });
}

export function worldCatalog(settings: Settings): Catalog {
  const input = vendorSchema.parse({
    slug: 'acme',
    name: 'Acme',
    visibility: 'public',
    timezone: 'UTC',
    rate_caps: { per_day: 1000, per_week: 1000 },
    templates: [
      {
        id: 'keys',
        tier: 'P3',
        subject: 'How do we rotate stream keys? (ref {{token}})',
        body: 'Hello,\n\nhow do we rotate stream keys without dropping viewers?\n\nThanks,\nSam\n\nref {{token}}',
      },
    ],
    channels: [{ id: 'email', kind: 'email', to: vendorAddress, expiry: '1h' }],
  });
  const templates = input.templates.flatMap((t) => ('use' in t ? [] : [t]));
  return { dir: 'probes', settings, vendors: [{ ...input, templates, file: 'acme.yaml' }] };
}

export interface WorldOptions {
  smtpPort?: (stack: MailStack) => number;
  retryDelaysMs?: number[];
  /** settings.classifier.fast_reply_ms; 0 when replies are injected right after sending and timing must not count. */
  fastReplyMs?: number;
  clock?: Clock;
}

export async function openEmailWorld(options: WorldOptions = {}): Promise<EmailWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'firstreply-email-'));
  const stack = await startMailStack({ dir, users: [{ user: 'probes', pass: 'probe-pass', address: probeAddress }] });
  const settings = worldSettings(stack, dir, options.smtpPort?.(stack), options.fastReplyMs);
  const catalog = worldCatalog(settings);
  const clock = options.clock ?? systemClock;
  const store = openStore(join(dir, 'test.db'), clock);
  store.vendors.sync(catalog);
  const registry: ChannelRegistry = { ...channels, email: createEmailChannel({ retryDelaysMs: options.retryDelaysMs ?? [50, 100], timeoutMs: 5_000 }) };
  const services = { store, settings, clock, evidenceDir: settings.evidence_dir };
  const newRunner = () => createProbeRunner({ store, catalog, clock, logger: silentLogger, channels: registry, services });
  const runner = newRunner();
  return {
    dir,
    stack,
    settings,
    catalog,
    store,
    clock,
    runner,
    registry,
    newRunner,
    async close() {
      await runner.close();
      store.close();
      await stack.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the first non-undefined value of `check`, re-evaluated on every store change; no polling, no sleeps. */
export function until<T>(store: Store, check: () => T | undefined, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  return new Promise((resolve, reject) => {
    const evaluate = () => {
      const value = check();
      if (value === undefined) return;
      cleanup();
      resolve(value);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      store.events.off('message', evaluate);
      store.events.off('probe', evaluate);
    };
    store.events.on('message', evaluate);
    store.events.on('probe', evaluate);
    evaluate();
  });
}

/** A reply as raw RFC 5322 text (CRLF), for mail the tests deliver straight into the mailbox. */
/** A mail watcher on the world's mailbox with a quick reconnect. */
export function worldWatcher(w: EmailWorld, extra: Partial<MailWatcherOptions> = {}): MailWatcher {
  return createMailWatcher({
    store: w.store,
    settings: w.settings,
    mailbox: 'default',
    clock: w.clock,
    logger: silentLogger,
    backoff: { initialMs: 50, maxMs: 1000 },
    ...extra,
  });
}

export function rawReply(fields: {
  from?: string;
  to?: string;
  subject: string;
  body: string;
  inReplyTo?: string;
  messageId?: string;
  headers?: Record<string, string>;
  contentType?: string;
}): string {
  const lines = [
    `From: ${fields.from ?? 'Dana Agent <support@acme.test>'}`,
    `To: ${fields.to ?? probeAddress}`,
    `Subject: ${fields.subject}`,
    `Message-ID: ${fields.messageId ?? `<${Math.random().toString(36).slice(2)}@acme.test>`}`,
    `Date: ${new Date().toUTCString()}`,
    ...(fields.inReplyTo ? [`In-Reply-To: ${fields.inReplyTo}`, `References: ${fields.inReplyTo}`] : []),
    ...Object.entries(fields.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
    `Content-Type: ${fields.contentType ?? 'text/plain; charset=utf-8'}`,
    '',
    fields.body.replace(/\r?\n/g, '\r\n'),
    '',
  ];
  return lines.join('\r\n');
}
