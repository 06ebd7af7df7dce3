// `firstreply probe <vendor> <channel> [--template ID]`: sends one probe now and prints its id, token and outcome.
import { resolve } from 'node:path';
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { loadCatalog } from '../config/load.ts';
import { systemClock } from '../core/clock.ts';
import { createLogger } from '../core/logger.ts';
import { FirstReplyError } from '../core/errors.ts';
import { openStore } from '../store/db.ts';
import { channels } from '../channels/registry.ts';
import { createProbeRunner } from '../runner/probe-runner.ts';
import { createBrowserPool } from '../browser/pool.ts';

const usage = `usage: firstreply probe <vendor> <channel> [--template ID] [--dir probes] [--db PATH] [--ignore-caps] [--json]

Sends one probe now through the vendor's channel and prints its id, token, Message-ID and outcome.
The probe is written as "sending" before anything leaves, like a scheduled one; replies are caught by the
watchers of a running "firstreply start" (same database).

  --template     the template to send (default: the channel's least recently used allowed template)
  --dir          the catalog directory (default: probes)
  --db           the SQLite store (default: "database" of settings.yaml in --dir)
  --ignore-caps  send even if the vendor's or channel's rate cap is reached (drills are never forced)
  --json         print the probe as one JSON object
Exit status: 0 when sent, 1 when the send failed or its outcome is unknown, 2 on bad input.`;

export const probeCommand: Command = {
  summary: 'send one probe now and print its token',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      template: { type: 'string' },
      dir: { type: 'string', default: 'probes' },
      db: { type: 'string' },
      'ignore-caps': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    });
    const [vendorSlug, channelId, ...extra] = positionals;
    if (!vendorSlug || !channelId || extra.length > 0) throw new FirstReplyError('BAD_INPUT', `give a vendor and a channel\n\n${usage}`);
    const catalog = loadCatalog(values.dir);
    const settings = catalog.settings;
    const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
    const clock = systemClock;
    const store = openStore(resolve(values.db ?? settings.database), clock);
    const vendor = catalog.vendors.find((v) => v.slug === vendorSlug);
    const channel = vendor?.channels.find((c) => c.id === channelId);
    if (!vendor || !channel) {
      store.close();
      throw new FirstReplyError('NOT_FOUND', `no channel ${vendorSlug}/${channelId} in ${values.dir}`);
    }
    const browser = channel.kind === 'webform' || channel.kind === 'chat'
      ? createBrowserPool({ executable: settings.browser.executable, maxChats: settings.browser.max_chats, logger: logger.child({ component: 'browser' }) })
      : undefined;
    const runner = createProbeRunner({
      store, catalog, clock, logger, channels,
      services: { store, settings, clock, evidenceDir: resolve(settings.evidence_dir), browser },
    });
    try {
      store.vendors.sync(catalog);
      const planned = runner.plan(vendorSlug, channelId, { template: values.template, ignoreCaps: values['ignore-caps'] });
      const probe = await runner.send(planned.id);
      if (values.json) {
        process.stdout.write(`${JSON.stringify({ id: probe.id, token: probe.token, vendor: probe.vendor, channel: probe.channel, template: probe.template, state: probe.state, message_id: probe.message_id, sent_at: probe.sent_at, error_code: probe.error_code, error_text: probe.error_text })}\n`);
      } else {
        const when = probe.sent_at !== null ? new Date(probe.sent_at).toISOString() : '-';
        process.stdout.write(`probe ${probe.id} ${probe.token} ${probe.vendor}/${probe.channel} template=${probe.template} state=${probe.state} sent_at=${when}\n`);
        if (probe.message_id) process.stdout.write(`message-id ${probe.message_id}\n`);
        if (probe.error_code) process.stdout.write(`error ${probe.error_code}: ${probe.error_text ?? ''}\n`);
        if (runner.pending() > 0) process.stdout.write('note: this channel keeps watching after sending; run "firstreply start" to follow the conversation\n');
      }
      return probe.state === 'sent' || probe.state === 'answered' ? 0 : 1;
    } finally {
      await runner.close();
      await browser?.close();
      store.close();
    }
  },
};
