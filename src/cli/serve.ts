// `firstreply serve [dir]`: only the status page and API over the store named in settings — no probes, no watchers.
import { resolve } from 'node:path';
import type { Command } from './command.ts';
import { UsageError, catalogDir, parseCommandArgs } from './command.ts';
import { loadCatalog } from '../config/load.ts';
import { systemClock } from '../core/clock.ts';
import { createLogger } from '../core/logger.ts';
import { FirstReplyError } from '../core/errors.ts';
import { openStore } from '../store/db.ts';
import { buildApp } from '../server/app.ts';
import { untilSignal } from './signals.ts';

export function listenPort(text: string | undefined): number {
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
    const store = openStore(resolve(catalog.settings.database), systemClock);
    try {
      store.vendors.sync(catalog);
      const app = await buildApp({
        store, clock: systemClock, logger: logger.child({ component: 'http' }), adminToken: process.env.FIRSTREPLY_ADMIN_TOKEN,
        demoTime: catalog.settings.demo_time, publicUrl: catalog.settings.public_url, trustProxy: catalog.settings.trust_proxy,
      });
      const url = await app.listen({ port, host });
      process.stdout.write(`firstreply: status page at ${url}/\n`);
      await untilSignal();
      await app.close();
    } finally {
      store.close();
    }
    return 0;
  },
};
