// Simulated vendors' support desks: each answers probes mailed to it per its `sandbox.email` script, over real SMTP.
import { z } from 'zod';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { simpleParser } from 'mailparser';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import { duration, type Catalog, type Vendor } from '../config/schema.ts';
import { findToken } from '../core/token.ts';
import { businessCalendar, type BusinessCalendar } from '../metrics/business-time.ts';
import type { MailStack, OutboundMail } from './mail-stack.ts';
import type { DkimKey } from './dns-server.ts';

const replyKinds = ['ack', 'human', 'out_of_office', 'bounce'] as const;
export type ReplyKind = (typeof replyKinds)[number];

/**
 * How a simulated agent answers: `answer` on topic (the default); `script` a saved reply that never addresses the
 * question and asks for the account id the probe gave; `thorough` resolves the ingest question in its first reply
 * most of the time, else asks which encoder is used and resolves once told.
 */
const agentStyles = ['answer', 'script', 'thorough'] as const;
type AgentStyle = (typeof agentStyles)[number];

const stepSchema = z.object({
  after: duration,
  kind: z.enum(replyKinds),
  agent: z.string().min(1).optional(),
  language: z.enum(['en', 'zh']).optional(),
  style: z.enum(agentStyles).optional(),
});

/**
 * A vendor file's `sandbox:` block as far as e-mail goes; `regress_after`/`regress_factor` make human answers slower
 * once that long has passed since the vendor's first probe arrived (not since start-up, which a loaded machine slows).
 */
const mailSandboxSchema = z.object({
  email: z.array(stepSchema).default([]),
  /** Replies outside the vendor's declared support_hours (default: the same as `email`). */
  off_hours: z.array(stepSchema).optional(),
  regress_after: duration.optional(),
  regress_factor: z.number().positive().default(1),
  /** How the desk answers a customer's reply in a thread it answered (a follow-up); without it, follow-ups go unanswered. */
  follow_up: z.object({ after: duration, agent: z.string().min(1).optional(), language: z.enum(['en', 'zh']).optional() }).optional(),
});
type MailSandbox = z.infer<typeof mailSandboxSchema>;

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

interface MailVendorsOptions {
  catalog: Catalog;
  stack: Pick<MailStack, 'smtp' | 'onOutbound'>;
  clock: Clock;
  logger: Logger;
  timers?: Timers;
  onReply?: (reply: VendorReply) => void;
  /** DKIM keys by the desks' domain: their replies (acknowledgements, agents, out-of-office) go out signed. */
  dkimKeys?: ReadonlyMap<string, Pick<DkimKey, 'selector' | 'privateKey'>>;
}

interface Desk {
  vendor: Vendor;
  address: string;
  script: MailSandbox;
  nextTicket: number;
  /** When the first probe reached this desk: `regress_after` counts from here. */
  firstProbeAt?: number;
  /** The vendor's support hours, when it declares them: outside them the off_hours script answers. */
  calendar?: BusinessCalendar | undefined;
  /** The threads its agents answered, by the Message-ID of each answer: a reply to one is a follow-up. */
  threads: Map<string, DeskThread>;
}

/** A conversation at a desk: the probe that opened it, its ticket, the agent's style and how many answers it has had. */
interface DeskThread {
  opening: Question;
  ticket: number;
  style: AgentStyle;
  answers: number;
  /** Message-IDs of the thread so far, oldest first (References of the next answer). */
  references: string[];
}

export interface Question {
  from: string;
  replyTo: string;
  subject: string;
  text: string;
  messageId?: string | undefined;
  date: Date;
  token?: string | undefined;
  /** The References of the question, oldest first. */
  references?: string[] | undefined;
}

function ticketSeed(slug: string): number {
  let hash = 0;
  for (const ch of slug) hash = (hash * 31 + ch.charCodeAt(0)) % 90_000;
  return 10_000 + hash;
}

function quote(question: Question, language: 'en' | 'zh'): string {
  const lines = question.text
    .trim()
    .split(/\r?\n/)
    .map((line) => `> ${line}`)
    .join('\n');
  const when = question.date.toUTCString();
  return language === 'zh' ? `在 ${when}，${question.from} 写道：\n${lines}` : `On ${when}, ${question.from} wrote:\n${lines}`;
}

/** A small deterministic generator (mulberry32) so a probe's reply is reproducible from its token. */
function seededPick(seed: string): <T>(items: readonly T[]) => T {
  let state = 0;
  for (const ch of seed) state = (Math.imul(state, 31) + ch.charCodeAt(0)) | 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return <T>(items: readonly T[]): T => {
    const item = items[Math.floor(next() * items.length)];
    if (item === undefined) throw new Error('empty phrase list');
    return item;
  };
}

