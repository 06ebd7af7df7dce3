// Opens ImapFlow connections from a mailbox's settings; the one place IMAP connection options are decided.
import type { ImapFlow } from 'imapflow';
import type { MailboxSettings } from '../config/schema.ts';

interface ImapClientOptions {
  /** How long the connection idles before IDLE starts; low, so new mail is announced at once. */
  autoIdleDelay?: number;
  /** Restart IDLE this often: some servers and NATs drop a silent connection. */
  maxIdleTime?: number;
  disableAutoIdle?: boolean;
}

/** imapflow is loaded with the first connection, not when the program starts. */
export async function createImapClient(mailbox: MailboxSettings, options: ImapClientOptions = {}): Promise<ImapFlow> {
  const { ImapFlow } = await import('imapflow');
  return new ImapFlow({
    host: mailbox.imap.host,
    port: mailbox.imap.port,
    secure: mailbox.imap.secure,
    auth: { user: mailbox.imap.user, pass: mailbox.imap.pass },
    tls: { rejectUnauthorized: mailbox.imap.tls_reject_unauthorized },
    logger: false,
    autoIdleDelay: options.autoIdleDelay ?? 200,
    maxIdleTime: options.maxIdleTime ?? 25 * 60_000,
    disableAutoIdle: options.disableAutoIdle ?? false,
    connectionTimeout: 20_000,
    greetingTimeout: 15_000,
    clientInfo: { name: 'firstreply' },
  });
}

/** Runs `work` on a fresh connection with `folder` selected, logging out (or closing) afterwards. */
export async function withFolder<T>(mailbox: MailboxSettings, folder: string, work: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = await createImapClient(mailbox, { disableAutoIdle: true });
  client.on('error', () => client.close());
  await client.connect();
  try {
    const lock = await client.getMailboxLock(folder);
    try {
      return await work(client);
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
}
