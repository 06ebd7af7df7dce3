// E-mail channel: sends the probe over SMTP once (4xx retried); after the 250 is stored, keeps it as evidence and in Sent; reconciles by Message-ID.
import type { ChannelModule, SendContext, SentCopy } from './channel.ts';
import { ProbeError } from '../core/errors.ts';
import type { z } from 'zod';
import type { ChannelDefOf, MailboxSettings, SmtpSettings } from '../config/schema.ts';
import { channelSettingsSchemas } from './settings.ts';
import { withFolder } from '../watch/imap-client.ts';
import { saveEvidence } from '../watch/evidence.ts';
import { createEmailThread } from './email-thread.ts';
import { bareAddress, defaultRetryDelays, deliverMail, sentSubject } from './smtp.ts';

export { sentSubject } from './smtp.ts';

interface EmailChannelOptions {
  /** Waits between attempts after a 4xx or an unreachable server; its length bounds the retries. */
  retryDelaysMs?: number[];
  /** Per-connection timeouts (connect, greeting, idle socket). */
  timeoutMs?: number;
}

/** Our probe as the RFC 5322 bytes we send, file as evidence, and append to Sent; the same bytes again after a restart (dated sending_at). */
async function composeProbe(ctx: SendContext<'email'>, smtp: SmtpSettings): Promise<Buffer> {
  const { message, services } = ctx;
  const channel = emailSettingsOf(ctx.channel);
  const subject = sentSubject(message.subject, message.token);
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
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
      keep: () =>
        withFolder(mailbox, folder, async (client) => {
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
  const thread = createEmailThread({ retryDelaysMs: retryDelays, timeoutMs });

  return {
    kind: 'email',
    settings: channelSettingsSchemas.email,
    needs: { browser: false, mailbox: true },
    scheduled: true,
    replySource: 'imap',
    answer: (ctx) => thread.answer(ctx),
    reconcileAnswer: (ctx) => thread.reconcileAnswer(ctx),
    async send(ctx) {
      const { services, logger, signal } = ctx;
      const channel = emailSettingsOf(ctx.channel);
      const smtp = Object.hasOwn(services.settings.smtp, channel.smtp) ? services.settings.smtp[channel.smtp] : undefined;
      if (!smtp) throw new ProbeError('NOT_FOUND', `no SMTP transport "${channel.smtp}" in settings`);
      const raw = await composeProbe(ctx, smtp);
      const envelope = { from: bareAddress(smtp.from), to: [channel.to, ...(channel.cc ?? [])] };
      const response = await deliverMail(smtp, envelope, raw, signal, logger, { retryDelaysMs: retryDelays, timeoutMs });
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
        const date = fetched === false ? undefined : fetched.internalDate;
        return date ? new Date(date).getTime() : undefined;
      });
      if (found === undefined) return { outcome: 'unknown', note: `${messageId} not found in ${folder}` };
      return { outcome: 'sent', sentAt: found, note: `${messageId} found in ${folder}` };
    },
  };
}

export const emailChannel: ChannelModule<'email'> = createEmailChannel();