// People write each answer anew: the simulated agents compose theirs from many phrasings, so no two replies share a
// text skeleton (the classifier rightly treats a repeated skeleton as a template).
const enOpeners = [
  'Thanks for the detailed report.',
  'Thank you for writing in, and sorry for the trouble.',
  'Good question, and thanks for the context.',
  'Thanks for flagging this so clearly.',
  'Appreciate the logs, they helped a lot.',
  'Sorry for the hassle, and thanks for your patience.',
  'Thanks, this was easy to follow.',
  'Happy to help with this one.',
];
const enChecks = [
  'I went through your account settings',
  'I looked at the traffic graphs for your channels',
  'I checked our side with the platform engineers',
  'I reproduced the setup on a test channel',
  'I read through the ingest logs from the last day',
  'I compared your configuration with our defaults',
  'I pulled the edge metrics for your region',
  'I asked our network team to double-check',
];
const enTopics: Record<string, readonly string[]> = {
  keys: [
    'you can add a second stream key, move the encoder over and revoke the old key once the new session is live',
    'dual keys are enabled on your plan, so the rotation can happen without dropping viewers',
    'the old key stays valid until you revoke it, which gives you a safe window for the switch',
    'rotating is done per channel, and playback addresses do not change when you do it',
  ],
  latency: [
    'a misrouted edge pool was sending part of your audience to a distant cache',
    'one of the regional caches was cold after a deploy and has warmed up since',
    'your player was falling back to a slower protocol on some networks',
    'a routing change upstream added a detour that we have now reverted',
  ],
  other: [
    'the setting you need lives in the dashboard under the channel options',
    'this is supported, it just is not switched on by default',
    'the limit you ran into can be raised for your account',
    'the behaviour you saw is expected with the current defaults, and it can be changed',
  ],
};
const enActions = [
  'I have changed it for you just now.',
  'I applied the fix a few minutes ago.',
  'nothing needs to change on your side.',
  'I wrote the exact steps into our knowledge base for you.',
  'our engineers have rolled out a correction.',
  'I have enabled it on your account.',
  'the change is live already.',
  'I left a note on your account so the next shift knows.',
];
const enAsks = [
  'Could you confirm from your side?',
  'Let me know whether it looks right now.',
  'Does that match what you are seeing?',
  'If anything still looks off, just reply here.',
  'Would you try once more and tell me how it goes?',
  'Happy to jump on a call if that is easier.',
  'Tell me if you want me to walk you through it.',
  'Ping me here if it happens again.',
];
const enDetails = [
  'It only touched a small share of sessions.',
  'Your other channels were not affected.',
  'Our own monitoring showed the same pattern.',
  'It started late yesterday evening.',
  'It was not related to your change last week.',
  'We have seen the same thing with another customer before.',
  '',
  'The logs show the exact moment it began.',
];
const enClosings = ['Best regards,', 'Kind regards,', 'Cheers,', 'All the best,', 'Thanks again,', 'Speak soon,'];
const zhOpeners = ['感谢您的详细描述。', '抱歉给您带来不便。', '谢谢您的耐心等待。', '收到您的问题，感谢反馈。', '谢谢您提供的日志。', '这个问题问得很好。'];
const zhChecks = [
  '我查看了您账号下的配置',
  '我和平台工程师一起核对了后台',
  '我在测试频道上复现了您的场景',
  '我检查了最近一天的推流日志',
  '我对比了您的配置和默认配置',
  '我拉取了您所在区域的节点数据',
];
const zhTopics: Record<string, readonly string[]> = {
  keys: [
    '可以先新增第二个推流密钥，切换编码器后再停用旧密钥',
    '您的套餐支持双密钥，切换时观众不会断流',
    '旧密钥在停用前一直有效，切换时间很充裕',
    '密钥按频道轮换，播放地址不会变化',
  ],
  billing: ['回源带宽按月度峰值计费，超出部分有阶梯价格', '您这个月的带宽峰值出现在周末晚高峰', '计费方式可以改为按流量结算', '账单里的回源部分已经单独列出'],
  other: ['您需要的设置在控制台的频道选项里', '这个功能是支持的，只是默认没有开启', '您遇到的限制可以为您的账号调高', '目前的表现符合默认配置，可以调整'],
};
const zhActions = [
  '我已经帮您改好了。',
  '修复已经在几分钟前生效。',
  '您这边不需要做任何改动。',
  '我把详细步骤整理成文档发给您了。',
  '工程师已经推送了修正。',
  '我已为您的账号开启。',
];
const zhDetails = [
  '影响的只是一小部分会话。',
  '其他频道没有受到影响。',
  '我们的监控也看到了同样的现象。',
  '昨天晚上开始就是这样了。',
  '这和您上周的变更没有关系。',
  '同样的情况我们在别的客户那里也处理过。',
  '',
  '日志里能看到明显的时间点。',
];
const zhRemarks = [
  '有任何问题随时联系我们。',
  '祝您直播顺利。',
  '后续我们会继续关注这个频道。',
  '我们也会在下个版本里改进这里的提示。',
  '感谢您的理解和支持。',
  '这个问题我会一直跟进。',
  '',
  '相关文档我们也会同步更新。',
];
const zhAsks = [
  '麻烦您确认一下？',
  '请看看现在是否正常。',
  '和您看到的情况一致吗？',
  '如果还有问题，直接回复这封邮件即可。',
  '方便的话请再试一次。',
  '需要的话我们可以电话沟通。',
];

