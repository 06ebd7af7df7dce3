// One IMAP connection to a mailbox: connect, IDLE on the first folder (others polled), catch-ups one at a time, reconnect with backoff.
import type { ImapFlow } from 'imapflow';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { MailboxSettings } from '../config/schema.ts';
import { createImapClient } from './imap-client.ts';
import type { ConnectionEvent } from './mailbox-health.ts';

interface ImapSessionOptions {
  mailbox: MailboxSettings;
  /** The first is watched with IDLE; the others are checked every pollIntervalMs. */
  folders: readonly string[];
  clock: Clock;
  logger: Logger;
  /** Reads what is new in `folder`; a throw closes the connection (it reconnects and catches up again). */
  catchUp(imap: ImapFlow, folder: string): Promise<void>;
  backoff: { initialMs: number; maxMs: number };
  pollIntervalMs: number;
  onConnection?: ((event: ConnectionEvent) => void) | undefined;
}

interface ImapSession {
  /** Connects once; on failure it keeps trying in the background and throws the first error. */
  start(): Promise<void>;
  /** Waits for the running catch-up, then logs out. */
  stop(): Promise<void>;
}

export function createImapSession(options: ImapSessionOptions): ImapSession {
  const { clock, logger, backoff, mailbox } = options;
  const primary = options.folders[0] ?? 'INBOX';
  const extraFolders = options.folders.slice(1);

  let client: ImapFlow | undefined;
  let stopping = false;
  let attempt = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  /** Catch-ups run one at a time; a request during a run makes it run once more. */
  let work: Promise<void> = Promise.resolve();
  const wanted = new Set<string>();

  function schedule(folder: string): Promise<void> {
    if (wanted.has(folder)) return work;
    wanted.add(folder);
    work = work.then(async () => {
      wanted.delete(folder);
      const current = client;
      if (!current || stopping || !current.usable) return;
      try {
        await options.catchUp(current, folder);
      } catch (err) {
        logger.error({ folder, err }, 'catch-up failed');
        if (current.usable) current.close();
      }
    });
    return work;
  }

  const report = (event: ConnectionEvent): void => {
    try {
      options.onConnection?.(event);
    } catch (err) {
      logger.error({ err }, 'onConnection failed');
    }
  };

  async function connect(): Promise<void> {
    const imap = await createImapClient(mailbox, { autoIdleDelay: 200 });
    client = imap;
    let connected = false;
    let lastError: unknown = new Error('connection closed');
    let endSession = (): void => undefined;
    const ended = new Promise<void>((resolve) => {
      endSession = resolve;
      imap.once('close', () => resolve());
    });
    void ended.then(() => {
      clearInterval(pollTimer);
      if (client === imap) client = undefined;
      if (connected && !stopping) report({ state: 'down', at: clock.now(), error: lastError });
      if (!stopping) reconnectLater();
    });
    imap.on('error', (err: unknown) => {
      lastError = err;
      logger.warn({ err }, 'imap connection error');
    });
    imap.on('exists', (event: { path: string }) => {
      void schedule(event.path);
    });
    try {
      await imap.connect();
    } catch (err) {
      report({ state: 'down', at: clock.now(), error: err });
      endSession();
      throw err;
    }
    connected = true;
    report({ state: 'up', at: clock.now() });
    attempt = 0;
    logger.info({ folders: options.folders }, 'watching mailbox');
    for (const folder of extraFolders) await schedule(folder);
    // The primary folder last: it stays selected, so IDLE announces its new mail.
    await schedule(primary);
    if (extraFolders.length > 0) {
      pollTimer = setInterval(() => {
        for (const folder of extraFolders) void schedule(folder);
        void schedule(primary);
      }, options.pollIntervalMs);
    }
  }

  function reconnectLater(): void {
    const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt);
    attempt++;
    logger.warn({ delayMs: delay, attempt }, 'imap connection closed, reconnecting');
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      if (stopping) return;
      connect().catch((err: unknown) => logger.warn({ err }, 'imap reconnect failed'));
    }, delay);
  }

  return {
    async start() {
      stopping = false;
      await connect();
    },
    async stop() {
      stopping = true;
      clearTimeout(reconnectTimer);
      clearInterval(pollTimer);
      const current = client;
      await work;
      if (current?.usable) {
        await current.logout().catch((err: unknown) => {
          logger.debug({ err }, 'logout failed, closing');
          current.close();
        });
      }
      client = undefined;
    },
  };
}
