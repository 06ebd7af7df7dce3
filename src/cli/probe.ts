// `firstreply probe <vendor> <channel> [--template ID]`: sends one probe now and prints its id, token and outcome.
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { loadCatalog } from '../config/load.ts';
import { createLogger } from '../core/logger.ts';
import { FirstReplyError } from '../core/errors.ts';
import { startFirstReply } from '../main.ts';

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
    const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
    const vendor = catalog.vendors.find((v) => v.slug === vendorSlug);
    if (!vendor?.channels.some((c) => c.id === channelId)) throw new FirstReplyError('NOT_FOUND', `no channel ${vendorSlug}/${channelId} in ${values.dir}`);
    // One send beside a running `start`: nothing scheduled, watched, reconciled, alerted or served here.
    const running = await startFirstReply({
      catalog,
      logger,
      database: values.db,
      listen: false,
      schedule: false,
      watch: false,
      alerts: false,
      reconcile: false,
    });
    const { runner } = running;
    try {
      const planned = runner.plan(vendorSlug, channelId, { template: values.template, ignoreCaps: values['ignore-caps'] });
      const probe = await runner.send(planned.id);
      if (values.json) {
        process.stdout.write(
          `${JSON.stringify({ id: probe.id, token: probe.token, vendor: probe.vendor, channel: probe.channel, template: probe.template, state: probe.state, message_id: probe.message_id, sent_at: probe.sent_at, error_code: probe.error_code, error_text: probe.error_text })}\n`,
        );
      } else {
        const when = probe.sent_at !== null ? new Date(probe.sent_at).toISOString() : '-';
        process.stdout.write(
          `probe ${probe.id} ${probe.token} ${probe.vendor}/${probe.channel} template=${probe.template} state=${probe.state} sent_at=${when}\n`,
        );
        if (probe.message_id) process.stdout.write(`message-id ${probe.message_id}\n`);
        if (probe.error_code) process.stdout.write(`error ${probe.error_code}: ${probe.error_text ?? ''}\n`);
        if (runner.pending() > 0) process.stdout.write('note: this channel keeps watching after sending; run "firstreply start" to follow the conversation\n');
      }
      return probe.state === 'sent' || probe.state === 'answered' ? 0 : 1;
    } finally {
      await running.stop();
    }
  },
};