/** A person's first answer to a demo question: on topic, worded differently every time. */
export function answerBody(question: Question, language: 'en' | 'zh', vendorName: string): string {
  const text = `${question.subject}\n${question.text}`.toLowerCase();
  const pick = seededPick(`${question.token ?? question.messageId ?? question.subject}:${vendorName}`);
  if (language === 'zh') {
    const topic = text.includes('计费') || text.includes('带宽') ? 'billing' : text.includes('key') || text.includes('密钥') ? 'keys' : 'other';
    return `${pick(zhOpeners)}${pick(zhChecks)}，${pick(zhTopics[topic] ?? zhTopics.other ?? [])}。${pick(zhDetails)}${pick(zhActions)}${pick(zhAsks)}${pick(zhRemarks)}`;
  }
  const topic = text.includes('stream key') || text.includes('rotate') ? 'keys' : text.includes('latency') || text.includes('playback') ? 'latency' : 'other';
  const detail = pick(enDetails);
  return `${pick(enOpeners)} ${pick(enChecks)}, and ${pick(enTopics[topic] ?? enTopics.other ?? [])}; ${pick(enActions)}${detail ? ` ${detail}` : ''} ${pick(enAsks)}`;
}

const scriptedReply =
  "I'm sorry to hear you're having trouble, and I'd be glad to check this for you. To look into it, could you please provide your account ID?";

const ingestOpeners = [
  'I went through the ingest logs of your account.',
  'I looked at your streams on our side.',
  'I checked the ingest graphs for this morning.',
  'I traced your sessions through our edge.',
  'I reproduced your setup on a test channel.',
  'I compared your encoder sessions with the other customers there.',
];
const ingestCauses = [
  'the Singapore region edge was overloaded after a deploy',
  'one ingest node in the Singapore region kept a stale route',
  'our Singapore region sent part of the ingest through Tokyo',
  'a faulty load balancer in the Singapore region slowed the ingest handshake',
  'the primary ingest pool for the Singapore region was short of capacity',
];
const ingestSteps = [
  'Please point your encoder at rtmp://sg2.ingest.thorough.demo/live',
  'Switch the ingest URL in your encoder to the sg2 endpoint',
  'Change the server in OBS to the backup ingest sg2.ingest.thorough.demo',
  'Set your encoder to the sg2 ingest endpoint for now',
  'Move your streams to the sg2 ingest endpoint',
];
const ingestAfter = [
  'and latency should drop back under 3 seconds.',
  'and the extra delay will go away.',
  'and keep the keyframe interval at 2 seconds.',
  'and let me know if anything still looks slow.',
  'and the first node will be back in the pool tonight.',
];
const clarifyOpeners = [
  'I am looking at the Singapore ingest now.',
  'I started on this with our network team.',
  'I can see slow handshakes on our side.',
  'Looking into this now.',
];
const clarifyAsks = [
  'Which encoder and version are you using?',
  'Could you tell me which encoder software and version you stream with?',
  'Which encoder version do you run on those machines?',
];

/** Thorough's answer that resolves the ingest question: cause, a concrete step, worded anew each time. */
export function thoroughAnswer(seed: string): string {
  const pick = seededPick(`${seed}:resolve`);
  return `${pick(ingestOpeners)} It turned out ${pick(ingestCauses)}. ${pick(ingestSteps)}, ${pick(ingestAfter)}`;
}

/** Thorough's first reply: resolves three times in four (by the probe's token), else asks which encoder is used. */
export function thoroughFirstReply(seed: string): { body: string; resolves: boolean } {
  const pick = seededPick(`${seed}:first`);
  if (pick([true, true, true, false])) return { body: thoroughAnswer(seed), resolves: true };
  return { body: `${pick(clarifyOpeners)} ${pick(clarifyAsks)}`, resolves: false };
}

