// Follow-ups by e-mail in the thread a probe started (e-mail) or the desk started (web form): In-Reply-To/References
// kept, sent over SMTP once, copied to Sent; after a crash looked up in Sent by Message-ID, never sent again.
import type { AnswerContext, ComposedAnswer, ReconcileResult, SentCopy } from './channel.ts';
import { ProbeError } from '../core/errors.ts';
import type { MailboxSettings, Settings, SmtpSettings } from '../config/schema.ts';
import { bareAddress, deliverMail, sentSubject } from './smtp.ts';
import { withFolder } from '../watch/imap-client.ts';
import { saveEvidence } from '../watch/evidence.ts';
import { normalizeMessageId, withinDomains } from '../watch/match.ts';

type ThreadKind = 'email' | 'webform';

interface EmailThreadOptions {
  retryDelaysMs?: number[];
  timeoutMs?: number;
}

/** The stored header map's values of one header, whatever the case of its name. */
function headerValues(headers: string | null, name: string): string[] {
  if (headers === null) return [];
  let map: unknown;
  try {
    map = JSON.parse(headers);
  } catch {
    return []; // headers stored before they were JSON: no Reply-To or References to use
  }
  if (!map || typeof map !== 'object') return [];
  return Object.entries(map).flatMap(([key, values]) =>
    key.toLowerCase() === name && Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string') : [],
  );
}

const messageIdsIn = (text: string): string[] => [...text.matchAll(/<[^<>\s]{1,250}>/g)].map((m) => m[0]);

/** References of our answer: theirs (else the probe's Message-ID), then the message answered; at most 20, oldest dropped. */
function answerReferences(probeMessageId: string | null, question: { messageId: string | null; headers: string | null }): string[] {
  const theirs = headerValues(question.headers, 'references').flatMap(messageIdsIn);
  const chain = theirs.length > 0 ? theirs : probeMessageId ? [probeMessageId] : [];
  const own = normalizeMessageId(question.messageId ?? undefined);
  const all = [...new Set([...(probeMessageId && !chain.includes(probeMessageId) ? [probeMessageId] : []), ...chain, ...(own ? [own] : [])])];
  return all.length > 20 ? [all[0] ?? '', ...all.slice(-19)] : all;
}

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** Where the answer goes: the question's Reply-To or sender inside the vendor's reply domains, else the channel's address. */
function answerAddress(
  question: { from: string | null; headers: string | null },
  replyDomains: readonly string[],
  fallback: string | undefined,
): string | undefined {
  const candidates = [...headerValues(question.headers, 'reply-to'), ...(question.from ? [question.from] : [])]
    .map((value) => bareAddress(value.split(',')[0] ?? ''))
    .filter((address) => /^[^@\s]+@[^@\s]+$/.test(address));
  return candidates.find((address) => withinDomains(domainOf(address), replyDomains)) ?? fallback;
}

/** The quoted question under our answer, as a person's mail client writes it. */
function quoted(question: AnswerContext<ThreadKind>['question']): string {
  const text = (question.text ?? '')
    .trim()
    .split(/\r?\n/)
    .slice(0, 60)
    .map((line) => `> ${line}`)
    .join('\n');
  return text === '' ? '' : `\n\nOn ${new Date(question.receivedAt).toUTCString()}, ${question.from ?? 'you'} wrote:\n${text}`;
}

function mailboxOf(ctx: AnswerContext<ThreadKind>): MailboxSettings | undefined {
  const name = ctx.channel.mailbox;
  return Object.hasOwn(ctx.services.settings.mailboxes, name) ? ctx.services.settings.mailboxes[name] : undefined;
}

