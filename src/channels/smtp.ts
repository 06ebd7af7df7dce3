// SMTP for every mail we send: one session offering one message, 4xx and unreachable servers retried, 5xx refused.
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import { ProbeError, errorMessage, type ErrorCode } from '../core/errors.ts';
import type { SmtpSettings } from '../config/schema.ts';
import type { Logger } from '../core/logger.ts';

export const defaultRetryDelays = [2_000, 10_000, 30_000];

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
async function transaction(smtp: SmtpSettings, envelope: { from: string; to: string[] }, raw: Buffer, signal: AbortSignal, timeoutMs: number): Promise<string> {
  // nodemailer's SMTP client is loaded with the first send, not when the program starts.
  const { default: Connection } = await import('nodemailer/lib/smtp-connection');
  return new Promise((resolve, reject) => {
    const connection = new Connection(connectionOptions(smtp, timeoutMs));
    let stage: 'connect' | 'transaction' = 'connect';
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      outcome();
    };
    const fail = (err: unknown) =>
      finish(() => {
        connection.close();
        reject(classify(err, stage));
      });
    const onAbort = () =>
      finish(() => {
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

/**
 * Offers a message over SMTP until a 250 (4xx and an unreachable server retried after each delay); throws a
 * ProbeError otherwise. Resolves with the server's 250 text.
 */
export async function deliverMail(
  smtp: SmtpSettings,
  envelope: { from: string; to: string[] },
  raw: Buffer,
  signal: AbortSignal,
  logger: Logger,
  options: { retryDelaysMs?: number[] | undefined; timeoutMs?: number | undefined } = {},
): Promise<string> {
  const retryDelays = options.retryDelaysMs ?? defaultRetryDelays;
  for (let attempt = 0; ; attempt++) {
    try {
      return await transaction(smtp, envelope, raw, signal, options.timeoutMs ?? 30_000);
    } catch (err) {
      const delay = retryDelays[attempt];
      if (!(err instanceof AttemptError) || !err.retryable || delay === undefined) throw err;
      logger.warn({ attempt: attempt + 1, code: err.code, err: err.message, retryInMs: delay }, 'SMTP deferred, retrying');
      await waitFor(delay, signal);
    }
  }
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