export function startMailVendors(options: MailVendorsOptions): { stop(): Promise<void> } {
  const { catalog, stack, clock, logger } = options;
  const timers = options.timers ?? realTimers;
  const desks = new Map<string, Desk>();
  for (const vendor of catalog.vendors) {
    if (!vendor.sandbox || vendor.sandbox.email === undefined) continue;
    const parsed = mailSandboxSchema.safeParse(vendor.sandbox);
    if (!parsed.success) {
      logger.error(
        { vendor: vendor.slug, problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
        'invalid sandbox.email script; vendor will not reply',
      );
      continue;
    }
    for (const channel of vendor.channels) {
      if (channel.kind !== 'email' || !('to' in channel)) continue;
      const address = channel.to.toLowerCase();
      const calendar = vendor.support_hours ? businessCalendar(vendor.support_hours, vendor.timezone) : undefined;
      desks.set(address, { vendor, address, script: parsed.data, nextTicket: ticketSeed(vendor.slug), calendar, threads: new Map() });
    }
  }

  const transport = nodemailer.createTransport({ host: stack.smtp.host, port: stack.smtp.port, secure: false, ignoreTLS: true, name: 'helpdesk.sandbox' });
  const pending = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;

  const sendReply = async (
    desk: Desk,
    question: Question,
    kind: ReplyKind,
    step: z.infer<typeof stepSchema>,
    ticket: number,
    thread?: DeskThread,
  ): Promise<void> => {
    const language = step.language ?? 'en';
    const vendorName = desk.vendor.name;
    const support = `${vendorName} Support <${desk.address}>`;
    const domain = desk.address.split('@')[1] ?? 'vendor.sandbox';
    const messageId = `<${kind}.${ticket}.${Math.random().toString(36).slice(2, 10)}@${domain}>`;
    const references = [...new Set([...(question.references ?? []), ...(question.messageId ? [question.messageId] : [])])];
    const threading = question.messageId ? { inReplyTo: question.messageId, references } : {};
    let mail: SendMailOptions;
    if (kind === 'ack') {
      const subject = language === 'zh' ? `【工单 #${ticket}】已收到：${question.subject}` : `[#${ticket}] We received your request: ${question.subject}`;
      const text =
        language === 'zh'
          ? `您好，\n\n您的邮件已收到，系统已自动创建工单 #${ticket}。我们的客服人员会尽快与您联系。\n\n此邮件为系统自动回复，请勿直接回复。\n\n${vendorName} 客服中心`
          : `Hello,\n\nthis is an automated message to confirm that we have received your request. Your ticket number is #${ticket}.\nOne of our support engineers will get back to you as soon as possible.\n\nPlease do not reply to this message.\n\n${vendorName} Support`;
      mail = {
        from: support,
        to: question.replyTo,
        subject,
        text,
        messageId,
        ...threading,
        headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All', Precedence: 'auto_reply' },
      };
    } else if (kind === 'out_of_office') {
      const text =
        language === 'zh'
          ? `您好，我目前休假，将于下周一返回。紧急问题请联系值班电话。\n\n此邮件为自动回复。`
          : `Hello,\n\nI am out of the office until Monday with limited access to e-mail. For urgent matters please call our hotline.\n\nThis is an automatic reply.`;
      mail = {
        from: support,
        to: question.replyTo,
        subject: language === 'zh' ? `自动回复：${question.subject}` : `Automatic reply: ${question.subject}`,
        text,
        messageId,
        ...threading,
        headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' },
      };
    } else if (kind === 'bounce') {
      const report = `Reporting-MTA: dns; mx.${domain}\r\n\r\nFinal-Recipient: rfc822; ${desk.address}\r\nAction: failed\r\nStatus: 5.2.2\r\nDiagnostic-Code: smtp; 552 5.2.2 mailbox full\r\n`;
      const raw = [
        `From: Mail Delivery System <MAILER-DAEMON@${domain}>`,
        `To: ${question.replyTo}`,
        `Subject: Undelivered Mail Returned to Sender`,
        `Message-ID: ${messageId}`,
        `Date: ${new Date(clock.now()).toUTCString()}`,
        'Auto-Submitted: auto-replied',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="bounce-boundary"',
        '',
        '--bounce-boundary',
        'Content-Type: text/plain; charset=utf-8',
        '',
        `This is the mail system at host mx.${domain}.\r\n\r\nYour message could not be delivered to ${desk.address}: mailbox full.`,
        '',
        '--bounce-boundary',
        'Content-Type: message/delivery-status',
        '',
        report,
        '--bounce-boundary',
        'Content-Type: text/rfc822-headers',
        '',
        `Subject: ${question.subject}\r\nMessage-ID: ${question.messageId ?? ''}`,
        '',
        '--bounce-boundary--',
        '',
      ].join('\r\n');
      mail = { envelope: { from: '', to: [question.replyTo] }, raw };
    } else {
      const agent = step.agent ?? (language === 'zh' ? '客服' : 'Support team');
      const style = thread?.style ?? step.style ?? 'answer';
      const seed = thread?.opening.token ?? question.token ?? question.messageId ?? question.subject;
      const body =
        style === 'script'
          ? scriptedReply
          : style === 'thorough'
            ? thread && thread.answers > 0
              ? thoroughAnswer(`${seed}:${thread.answers}`)
              : thoroughFirstReply(seed).body
            : answerBody(thread?.opening ?? question, language, vendorName);
      const greeting = language === 'zh' ? '您好，' : 'Hi Sam,';
      const signoff =
        language === 'zh'
          ? `祝好\n${agent}\n${vendorName} 技术支持`
          : `${enClosings[ticket % enClosings.length] ?? 'Best regards,'}\n${agent}\n${vendorName} Support`;
      const subject = question.subject.startsWith('Re:') ? question.subject : `Re: ${question.subject}`;
      mail = {
        from: `${agent} via ${vendorName} Support <${desk.address}>`,
        to: question.replyTo,
        subject,
        text: `${greeting}\n\n${body}\n\n${signoff}\n\n${quote(question, language)}\n`,
        messageId,
        ...threading,
      };
      // The thread is remembered under this answer's id: the customer's reply to it is a follow-up.
      const remembered: DeskThread = thread ?? { opening: question, ticket, style, answers: 0, references: [] };
      remembered.answers++;
      remembered.references = [...references, messageId];
      desk.threads.set(messageId, remembered);
    }
    const key = options.dkimKeys?.get(domain);
    if (key && !mail.raw) mail.dkim = { domainName: domain, keySelector: key.selector, privateKey: key.privateKey };
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
      references: Array.isArray(parsed.references) ? parsed.references : parsed.references ? [parsed.references] : [],
    };
    const thread = parsed.inReplyTo ? desk.threads.get(parsed.inReplyTo.trim()) : undefined;
    if (thread) {
      answerFollowUp(desk, question, thread);
      return;
    }
    const ticket = desk.nextTicket++;
    desk.firstProbeAt ??= clock.now();
    const slower = desk.script.regress_after !== undefined && clock.now() - desk.firstProbeAt >= desk.script.regress_after;
    const closed = desk.calendar !== undefined && !desk.calendar.isOpen(clock.now());
    const steps = closed ? (desk.script.off_hours ?? desk.script.email) : desk.script.email;
    for (const step of steps) {
      const delay = step.kind === 'human' && slower ? step.after * desk.script.regress_factor : step.after;
      const handle = timers.setTimeout(() => {
        pending.delete(handle);
        if (stopped) return;
        const sending = sendReply(desk, question, step.kind, step, ticket)
          .catch((err: unknown) => logger.error({ vendor: desk.vendor.slug, kind: step.kind, err }, 'sandbox vendor could not reply'))
          .finally(() => inFlight.delete(sending));
        inFlight.add(sending);
      }, delay);
      pending.add(handle);
    }
  };

  /** A customer's reply in a thread an agent answered: the follow_up script answers it in the same thread, once. */
  const answerFollowUp = (desk: Desk, question: Question, thread: DeskThread): void => {
    const step = desk.script.follow_up;
    if (!step) return;
    const handle = timers.setTimeout(() => {
      pending.delete(handle);
      if (stopped) return;
      const sending = sendReply(desk, question, 'human', { ...step, kind: 'human' }, thread.ticket, thread)
        .catch((err: unknown) => logger.error({ vendor: desk.vendor.slug, err }, 'sandbox vendor could not answer a follow-up'))
        .finally(() => inFlight.delete(sending));
      inFlight.add(sending);
    }, step.after);
    pending.add(handle);
  };

  stack.onOutbound((mail) => {
    if (stopped) return;
    for (const rcpt of mail.to) {
      const desk = desks.get(rcpt.toLowerCase());
      if (!desk) continue;
      receive(desk, mail).catch((err: unknown) => logger.error({ vendor: desk.vendor.slug, err }, 'sandbox vendor could not read a probe'));
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
