// `firstreply serve [dir]`: only the status page and API over the store named in settings — no probes, no watchers.
import type { Command } from './command.ts';
import { UsageError, catalogDir, parseCommandArgs } from './command.ts';
import { loadCatalog } from '../config/load.ts';
import { createLogger } from '../core/logger.ts';
import { FirstReplyError } from '../core/errors.ts';
import { startFirstReply } from '../main.ts';
import { untilSignal } from './signals.ts';

function listenPort(text: string | undefined): number {
  const port = Number(text ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new FirstReplyError('BAD_INPUT', `not a TCP port: "${text}"`);
  return port;
}

export const serveCommand: Command = {
  summary: 'serve the status page and JSON API from the store (no probing)',
  usage: `usage: firstreply serve [--dir probes] [--port N] [--host H]

Loads the catalog in --dir (default: probes; a bare directory argument is the same) for its settings, opens the database it names, and serves the status
page, JSON API, badges and feed on HOST:PORT (env HOST, default 127.0.0.1; env PORT, default 8080; --host/--port
override; port 0 picks a free one). FIRSTREPLY_ADMIN_TOKEN enables the admin routes. Ctrl-C stops it.`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, { port: { type: 'string' }, host: { type: 'string' }, dir: { type: 'string' } });
    if (positionals.length > 1) throw new UsageError(`one catalog directory at most (got ${positionals.join(', ')})`);
    // Serving reads the store only: mail secrets are not needed.
    const catalog = loadCatalog(catalogDir(values.dir, positionals[0]), { mailSecrets: false });
    const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info' });
    const port = listenPort(values.port ?? process.env.PORT);
    const host = values.host ?? process.env.HOST ?? '127.0.0.1';
    // Reads only: nothing is sent, scheduled, watched, reconciled or alerted.
    const running = await startFirstReply({
      catalog,
      logger,
      port,
      host,
      adminToken: process.env.FIRSTREPLY_ADMIN_TOKEN,
      metrics: process.env.FIRSTREPLY_METRICS === '1',
      schedule: false,
      watch: false,
      alerts: false,
      reconcile: false,
      triggerProbes: false,
    });
    try {
      process.stdout.write(`firstreply: status page at ${running.url}/\n`);
      await untilSignal();
    } finally {
      await running.stop();
    }
    return 0;
  },
};
