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

export function worldSettings(stack: Pick<MailStack, 'smtp' | 'imap'>, dir: string, smtpPort = stack.smtp.port): Settings {
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
    classifier: { fast_reply_ms: 300 },
  });
}

export function worldCatalog(settings: Settings): Catalog {
  const input = vendorSchema.parse({
    slug: 'acme', name: 'Acme', visibility: 'public', timezone: 'UTC',
    rate_caps: { per_day: 1000, per_week: 1000 },
    templates: [{ id: 'keys', tier: 'P3', subject: 'How do we rotate stream keys? (ref {{token}})', body: 'Hello,\n\nhow do we rotate stream keys without dropping viewers?\n\nThanks,\nSam\n\nref {{token}}' }],
    channels: [{ id: 'email', kind: 'email', to: vendorAddress, expiry: '1h' }],
  });
  const templates = input.templates.flatMap((t) => ('use' in t ? [] : [t]));
  return { dir: 'probes', settings, vendors: [{ ...input, templates, file: 'acme.yaml' }] };
}

export async function openEmailWorld(options: { smtpPort?: (stack: MailStack) => number; retryDelaysMs?: number[] } = {}): Promise<EmailWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'firstreply-email-'));
  const stack = await startMailStack({ dir, users: [{ user: 'probes', pass: 'probe-pass', address: probeAddress }] });
  const settings = worldSettings(stack, dir, options.smtpPort?.(stack));
  const catalog = worldCatalog(settings);
  const clock = systemClock;
  const store = openStore(join(dir, 'test.db'), clock);
  store.vendors.sync(catalog);
  const registry: ChannelRegistry = { ...channels, email: createEmailChannel({ retryDelaysMs: options.retryDelaysMs ?? [50, 100], timeoutMs: 5_000 }) };
  const services = { store, settings, clock, evidenceDir: settings.evidence_dir };
  const newRunner = () => createProbeRunner({ store, catalog, clock, logger: silentLogger, channels: registry, services });
  const runner = newRunner();
  return {
    dir, stack, settings, catalog, store, clock, runner, registry, newRunner,
    async close() {
      await runner.close();
      store.close();
      await stack.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