/** The e-mail channel's transport; a web form's is the one sending from its mailbox's address, else `default`. */
function smtpOf(ctx: AnswerContext<ThreadKind>): SmtpSettings {
  const settings: Settings = ctx.services.settings;
  const named = ctx.channel.kind === 'email' && 'smtp' in ctx.channel ? ctx.channel.smtp : undefined;
  const address = mailboxOf(ctx)?.address.toLowerCase();
  const smtp =
    named !== undefined
      ? Object.hasOwn(settings.smtp, named)
        ? settings.smtp[named]
        : undefined
      : (Object.values(settings.smtp).find((s) => bareAddress(s.from).toLowerCase() === address) ?? settings.smtp.default);
  if (!smtp) throw new ProbeError('NOT_FOUND', `no SMTP transport for the follow-ups of ${ctx.vendor.slug}/${ctx.channel.id}`);
  return smtp;
}

export function createEmailThread(options: EmailThreadOptions = {}) {
  return {
    async answer(ctx: AnswerContext<ThreadKind>): Promise<ComposedAnswer> {
      const smtp = smtpOf(ctx);
      const fallback = ctx.channel.kind === 'email' && 'to' in ctx.channel ? ctx.channel.to : undefined;
      const to = answerAddress(ctx.question, ctx.replyDomains, fallback);
      if (to === undefined) throw new ProbeError('NOT_FOUND', "the desk's message has no sender inside the vendor's reply domains to answer");
      const theirSubject = (ctx.question.subject ?? '').trim();
      const subject = sentSubject(/^(re|aw|回复|答复)\s*[:：]/i.test(theirSubject) ? theirSubject : `Re: ${theirSubject}`, ctx.probe.token);
      const body = `${ctx.text.trim()}\n\nref ${ctx.probe.token}${quoted(ctx.question)}\n`;
      const references = answerReferences(ctx.probe.message_id, ctx.question);
      const inReplyTo = normalizeMessageId(ctx.question.messageId ?? undefined);
      const mailbox = mailboxOf(ctx);
      const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
      const raw = await new MailComposer({
        from: smtp.from,
        to,
        subject,
        text: body,
        messageId: ctx.messageId,
        replyTo: mailbox?.address,
        inReplyTo,
        references,
        date: new Date(ctx.services.clock.now()),
      })
        .compile()
        .build();
      return {
        to,
        subject,
        body,
        async send(signal) {
          await deliverMail(smtp, { from: bareAddress(smtp.from), to: [to] }, raw, signal, ctx.logger, options);
          const sentAt = ctx.services.clock.now();
          const copies: SentCopy[] = [{ name: 'evidence', keep: async () => (await saveEvidence(ctx.services.evidenceDir, raw)).path }];
          const folder = mailbox?.sent_folder;
          if (mailbox && folder && !mailbox.sent_folder_autosave) {
            copies.push({
              name: 'append',
              keep: () =>
                withFolder(mailbox, folder, async (client) => {
                  await client.append(folder, raw, ['\\Seen'], new Date(sentAt));
                  return undefined;
                }),
            });
          }
          return { sentAt, copies };
        },
      };
    },

    async reconcileAnswer(ctx: AnswerContext<ThreadKind>): Promise<ReconcileResult> {
      const mailbox = mailboxOf(ctx);
      const folder = mailbox?.sent_folder;
      if (!mailbox || !folder) return { outcome: 'unknown', note: 'no sent folder configured to search' };
      const found = await withFolder(mailbox, folder, async (client) => {
        const uids = await client.search({ header: { 'message-id': ctx.messageId } }, { uid: true });
        const uid = uids ? uids[0] : undefined;
        if (uid === undefined) return undefined;
        const fetched = await client.fetchOne(String(uid), { internalDate: true }, { uid: true });
        const date = fetched === false ? undefined : fetched.internalDate;
        return date ? new Date(date).getTime() : undefined;
      });
      if (found === undefined) return { outcome: 'unknown', note: `${ctx.messageId} not found in ${folder}` };
      return { outcome: 'sent', sentAt: found, note: `${ctx.messageId} found in ${folder}` };
    },
  };
}

export const emailThread = createEmailThread();
