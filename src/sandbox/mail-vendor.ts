// Simulated vendors' support desks: each answers probes mailed to it per its `sandbox.email` script, over real SMTP.
import { z } from 'zod';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { simpleParser } from 'mailparser';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import { errorMessage } from '../core/errors.ts';
import { duration, type Catalog, type Vendor } from '../config/schema.ts';
import { findToken } from '../runner/token.ts';
import type { MailStack, OutboundMail } from './mail-stack.ts';

export const replyKinds = ['ack', 'human', 'out_of_office', 'bounce'] as const;
export type ReplyKind = (typeof replyKinds)[number];

const stepSchema = z.object({
  after: duration,
  kind: z.enum(replyKinds),
  agent: z.string().min(1).optional(),
  language: z.enum(['en', 'zh']).optional(),
});

/** A vendor file's `sandbox:` block as far as e-mail goes; `regress_after`/`regress_factor` make human answers slower after a while. */
export const mailSandboxSchema = z.object({
  email: z.array(stepSchema).default([]),
  regress_after: duration.optional(),
  regress_factor: z.number().positive().default(1),
});
export type MailSandbox = z.infer<typeof mailSandboxSchema>;

/** A reply a simulated vendor has just sent (tests compare the probe's timeline with these). */
export interface VendorReply {
  vendor: string;
  kind: ReplyKind;
  to: string;
  token?: string | undefined;
  messageId: string;
  /** When the vendor started sending the reply (wall clock, ms): its true send time. */
  sentAt: number;
  /** When the stack answered 250 to it. */
  acceptedAt: number;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): NodeJS.Timeout;
  clearTimeout(handle: NodeJS.Timeout): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle),
};

export interface MailVendorsOptions {
  catalog: Catalog;
  stack: Pick<MailStack, 'smtp' | 'onOutbound'>;
  clock: Clock;
  logger: Logger;
  timers?: Timers;
  onReply?: (reply: VendorReply) => void;
}

interface Desk {
  vendor: Vendor;
  address: string;
  script: MailSandbox;
  nextTicket: number;
}

interface Question {
  from: string;
  replyTo: string;
  subject: string;
  text: string;
  messageId?: string | undefined;
  date: Date;
  token?: string | undefined;
}

function ticketSeed(slug: string): number {
  let hash = 0;
  for (const ch of slug) hash = (hash * 31 + ch.charCodeAt(0)) % 90_000;
  return 10_000 + hash;
}

function quote(question: Question, language: 'en' | 'zh'): string {
  const lines = question.text.trim().split(/\r?\n/).map((line) => `> ${line}`).join('\n');
  const when = question.date.toUTCString();
  return language === 'zh' ? `在 ${when}，${question.from} 写道：\n${lines}` : `On ${when}, ${question.from} wrote:\n${lines}`;
}

/** A plausible first answer to the demo questions, by topic. */
function answerBody(question: Question, language: 'en' | 'zh', vendorName: string): string {
  const text = `${question.subject}\n${question.text}`.toLowerCase();
  if (language === 'zh') {
    if (text.includes('计费') || text.includes('带宽')) {
      return '回源带宽按月度峰值（95 计费）结算，超过 10 Gbps 的部分有阶梯价格。我已把最新的价目表发到附件链接里，如需正式报价可以直接回复这封邮件。';
    }
    if (text.includes('key') || text.includes('密钥')) {
      return '推流密钥可以在控制台「直播 > 推流配置」里新增第二个密钥，切换推流地址后再停用旧密钥，观众端不会断流。';
    }
    return '关于您的问题，我们已经确认了相关配置。建议您先在控制台中核对当前设置，如仍有问题请告诉我们具体的频道 ID。';
  }
  if (text.includes('stream key') || text.includes('rotate')) {
    return `You can add a second stream key on the channel (Settings > Ingest), point your encoder at it, and revoke the old key once the new session is live. Viewers stay on the same playback URL, so nobody sees a drop. I have checked your account: all 40 channels support dual keys.`;
  }
  if (text.includes('latency') || text.includes('playback')) {
    return `Thanks for the details. We found a misrouted edge pool in that region and moved its traffic back this morning. Startup times should be under 2 s again; could you confirm from your side? Forcing the next-nearest edge is no longer needed.`;
  }
  return `Thanks for reaching out to ${vendorName}. I looked into your question and the setting you need is in the dashboard under Settings. Let me know if anything is unclear.`;
}

