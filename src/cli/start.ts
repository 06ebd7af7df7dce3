// `firstreply start [dir]`: runs everything on a catalog — scheduler, channels, watchers, alerts and the status page.
import type { Command } from './command.ts';
import { UsageError, catalogDir, parseCommandArgs } from './command.ts';
import { loadCatalog } from '../config/load.ts';
import { createLogger } from '../core/logger.ts';
import { startFirstReply } from '../main.ts';
import { untilSignal } from './signals.ts';

export const startCommand: Command = {
  summary: 'run probes, watchers, alerts and the status page (default dir: probes/)',
  usage: `usage: firstreply start [--dir probes] [--port N] [--host H] [--no-schedule]

Loads the catalog in --dir (default: probes; a bare directory argument is the same), then runs the scheduler, the reply watchers, the alert rules and the
status page on HOST:PORT (default 127.0.0.1:8080; --port/--host override). Secrets come from the environment
(FIRSTREPLY_ADMIN_TOKEN for the admin routes). Ctrl-C stops everything cleanly.`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      port: { type: 'string' },
      host: { type: 'string' },
      'no-schedule': { type: 'boolean' },
      dir: { type: 'string' },
    });
    if (positionals.length > 1) throw new UsageError(`one catalog directory at most (got ${positionals.join(', ')})`);
    const catalog = loadCatalog(catalogDir(values.dir, positionals[0]));
    const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info' });
    const running = await startFirstReply({
      catalog,
      logger,
      port: Number(values.port ?? process.env.PORT ?? 8080),
      host: values.host ?? process.env.HOST ?? '127.0.0.1',
      adminToken: process.env.FIRSTREPLY_ADMIN_TOKEN,
      metrics: process.env.FIRSTREPLY_METRICS === '1',
      schedule: !values['no-schedule'],
    });
    process.stdout.write(`firstreply: status page at ${running.url}/\n`);
    await untilSignal();
    process.stdout.write('firstreply: stopping…\n');
    await running.stop();
    return 0;
  },
};
