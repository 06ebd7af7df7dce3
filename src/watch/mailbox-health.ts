// Whether a mailbox can be read: turns the watcher's connection failures into an outage once they last longer than
// the mailbox's down_after, with the cause in words, and ends it at the next good connection.
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import { errorMessage } from '../core/errors.ts';
import type { MailboxSettings } from '../config/schema.ts';
import type { Store } from '../store/db.ts';

/** What the watcher reports after each connection attempt or loss. */
export type ConnectionEvent = { state: 'up'; at: number } | { state: 'down'; at: number; error: unknown };

/** A connection failure as the operator should read it; `code` is stable, `text` says what to do. */
interface ConnectionCause {
  code: 'TLS_PLAIN_PORT' | 'TLS_FAILED' | 'REFUSED' | 'NOT_FOUND' | 'AUTH' | 'TIMEOUT' | 'CLOSED' | 'UNKNOWN';
  text: string;
  detail: string;
}

type ImapEndpoint = Pick<MailboxSettings['imap'], 'host' | 'port' | 'secure'>;

function field(err: unknown, name: string): unknown {
  return err !== null && typeof err === 'object' ? Reflect.get(err, name) : undefined;
}

/** Maps the errors ImapFlow and Node's net/tls give to a cause in words (pure). */
function describeConnectionError(err: unknown, imap: ImapEndpoint): ConnectionCause {
  const detail = errorMessage(err).slice(0, 500);
  const code = String(field(err, 'code') ?? '');
  const where = `${imap.host}:${imap.port}`;
  const text = `${detail} ${code}`.toLowerCase();
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || text.includes('wrong version number') || text.includes('packet length too long')) {
    return {
      code: 'TLS_PLAIN_PORT',
      detail,
      text: imap.secure
        ? `TLS handshake failed: the server speaks plain text on this port; set \`secure: false\` or use port 993 (${where})`
        : `TLS handshake failed at ${where}: the server does not speak TLS here`,
    };
  }
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /certificate|self[- ]signed|ssl|tls/.test(text)) {
    return { code: 'TLS_FAILED', detail, text: `TLS failed at ${where}: ${detail} (check the server's certificate, or tls_reject_unauthorized)` };
  }
  if (code === 'ECONNREFUSED')
    return { code: 'REFUSED', detail, text: `connection refused at ${where}: nothing listens on that port (check host, port and that the IMAP server runs)` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return { code: 'NOT_FOUND', detail, text: `host not found: "${imap.host}" does not resolve (check the host name and DNS)` };
  if (
    field(err, 'authenticationFailed') === true ||
    field(err, 'serverResponseCode') === 'AUTHENTICATIONFAILED' ||
    /authenticat|login failed|invalid credentials/.test(text)
  ) {
    return { code: 'AUTH', detail, text: 'login refused: check the user and the password variable' };
  }
  if (/TIMEOUT|ETIMEDOUT/.test(code) || text.includes('timeout') || text.includes('timed out')) {
    return { code: 'TIMEOUT', detail, text: `no answer from ${where} in time (${code || 'timeout'}): a firewall, a wrong port, or the server is overloaded` };
  }
  if (code === 'NoConnection' || code === 'ECONNRESET' || code === 'EPIPE' || text.includes('connection closed') || text.includes('socket closed')) {
    return { code: 'CLOSED', detail, text: `the connection to ${where} keeps closing (${code || detail})` };
  }
  return { code: 'UNKNOWN', detail, text: `cannot read the mailbox at ${where}: ${detail}` };
}

interface MailboxHealthDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** A key of settings.mailboxes. */
  mailbox: string;
  settings: MailboxSettings;
  /** Called when an outage opens or ends (the alert rules run again). */
  onChange?: () => void;
}

interface MailboxHealth {
  report(event: ConnectionEvent): void;
  /** Down for longer than down_after (an open outage). */
  isDown(): boolean;
  stop(): void;
}

export function createMailboxHealth(deps: MailboxHealthDeps): MailboxHealth {
  const { store, clock, logger, mailbox } = deps;
  const downAfter = deps.settings.down_after;
  let lostAt: number | null = null;
  let cause: ConnectionCause | null = null;
  let timer: NodeJS.Timeout | undefined;

  const notify = (): void => {
    try {
      deps.onChange?.();
    } catch (err) {
      logger.error({ err }, 'mailbox health listener failed');
    }
  };

  /** Opens the outage (or keeps the open one's cause current) once the loss has lasted down_after. */
  const judge = (): void => {
    if (lostAt === null || cause === null) return;
    const now = clock.now();
    const open = store.outages.openOf(mailbox);
    if (open) {
      if (open.code !== cause.code || open.cause !== cause.text) store.outages.setCause(open.id, { code: cause.code, cause: cause.text, detail: cause.detail });
      return;
    }
    if (now - lostAt < downAfter) {
      clearTimeout(timer);
      timer = setTimeout(judge, lostAt + downAfter - now);
      timer.unref();
      return;
    }
    const outage = store.outages.open({ mailbox, startedAt: lostAt, code: cause.code, cause: cause.text, detail: cause.detail });
    logger.error({ outage: outage.id, since: new Date(outage.started_at).toISOString(), code: cause.code }, `mailbox down: ${cause.text}`);
    notify();
  };

  return {
    report(event) {
      if (event.state === 'up') {
        clearTimeout(timer);
        lostAt = null;
        cause = null;
        const ended = store.outages.close(mailbox, event.at);
        if (ended) {
          logger.info(
            { outage: ended.id, minutes: Math.round(((ended.ended_at ?? event.at) - ended.started_at) / 60_000) },
            'mailbox reachable again: outage ended',
          );
          notify();
        }
        return;
      }
      lostAt ??= event.at;
      cause = describeConnectionError(event.error, deps.settings.imap);
      judge();
    },
    isDown: () => store.outages.openOf(mailbox) !== undefined,
    stop() {
      clearTimeout(timer);
    },
  };
}
