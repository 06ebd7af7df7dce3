// E-mail channel: sends the probe over SMTP once (4xx retried); after the 250 is stored, keeps it as evidence and in Sent; reconciles by Message-ID.
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { ChannelModule, SendContext, SentCopy } from './channel.ts';
import { ProbeError, errorMessage, type ErrorCode } from '../core/errors.ts';
import type { z } from 'zod';
import type { ChannelDefOf, MailboxSettings, SmtpSettings } from '../config/schema.ts';
import { channelSettingsSchemas } from './settings.ts';
import { withFolder } from '../watch/imap-client.ts';
import { saveEvidence } from '../watch/evidence.ts';

export interface EmailChannelOptions {
  /** Waits between attempts after a 4xx or an unreachable server; its length bounds the retries. */
  retryDelaysMs?: number[];
  /** Per-connection timeouts (connect, greeting, idle socket). */
  timeoutMs?: number;
}

const defaultRetryDelays = [2_000, 10_000, 30_000];

/** A failed SMTP attempt, with whether the same message may be offered again. */
class AttemptError extends ProbeError {
  readonly retryable: boolean;
  constructor(code: ErrorCode, message: string, retryable: boolean, details: Record<string, unknown> = {}) {
    super(code, message, details);
    this.retryable = retryable;
  }
}

interface SmtpFailure {
  responseCode?: number | undefined;
  response?: string | undefined;
  command?: string | undefined;
  code?: string | undefined;
}

const failureOf = (err: unknown): SmtpFailure => (err && typeof err === 'object' ? err : {});

function classify(err: unknown, stage: 'connect' | 'transaction'): AttemptError {
  const failure = failureOf(err);
  const text = failure.response ?? errorMessage(err);
  const details = { responseCode: failure.responseCode, response: failure.response, command: failure.command };
  if (failure.responseCode !== undefined && failure.responseCode >= 500) {
    return new AttemptError('SMTP_REJECTED', `${failure.command ? `${failure.command}: ` : ''}${text}`, false, details);
  }
  if (failure.responseCode !== undefined && failure.responseCode >= 400) {
    return new AttemptError('SMTP_TEMPORARY', `${failure.command ? `${failure.command}: ` : ''}${text}`, true, details);
  }
  if (stage === 'connect') return new AttemptError('SMTP_UNREACHABLE', errorMessage(err), true, details);
  // The connection broke inside the transaction without a reply: the server may have the message.
  return new AttemptError('SEND_UNKNOWN', `connection lost during the SMTP transaction: ${errorMessage(err)}`, false, details);
}

function connectionOptions(smtp: SmtpSettings, timeoutMs: number): ConstructorParameters<typeof SMTPConnection>[0] {
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'plain',
    tls: { rejectUnauthorized: smtp.tls_reject_unauthorized },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs * 3,
    logger: false,
  };
}

/** One SMTP session: connect, authenticate, offer the message; resolves with the server's 250 text. */
function transaction(smtp: SmtpSettings, envelope: { from: string; to: string[] }, raw: Buffer, signal: AbortSignal, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const connection = new SMTPConnection(connectionOptions(smtp, timeoutMs));
    let stage: 'connect' | 'transaction' = 'connect';
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      outcome();
    };
    const fail = (err: unknown) => finish(() => {
      connection.close();
      reject(classify(err, stage));
    });
    const onAbort = () => finish(() => {
      connection.close();
      reject(new AttemptError(stage === 'connect' ? 'ABORTED' : 'SEND_UNKNOWN', `aborted during SMTP ${stage}`, false));
    });
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    connection.on('error', fail);
    connection.connect((connectErr) => {
      if (connectErr) return fail(connectErr);
      const auth = smtp.user ? { credentials: { user: smtp.user, pass: smtp.pass ?? '' } } : undefined;
      const afterLogin = () => {
        stage = 'transaction';
        connection.send({ from: envelope.from, to: envelope.to }, raw, (sendErr, info) => {
          if (sendErr || !info) return fail(sendErr ?? new Error('no answer to DATA'));
          finish(() => {
            connection.quit();
            resolve(info.response);
          });
        });
      };
      if (!auth) return afterLogin();
      connection.login(auth, (loginErr) => (loginErr ? fail(loginErr) : afterLogin()));
    });
  });
}

function waitFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new ProbeError('ABORTED', 'aborted while waiting to retry'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ProbeError('ABORTED', 'aborted while waiting to retry'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The bare address of `Name <addr>` or `addr`. */
export function bareAddress(text: string): string {
  const angle = text.match(/<([^>]+)>/);
  return (angle?.[1] ?? text).trim();
}

/** The subject as sent: the template's, with our token appended when the template does not carry it. */
export function sentSubject(subject: string, token: string): string {
  return subject.toUpperCase().includes(token.toUpperCase()) ? subject : `${subject} (ref ${token})`;
}

/** Our probe as the RFC 5322 bytes we send, file as evidence, and append to Sent; the same bytes again after a restart (dated sending_at). */
export async function composeProbe(ctx: SendContext<'email'>, smtp: SmtpSettings): Promise<Buffer> {
  const { message, services } = ctx;
  const channel = emailSettingsOf(ctx.channel);
  const subject = sentSubject(message.subject, message.token);
  const composer = new MailComposer({
    from: smtp.from,
    to: channel.to,
    cc: channel.cc,
    replyTo: message.replyTo,
    subject,
    text: message.body,
    messageId: message.messageId,
    date: new Date(ctx.probe.sending_at ?? services.clock.now()),
  });
  return composer.compile().build();
}

type EmailSettings = z.infer<typeof channelSettingsSchemas.email>;

/** The e-mail fields of the channel. */
function emailSettingsOf(channel: ChannelDefOf<'email'>): EmailSettings {
  return channel;
}

function mailboxOf(ctx: SendContext<'email'>): MailboxSettings | undefined {
  const { mailbox } = emailSettingsOf(ctx.channel);
  return Object.hasOwn(ctx.services.settings.mailboxes, mailbox) ? ctx.services.settings.mailboxes[mailbox] : undefined;
}

/**
 * The copies kept once the 250 is stored: the evidence file, then the Sent folder (unless the server files it itself).
 * `searchFirst` after a restart: a copy appended before the crash is found by Message-ID, not appended twice.
 */
function sentCopies(ctx: SendContext<'email'>, raw: Buffer, sentAt: number, searchFirst: boolean): SentCopy[] {
  const { services } = ctx;
  const copies: SentCopy[] = [{ name: 'evidence', keep: async () => (await saveEvidence(services.evidenceDir, raw)).path }];
  const mailbox = mailboxOf(ctx);
  const folder = mailbox?.sent_folder;
  if (mailbox && folder && !mailbox.sent_folder_autosave) {
    const messageId = ctx.probe.message_id ?? ctx.message.messageId;
    copies.push({
      name: 'append',
      keep: () => withFolder(mailbox, folder, async (client) => {
        if (searchFirst) {
          const found = await client.search({ header: { 'message-id': messageId } }, { uid: true });
          if (found && found.length > 0) return undefined;
        }
        await client.append(folder, raw, ['\\Seen'], new Date(sentAt));
        return undefined;
      }),
    });
  }
  return copies;
}

export function createEmailChannel(options: EmailChannelOptions = {}): ChannelModule<'email'> {
  const retryDelays = options.retryDelaysMs ?? defaultRetryDelays;
  const timeoutMs = options.timeoutMs ?? 30_000;

  return {
    kind: 'email',
    settings: channelSettingsSchemas.email,
    needs: { browser: false, mailbox: true },
    scheduled: true,
    replySource: 'imap',
    async send(ctx) {
      const { services, logger, signal } = ctx;
      const channel = emailSettingsOf(ctx.channel);
      const smtp = Object.hasOwn(services.settings.smtp, channel.smtp) ? services.settings.smtp[channel.smtp] : undefined;
      if (!smtp) throw new ProbeError('NOT_FOUND', `no SMTP transport "${channel.smtp}" in settings`);
      const raw = await composeProbe(ctx, smtp);
      const envelope = { from: bareAddress(smtp.from), to: [channel.to, ...(channel.cc ?? [])] };

      let response: string | undefined;
      for (let attempt = 0; response === undefined; attempt++) {
        try {
          response = await transaction(smtp, envelope, raw, signal, timeoutMs);
        } catch (err) {
          const delay = retryDelays[attempt];
          if (!(err instanceof AttemptError) || !err.retryable || delay === undefined) throw err;
          logger.warn({ attempt: attempt + 1, code: err.code, err: err.message, retryInMs: delay }, 'SMTP deferred, retrying');
          await waitFor(delay, signal);
        }
      }
      // The 250 to DATA has just arrived: this is the probe's sent_at, stored by the runner before any copy is kept.
      const sentAt = services.clock.now();
      logger.debug({ response }, 'SMTP accepted the probe');
      return { sentAt, copies: sentCopies(ctx, raw, sentAt, false) };
    },

    async keepCopies(ctx) {
      const smtp = Object.hasOwn(ctx.services.settings.smtp, ctx.channel.smtp) ? ctx.services.settings.smtp[ctx.channel.smtp] : undefined;
      if (!smtp) throw new ProbeError('NOT_FOUND', `no SMTP transport "${ctx.channel.smtp}" in settings`);
      return sentCopies(ctx, await composeProbe(ctx, smtp), ctx.probe.sent_at ?? ctx.services.clock.now(), true);
    },

    async reconcile(ctx) {
      const mailbox = mailboxOf(ctx);
      const folder = mailbox?.sent_folder;
      if (!mailbox || !folder) return { outcome: 'unknown', note: 'no sent folder configured to search' };
      const messageId = ctx.probe.message_id ?? ctx.message.messageId;
      const found = await withFolder(mailbox, folder, async (client) => {
        const uids = await client.search({ header: { 'message-id': messageId } }, { uid: true });
        const uid = uids ? uids[0] : undefined;
        if (uid === undefined) return undefined;
        const fetched = await client.fetchOne(String(uid), { internalDate: true }, { uid: true });
        return fetched && fetched.internalDate ? new Date(fetched.internalDate).getTime() : undefined;
      });
      if (found === undefined) return { outcome: 'unknown', note: `${messageId} not found in ${folder}` };
      return { outcome: 'sent', sentAt: found, note: `${messageId} found in ${folder}` };
    },
  };
}

export const emailChannel: ChannelModule<'email'> = createEmailChannel();
