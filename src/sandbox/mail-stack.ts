// A real mail stack on loopback: smtp-server in front, Dovecot behind (LMTP delivery, IMAP for readers); other domains go to outbound handlers.
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import nodemailer from 'nodemailer';
import type { Logger } from '../core/logger.ts';
import { silentLogger } from '../core/logger.ts';
import { errorMessage } from '../core/errors.ts';
import { startDovecot, type Dovecot, type Endpoint, type MailUser } from './dovecot.ts';

export type { Endpoint };

/** A message the stack accepted for a domain it does not host (a simulated vendor). */
export interface OutboundMail {
  from: string;
  to: string[];
  raw: Buffer;
  /** When the stack answered 250 to DATA (ms UTC, wall clock). */
  acceptedAt: number;
}

export type OutboundHandler = (mail: OutboundMail) => void | Promise<void>;

export interface MailStack {
  smtp: Endpoint;
  imap: Endpoint;
  /** Delivers a raw message to a local recipient (plus-addresses allowed) straight through LMTP; the envelope sender defaults to the From: address. */
  deliver(rcpt: string, raw: Buffer | string, from?: string): Promise<void>;
  onOutbound(handler: OutboundHandler): void;
  /** The Dovecot behind the stack (Maildir paths, UIDVALIDITY resets) for tests and benches. */
  dovecot: Dovecot;
  stop(): Promise<void>;
}

interface MailStackOptions {
  dir: string;
  users: MailUser[];
  logger?: Logger;
}

function smtpError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();
const localPartOf = (address: string): string => address.slice(0, address.lastIndexOf('@')).toLowerCase();
const baseLocalPart = (address: string): string => localPartOf(address).split('+')[0] ?? '';

/** The address in the From: header, as the envelope sender of mail injected without one. */
function headerSender(raw: Buffer | string): string {
  const text = typeof raw === 'string' ? raw : raw.subarray(0, 64 * 1024).toString('latin1');
  const head = text.split(/\r?\n\r?\n/)[0] ?? '';
  const from = head.match(/^from:[ \t]*((?:.*)(?:\r?\n[ \t].*)*)/im)?.[1] ?? '';
  return from.match(/<([^<>@\s]+@[^<>\s]+)>/)?.[1] ?? from.match(/[^\s<>"]+@[^\s<>"]+/)?.[0] ?? '';
}

export async function startMailStack(options: MailStackOptions): Promise<MailStack> {
  const logger = options.logger ?? silentLogger;
  const dovecot = await startDovecot({ dir: options.dir, users: options.users, logger });
  const localDomains = new Set(options.users.map((u) => domainOf(u.address)));
  const handlers: OutboundHandler[] = [];
  const lmtp = nodemailer.createTransport({
    host: dovecot.lmtp.host,
    port: dovecot.lmtp.port,
    lmtp: true,
    secure: false,
    ignoreTLS: true,
    name: 'firstreply-sandbox',
  });

  /** The Dovecot login of a local address, keeping its +detail; undefined when nobody has that address. */
  const loginFor = (rcpt: string): string | undefined => {
    const domain = domainOf(rcpt);
    const base = baseLocalPart(rcpt);
    const user = options.users.find((u) => domainOf(u.address) === domain && localPartOf(u.address) === base);
    if (!user) return undefined;
    const detail = localPartOf(rcpt).slice(base.length);
    return `${user.user}${detail}@${domain}`;
  };

  const deliver = async (rcpt: string, raw: Buffer | string, from?: string): Promise<void> => {
    const login = loginFor(rcpt);
    if (!login) throw smtpError(550, `5.1.1 <${rcpt}>: no such user here`);
    await lmtp.sendMail({ envelope: { from: from ?? headerSender(raw), to: [login] }, raw });
  };

  const server = new SMTPServer({
    name: 'mail.firstreply.sandbox',
    banner: 'firstreply sandbox ESMTP',
    disableReverseLookup: true,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    size: 30 * 1024 * 1024,
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      if (localDomains.has(domainOf(address.address)) && !loginFor(address.address)) {
        callback(smtpError(550, `5.1.1 <${address.address}>: no such user here`));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.once('error', (err) => callback(err));
      stream.once('end', () => {
        if (stream.sizeExceeded) {
          callback(smtpError(552, '5.3.4 message too big'));
          return;
        }
        const raw = Buffer.concat(chunks);
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const rcpts = session.envelope.rcptTo.map((r) => r.address);
        const local = rcpts.filter((r) => localDomains.has(domainOf(r)));
        const remote = rcpts.filter((r) => !localDomains.has(domainOf(r)));
        Promise.all(local.map((r) => deliver(r, raw, from))).then(
          () => {
            callback(null, 'queued');
            if (remote.length === 0) return;
            const mail: OutboundMail = { from, to: remote, raw, acceptedAt: Date.now() };
            for (const handler of handlers) {
              Promise.resolve()
                .then(() => handler(mail))
                .catch((err: unknown) => logger.error({ err, to: remote }, 'outbound handler failed'));
            }
          },
          (err: unknown) => {
            logger.error({ err, to: local }, 'local delivery failed');
            callback(smtpError(451, `4.3.0 local delivery failed: ${errorMessage(err)}`));
          },
        );
      });
    },
  });
  server.on('error', (err) => logger.error({ err }, 'sandbox smtp error'));

  try {
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
  } catch (err) {
    await dovecot.stop();
    throw err;
  }
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('smtp-server has no TCP address');
  const smtp = { host: '127.0.0.1', port: address.port };
  logger.info({ smtp: smtp.port, imap: dovecot.imap.port }, 'mail stack started');

  let stopped = false;
  return {
    smtp,
    imap: dovecot.imap,
    dovecot,
    deliver,
    onOutbound(handler) {
      handlers.push(handler);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      lmtp.close();
      await dovecot.stop();
    },
  };
}