export function startMailVendors(options: MailVendorsOptions): { stop(): Promise<void> } {
  const { catalog, stack, clock, logger } = options;
  const timers = options.timers ?? realTimers;
  const startedAt = clock.now();
  const desks = new Map<string, Desk>();
  for (const vendor of catalog.vendors) {
    if (!vendor.sandbox || vendor.sandbox.email === undefined) continue;
    const parsed = mailSandboxSchema.safeParse(vendor.sandbox);
    if (!parsed.success) {
      logger.error({ vendor: vendor.slug, problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }, 'invalid sandbox.email script; vendor will not reply');
      continue;
    }
    for (const channel of vendor.channels) {
      if (channel.kind !== 'email' || !('to' in channel)) continue;
      const address = channel.to.toLowerCase();
      desks.set(address, { vendor, address, script: parsed.data, nextTicket: ticketSeed(vendor.slug) });
    }
  }

  const transport = nodemailer.createTransport({ host: stack.smtp.host, port: stack.smtp.port, secure: false, ignoreTLS: true, name: 'helpdesk.sandbox' });
  const pending = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;

  const sendReply = async (desk: Desk, question: Question, kind: ReplyKind, step: z.infer<typeof stepSchema>, ticket: number): Promise<void> => {
    const language = step.language ?? 'en';
    const vendorName = desk.vendor.name;
    const support = `${vendorName} Support <${desk.address}>`;
    const domain = desk.address.split('@')[1] ?? 'vendor.sandbox';
    const messageId = `<${kind}.${ticket}.${Math.random().toString(36).slice(2, 10)}@${domain}>`;
    const threading = question.messageId ? { inReplyTo: question.messageId, references: [question.messageId] } : {};
    let mail: SendMailOptions;
    if (kind === 'ack') {
      const subject = language === 'zh' ? `【工单 #${ticket}】已收到：${question.subject}` : `[#${ticket}] We received your request: ${question.subject}`;
      const text = language === 'zh'
        ? `您好，\n\n您的邮件已收到，系统已自动创建工单 #${ticket}。我们的客服人员会尽快与您联系。\n\n此邮件为系统自动回复，请勿直接回复。\n\n${vendorName} 客服中心`
        : `Hello,\n\nthis is an automated message to confirm that we have received your request. Your ticket number is #${ticket}.\nOne of our support engineers will get back to you as soon as possible.\n\nPlease do not reply to this message.\n\n${vendorName} Support`;
      mail = { from: support, to: question.replyTo, subject, text, messageId, ...threading, headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All', Precedence: 'auto_reply' } };
    } else if (kind === 'out_of_office') {
      const text = language === 'zh'
        ? `您好，我目前休假，将于下周一返回。紧急问题请联系值班电话。\n\n此邮件为自动回复。`
        : `Hello,\n\nI am out of the office until Monday with limited access to e-mail. For urgent matters please call our hotline.\n\nThis is an automatic reply.`;
      mail = { from: support, to: question.replyTo, subject: language === 'zh' ? `自动回复：${question.subject}` : `Automatic reply: ${question.subject}`, text, messageId, ...threading, headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' } };
    } else if (kind === 'bounce') {
      const report = `Reporting-MTA: dns; mx.${domain}\r\n\r\nFinal-Recipient: rfc822; ${desk.address}\r\nAction: failed\r\nStatus: 5.2.2\r\nDiagnostic-Code: smtp; 552 5.2.2 mailbox full\r\n`;
      const raw = [
        `From: Mail Delivery System <MAILER-DAEMON@${domain}>`, `To: ${question.replyTo}`, `Subject: Undelivered Mail Returned to Sender`,
        `Message-ID: ${messageId}`, `Date: ${new Date(clock.now()).toUTCString()}`, 'Auto-Submitted: auto-replied', 'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="bounce-boundary"', '',
        '--bounce-boundary', 'Content-Type: text/plain; charset=utf-8', '',
        `This is the mail system at host mx.${domain}.\r\n\r\nYour message could not be delivered to ${desk.address}: mailbox full.`, '',
        '--bounce-boundary', 'Content-Type: message/delivery-status', '', report,
        '--bounce-boundary', 'Content-Type: text/rfc822-headers', '', `Subject: ${question.subject}\r\nMessage-ID: ${question.messageId ?? ''}`, '',
        '--bounce-boundary--', '',
      ].join('\r\n');
      mail = { envelope: { from: '', to: [question.replyTo] }, raw };
    } else {
      const agent = step.agent ?? (language === 'zh' ? '客服' : 'Support team');
      const body = answerBody(question, language, vendorName);
      const greeting = language === 'zh' ? '您好，' : 'Hi Sam,';
      const signoff = language === 'zh' ? `祝好\n${agent}\n${vendorName} 技术支持` : `Best regards,\n${agent}\n${vendorName} Support`;
      const subject = question.subject.startsWith('Re:') ? question.subject : `Re: ${question.subject}`;
      mail = { from: `${agent} via ${vendorName} Support <${desk.address}>`, to: question.replyTo, subject, text: `${greeting}\n\n${body}\n\n${signoff}\n\n${quote(question, language)}\n`, messageId, ...threading };
    }
    const sentAt = Date.now();
    await transport.sendMail(mail);
    const acceptedAt = Date.now();
    logger.info({ vendor: desk.vendor.slug, kind, token: question.token, ticket }, 'sandbox vendor replied');
    options.onReply?.({ vendor: desk.vendor.slug, kind, to: question.replyTo, token: question.token, messageId, sentAt, acceptedAt });
  };

  const receive = async (desk: Desk, mail: OutboundMail): Promise<void> => {
    const parsed = await simpleParser(mail.raw);
    const replyTo = parsed.replyTo?.value[0]?.address ?? parsed.from?.value[0]?.address ?? mail.from;
    if (!replyTo) return;
    const question: Question = {
      from: parsed.from?.text ?? mail.from,
      replyTo,
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      messageId: parsed.messageId,
      date: parsed.date ?? new Date(clock.now()),
      token: findToken(parsed.subject) ?? findToken(parsed.text),
    };
    const ticket = desk.nextTicket++;
    const slower = desk.script.regress_after !== undefined && clock.now() - startedAt >= desk.script.regress_after;
    for (const step of desk.script.email) {
      const delay = step.kind === 'human' && slower ? step.after * desk.script.regress_factor : step.after;
      const handle = timers.setTimeout(() => {
        pending.delete(handle);
        if (stopped) return;
        const sending = sendReply(desk, question, step.kind, step, ticket)
          .catch((err: unknown) => logger.error({ vendor: desk.vendor.slug, kind: step.kind, err: errorMessage(err) }, 'sandbox vendor could not reply'))
          .finally(() => inFlight.delete(sending));
        inFlight.add(sending);
      }, delay);
      pending.add(handle);
    }
  };

  stack.onOutbound((mail) => {
    if (stopped) return;
    for (const rcpt of mail.to) {
      const desk = desks.get(rcpt.toLowerCase());
      if (!desk) continue;
      receive(desk, mail).catch((err: unknown) => logger.error({ vendor: desk.vendor.slug, err: errorMessage(err) }, 'sandbox vendor could not read a probe'));
    }
  });
  logger.info({ vendors: [...new Set([...desks.values()].map((d) => d.vendor.slug))] }, 'sandbox vendors answering e-mail');

  return {
    async stop() {
      stopped = true;
      for (const handle of pending) timers.clearTimeout(handle);
      pending.clear();
      await Promise.allSettled([...inFlight]);
      transport.close();
    },
  };
}
