// A Request Tracker desk with its default scrips, answering through the real loopback mail stack, read by firstreply as
// src/main.ts wires it: RT's AutoReply quotes our probe under a line of dashes and carries no Auto-Submitted header; an
// agent answers two probes with the same saved reply at a person's pace; one ticket is retitled and answered with only
// its RT-Ticket reference. Also: what the watcher tells the classifier about the probe (its text, send time, thread).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { simpleParser } from 'mailparser';
import { silentLogger } from '../../src/core/logger.ts';
import { settingsSchema, vendorSchema, type Catalog } from '../../src/config/schema.ts';
import { startMailStack, type MailStack, type OutboundMail } from '../../src/sandbox/mail-stack.ts';
import { probeTextOf, startFirstReply, type Running } from '../../src/main.ts';
import { classifyAndRemember } from '../../src/replies/template-memory.ts';
import type { ParsedMail, ReplyContext } from '../../src/classify/types.ts';
import { createMailWatcher, type MailWatcher } from '../../src/watch/imap.ts';
import { buildStatsReport } from '../../src/metrics/report.ts';
import { arrivalEstimate, replyArrival } from '../../src/core/instant.ts';
import { findToken } from '../../src/core/token.ts';
import type { MessageLabel } from '../../src/core/labels.ts';
import type { MessageRow, MessageWithReview } from '../../src/store/messages.ts';
import type { ProbeView } from '../../src/store/probes.ts';
import type { Store } from '../../src/store/db.ts';
import { openEmailWorld, probeAddress, until, vendorAddress, type EmailWorld } from './email-fixtures.ts';
import { macro, retitledAnswer } from '../helpers/agent-replies.ts';

const deskAddress = 'support@vendor.test';
const rtName = 'vendor.test';
/** settings.classifier.fast_reply_ms: "hours" of a person's pace are a few seconds here. */
const FAST_REPLY_MS = 2000;
/** When the agents answer, after the send: INTERNALDATE has whole seconds, so the stamped delay stays past FAST_REPLY_MS. */
const AGENT_AFTER_MS = FAST_REPLY_MS + 1500;
const automatic: readonly MessageLabel[] = ['auto_ack', 'out_of_office', 'bounce', 'bot', 'marketing', 'system'];

// ---------------------------------------------------------------------------------------------------------------
// The scripted desk: Request Tracker 5 with its default scrips, reached over real SMTP.

interface Ticket {
  number: number;
  /** Our probe as the desk received it. */
  subject: string;
  text: string;
  messageId: string;
  requestor: string;
  token: string | undefined;
  /** When the AutoReply was handed to SMTP and when the stack accepted it. */
  ackSentAt?: number;
  ackAcceptedAt?: number;
}

interface DeskMail {
  ticket: number;
  kind: 'ack' | 'correspond';
  messageId: string;
  sentAt: number;
  acceptedAt: number;
}

interface RtDesk {
  tickets: Ticket[];
  mails: DeskMail[];
  ticketOf(token: string): Ticket | undefined;
  /** An agent's correspondence on a ticket, as RT sends it: `[rtname #N] <subject>`, only the RT-Ticket reference, empty In-Reply-To. */
  correspond(ticket: Ticket, agent: string, body: string, subject?: string): Promise<DeskMail>;
  stop(): Promise<void>;
}

const rtMessageId = (ticket: number, txn: number, at: number) => `<rt-5.0.5-41207-${Math.floor(at / 1000)}-${txn}.${ticket}-6-0@${rtName}>`;

function rfc822(headers: Array<[string, string]>, body: string): string {
  return [...headers.map(([k, v]) => `${k}: ${v}`), '', body.replace(/\r?\n/g, '\r\n'), ''].join('\r\n');
}

/** RT's stock "Autoreply" template (plain text), with our request below the 73-dash line. */
function autoReplyBody(ticket: Ticket): string {
  return [
    'Greetings,',
    '',
    'This message has been automatically generated in response to the',
    'creation of a trouble ticket regarding:',
    `\t"${ticket.subject}", `,
    'a summary of which appears below.',
    '',
    'There is no need to reply to this message right now.  Your ticket has been',
    `assigned an ID of [${rtName} #${ticket.number}].`,
    '',
    'Please include the string:',
    '',
    `         [${rtName} #${ticket.number}]`,
    '',
    'in the subject line of all future correspondence about this issue. To do so,',
    'you may reply to this message.',
    '',
    '                        Thank you,',
    `                        ${deskAddress}`,
    '',
    '-------------------------------------------------------------------------',
    ticket.text.replace(/\r\n/g, '\n').trimEnd(),
    '',
  ].join('\n');
}

function startRtDesk(stack: MailStack, options: { address: string; firstTicket?: number; ackDelayMs?: number }): RtDesk {
  const transport = nodemailer.createTransport({ host: stack.smtp.host, port: stack.smtp.port, secure: false, ignoreTLS: true, name: 'rt.vendor.test' });
  const tickets: Ticket[] = [];
  const mails: DeskMail[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const errors: unknown[] = [];
  let next = options.firstTicket ?? 3;
  let txn = 500;
  let stopped = false;

  const send = async (ticket: Ticket, kind: DeskMail['kind'], raw: string, messageId: string): Promise<DeskMail> => {
    const sentAt = Date.now();
    await transport.sendMail({ envelope: { from: options.address, to: [ticket.requestor] }, raw });
    const mail: DeskMail = { ticket: ticket.number, kind, messageId, sentAt, acceptedAt: Date.now() };
    mails.push(mail);
    return mail;
  };

  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  };

  const autoReply = async (ticket: Ticket): Promise<void> => {
    const at = Date.now();
    const messageId = rtMessageId(ticket.number, txn++, at);
    const raw = rfc822(
      [
        ['Subject', `[${rtName} #${ticket.number}] AutoReply: ${ticket.subject}`],
        ['From', `"Vendor Support via RT" <${options.address}>`],
        ['Reply-To', options.address],
        ['In-Reply-To', ticket.messageId],
        ['References', `<RT-Ticket-${ticket.number}@${rtName}>`],
        ['Message-ID', messageId],
        ['Precedence', 'bulk'],
        ['X-RT-Loop-Prevention', rtName],
        ['RT-Ticket', `${rtName} #${ticket.number}`],
        ['Managed-BY', 'RT 5.0.5 (http://www.bestpractical.com/rt/)'],
        ['RT-Originator', ticket.requestor],
        ['To', ticket.requestor],
        ['Date', new Date(at).toUTCString()],
        ['MIME-Version', '1.0'],
        ['Content-Type', 'text/plain; charset="utf-8"'],
        ['Content-Transfer-Encoding', '8bit'],
        ['X-RT-Original-Encoding', 'utf-8'],
      ],
      autoReplyBody(ticket),
    );
    ticket.ackSentAt = at;
    const mail = await send(ticket, 'ack', raw, messageId);
    ticket.ackAcceptedAt = mail.acceptedAt;
  };

  const receive = async (mail: OutboundMail): Promise<void> => {
    const parsed = await simpleParser(mail.raw);
    const requestor = parsed.replyTo?.value[0]?.address ?? parsed.from?.value[0]?.address ?? mail.from;
    const ticket: Ticket = {
      number: next++,
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      messageId: parsed.messageId ?? '',
      requestor,
      token: findToken(parsed.subject) ?? findToken(parsed.text),
    };
    tickets.push(ticket);
    // On Create Autoreply To Requestors: within a second of the probe.
    await new Promise((resolve) => setTimeout(resolve, options.ackDelayMs ?? 150));
    if (!stopped) await autoReply(ticket);
  };

  stack.onOutbound((mail) => {
    if (stopped || !mail.to.some((to) => to.toLowerCase() === options.address)) return;
    track(receive(mail)).catch((err: unknown) => errors.push(err));
  });

  return {
    tickets,
    mails,
    ticketOf: (token) => tickets.find((t) => t.token === token),
    correspond(ticket, agent, body, subject) {
      const at = Date.now();
      const messageId = rtMessageId(ticket.number, txn++, at);
      const raw = rfc822(
        [
          ['Subject', `[${rtName} #${ticket.number}] ${subject ?? `Re: ${ticket.subject}`}`],
          ['From', `"${agent} via RT" <${options.address}>`],
          ['Reply-To', options.address],
          ['In-Reply-To', ''],
          ['References', `<RT-Ticket-${ticket.number}@${rtName}>`],
          ['Message-ID', messageId],
          ['Precedence', 'bulk'],
          ['X-RT-Loop-Prevention', rtName],
          ['RT-Ticket', `${rtName} #${ticket.number}`],
          ['Managed-BY', 'RT 5.0.5 (http://www.bestpractical.com/rt/)'],
          ['RT-Originator', 'dana.whitfield@vendor.test'],
          ['To', ticket.requestor],
          ['Date', new Date(at).toUTCString()],
          ['MIME-Version', '1.0'],
          ['Content-Type', 'text/plain; charset="utf-8"'],
          ['Content-Transfer-Encoding', '8bit'],
          ['X-RT-Original-Encoding', 'utf-8'],
        ],
        body,
      );
      return track(send(ticket, 'correspond', raw, messageId));
    },
    async stop() {
      stopped = true;
      await Promise.allSettled([...inFlight]);
      transport.close();
      if (errors.length > 0) throw new Error(`the desk failed: ${errors.map(String).join('; ')}`);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Set-up: the mail stack, settings and a catalog for a vendor behind RT, firstreply started by main.ts.

function deskCatalog(stack: MailStack, dir: string): Catalog {
  const settings = settingsSchema.parse({
    database: join(dir, 'firstreply.db'),
    evidence_dir: join(dir, 'evidence'),
    mailboxes: {
      default: {
        address: probeAddress,
        plus_addressing: false,
        imap: { host: stack.imap.host, port: stack.imap.port, secure: false, user: 'probes', pass: 'probe-pass' },
        folders: ['INBOX'],
        sent_folder: 'Sent',
      },
    },
    smtp: { default: { host: '127.0.0.1', port: stack.smtp.port, security: 'plain', from: `Sam Rivera <${probeAddress}>` } },
    classifier: { fast_reply_ms: FAST_REPLY_MS },
  });
  const input = vendorSchema.parse({
    slug: 'vendor',
    name: 'Vendor',
    visibility: 'public',
    timezone: 'UTC',
    rate_caps: { per_day: 1000, per_week: 1000 },
    templates: [
      {
        id: 'keys',
        tier: 'P3',
        subject: 'How do we rotate stream keys? (ref {{token}})',
        body: 'Hello,\n\nhow do we rotate the stream keys of our channels without dropping viewers?\n\nThanks,\nSam\n\nref {{token}}',
      },
      {
        id: 'latency',
        tier: 'P3',
        subject: 'Playback latency went up this week (ref {{token}})',
        body: 'Hello,\n\nsince Monday our viewers see about twelve seconds of extra latency on every channel. Did anything change on your side?\n\nThanks,\nAlex\n\nref {{token}}',
      },
      {
        id: 'drops',
        tier: 'P2',
        subject: 'Our live stream drops every night (ref {{token}})',
        body: 'Hello,\n\nour main channel disconnects every night for a minute or two, always around the same hour. Can you look into it?\n\nThanks,\nSam\n\nref {{token}}',
      },
    ],
    channels: [{ id: 'email', kind: 'email', to: deskAddress, expiry: '1h' }],
  });
  const templates = input.templates.flatMap((t) => ('use' in t ? [] : [t]));
  return { dir: 'probes', settings, vendors: [{ ...input, templates, file: 'vendor.yaml' }] };
}

const describeMessages = (messages: readonly MessageRow[]): string =>
  messages.map((m) => `  #${m.id} ${m.match_method} ${m.label} "${m.subject}"\n    ${(JSON.parse(m.reasons ?? '[]') as string[]).join('\n    ')}`).join('\n');

/** Every message of the store with the classifier's reasons, for a failure message. */
function dump(store: Store, probes: readonly ProbeView[]): string {
  const lines = probes.map(
    (p) =>
      `probe ${p.id} (${p.template}) sent_at=${p.sent_at} first_ack_at=${store.probes.get(p.id)?.first_ack_at} first_human_at=${store.probes.get(p.id)?.first_human_at}\n${describeMessages(store.messages.forProbe(p.id))}`,
  );
  const unmatched = store.messages.unmatched();
  if (unmatched.length > 0) lines.push(`unmatched:\n${describeMessages(unmatched)}`);
  return lines.join('\n');
}

let dir: string | undefined;
let stack: MailStack | undefined;
let running: Running | undefined;
let desk: RtDesk | undefined;
let world: EmailWorld | undefined;
let watcher: MailWatcher | undefined;

afterEach(async () => {
  try {
    await desk?.stop();
  } finally {
    await watcher?.stop();
    await world?.close();
    await running?.stop();
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    desk = watcher = world = running = stack = dir = undefined;
  }
});

const sleepUntil = async (at: number): Promise<void> => {
  const wait = at - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
};

describe('a Request Tracker desk through the production wiring', () => {
  it("labels RT's AutoReplies automatic, an agent's saved reply human (canned the second time), follows a retitled ticket, and never reports a negative time", async () => {
    dir = mkdtempSync(join(tmpdir(), 'firstreply-rt-desk-'));
    stack = await startMailStack({ dir, users: [{ user: 'probes', pass: 'probe-pass', address: probeAddress }] });
    const catalog = deskCatalog(stack, dir);
    running = await startFirstReply({ catalog, logger: silentLogger, port: 0, host: '127.0.0.1', schedule: false, watch: true });
    const r = running;
    const store = r.store;
    desk = startRtDesk(stack, { address: deskAddress, firstTicket: 3 });
    const d = desk;

    const send = async (template: string): Promise<ProbeView> => {
      const probe = await r.runner.send(r.runner.plan('vendor', 'email', { template }).id);
      expect(probe.state).toBe('sent');
      return probe;
    };
    const keys = await send('keys');
    const latency = await send('latency');
    const drops = await send('drops');
    const probes = [keys, latency, drops];
    const failure = (what: string) => `${what}\n${dump(store, probes)}`;

    // 1. The AutoReplies: one per probe, within a second, matched by In-Reply-To, and none of them a person.
    for (const probe of probes) {
      await until(store, () => (store.messages.forProbe(probe.id).length >= 1 ? true : undefined), 10_000, `the AutoReply to probe ${probe.id}`);
    }
    const ticketOf = (probe: ProbeView) => {
      const ticket = d.ticketOf(probe.token);
      if (!ticket) throw new Error(`the desk opened no ticket for ${probe.token}`);
      return ticket;
    };
    for (const probe of probes) {
      const ticket = ticketOf(probe);
      // RT answers at once (150 ms here); a loaded machine may stretch that, never to a person's pace.
      expect(ticket.ackAcceptedAt! - probe.sent_at!, 'the AutoReply came at machine pace').toBeLessThan(FAST_REPLY_MS);
      const [ack] = store.messages.forProbe(probe.id);
      expect(ack?.match_method, failure(`the AutoReply of probe ${probe.id}`)).toBe('in_reply_to');
      expect(automatic, failure(`RT's AutoReply to probe ${probe.id} (ticket #${ticket.number}) is not labelled automatic`)).toContain(ack?.label);
      expect(store.probes.get(probe.id)?.ticket_ref).toBe(String(ticket.number));
      expect(store.probes.refs(probe.id)).toEqual(
        expect.arrayContaining([
          { kind: 'subject', value: `VENDOR.TEST #${ticket.number}`, domain: 'vendor.test' },
          { kind: 'thread', value: `<rt-ticket-${ticket.number}@vendor.test>`, domain: null },
        ]),
      );
    }

    // 2. Hours later (seconds here: fast_reply_ms is 2 s), the agent answers two probes with the same macro. INTERNALDATE
    //    has whole seconds, so the answer leaves 3.5 s after the send: its stamped delay is ≥ 2.5 s, past fast_reply_ms.
    const answerWith = async (probe: ProbeView, agent: string, body: string, subject?: string) => {
      await sleepUntil(probe.sent_at! + AGENT_AFTER_MS);
      const mail = await d.correspond(ticketOf(probe), agent, body, subject);
      const messages = await until(
        store,
        () => {
          const list = store.messages.forProbe(probe.id);
          return list.length >= 2 ? list : undefined;
        },
        10_000,
        `the agent's answer to probe ${probe.id}`,
      ).catch((err: unknown) => {
        throw new Error(`${String(err)}\n${dump(store, probes)}`);
      });
      return { mail, message: messages.find((m) => m.message_id === mail.messageId) };
    };
    const first = await answerWith(keys, 'Dana Whitfield', macro('Sam', ticketOf(keys).number));
    const second = await answerWith(latency, 'Dana Whitfield', macro('Alex', ticketOf(latency).number));
    // 3. A retitled ticket, answered to the bare mailbox (no plus-address), with only RT's ticket reference.
    const retitled = await answerWith(drops, 'Lee Morgan', retitledAnswer, 'Stream drops at 02:00 UTC');

    for (const [probe, answer] of [
      [keys, first],
      [latency, second],
      [drops, retitled],
    ] as const) {
      expect(answer.message, failure(`the answer to probe ${probe.id} was not stored on it`)).toBeDefined();
      expect(answer.message?.match_method).toBe('helpdesk_thread');
    }
    expect(retitled.message?.subject).toBe(`[vendor.test #${ticketOf(drops).number}] Stream drops at 02:00 UTC`);
    expect(store.messages.unmatched(), failure('mail left unmatched')).toEqual([]);

    // Both macro answers are a person's; the second is recognised as the same saved reply, at a person's pace.
    const reasonsOf = (m: MessageWithReview | undefined) => JSON.parse(m?.reasons ?? '[]') as string[];
    expect(first.message?.label, failure('the first macro answer is not human')).toBe('human');
    expect(second.message?.label, failure('the second macro answer (same saved reply) is not human')).toBe('human');
    expect(
      reasonsOf(second.message).some((reason) => reason.includes('fingerprint.canned')),
      failure('the second macro answer carries no canned reason'),
    ).toBe(true);
    expect(
      reasonsOf(first.message).some((reason) => reason.includes('fingerprint.')),
      'the first macro has no template to be compared with',
    ).toBe(false);
    expect(retitled.message?.label, failure('the retitled answer is not human')).toBe('human');

    // Every probe's timeline: ack and human after the send, the human reply at the agent's answer's arrival.
    for (const [probe, answer] of [
      [keys, first],
      [latency, second],
      [drops, retitled],
    ] as const) {
      const stored = store.probes.get(probe.id);
      const message = answer.message;
      if (!stored || stored.sent_at === null || !message) throw new Error(failure(`probe ${probe.id} incomplete`));
      expect(stored.state).toBe('answered');
      expect(stored.first_ack_at, failure(`probe ${probe.id} has no first_ack_at`)).not.toBeNull();
      expect(stored.first_ack_at!).toBeGreaterThanOrEqual(stored.sent_at);
      expect(stored.first_human_at!).toBeGreaterThanOrEqual(stored.sent_at);
      expect(stored.first_human_at!).toBeGreaterThan(stored.first_ack_at!);
      expect(stored.first_human_at).toBe(arrivalEstimate(stored.sent_at, replyArrival(message)));
      // The arrival interval holds the moment the desk handed the answer to SMTP and the moment it was accepted.
      expect(message.received_at).toBeLessThanOrEqual(answer.mail.acceptedAt);
      expect(message.received_at + 1000).toBeGreaterThan(answer.mail.sentAt);
      expect(stored.first_human_at!).toBeGreaterThan(answer.mail.sentAt - 1000);
      expect(stored.first_human_at!).toBeLessThan(answer.mail.acceptedAt + 1000);
    }

    // The statistics over the store: three human replies, three acknowledgements, nothing negative.
    const report = buildStatsReport(store, { now: Date.now(), window: 'all' });
    const channel = report.vendors[0]?.channels[0];
    expect(channel?.human.events).toBe(3);
    expect(channel?.ack.events).toBe(3);
    expect(channel?.awaitingReview).toBe(0);
    for (const summary of [channel?.human, channel?.ack, report.vendors[0]?.overall]) {
      expect(summary?.median.value).toBeGreaterThanOrEqual(0);
      for (const point of summary?.curve ?? []) expect(point.t).toBeGreaterThanOrEqual(0);
    }
    expect(channel?.human.median.value).toBeGreaterThanOrEqual(FAST_REPLY_MS);
    expect(report.vendors[0]?.comparison[0]?.medianMs).toBeGreaterThanOrEqual(0);
    expect(report.vendors[0]?.comparison[0]?.ackMedianMs).toBeGreaterThanOrEqual(0);

    // The public API of the running server says the same.
    const res = await fetch(`${r.url}/api/v1/vendors/vendor/probes?window=all&limit=100`);
    expect(res.status).toBe(200);
    const { probes: published } = (await res.json()) as {
      probes: { id: number; sentAt: number; firstAckAt: number | null; firstHumanAt: number | null; timeline: { receivedAt: number; label: string }[] }[];
    };
    expect(published).toHaveLength(3);
    for (const probe of published) {
      const stored = store.probes.get(probe.id);
      expect(probe.firstHumanAt).toBe(stored?.first_human_at);
      expect(probe.firstAckAt).not.toBeNull();
      expect(probe.firstAckAt!).toBeGreaterThanOrEqual(probe.sentAt);
      expect(probe.firstHumanAt!).toBeGreaterThanOrEqual(probe.sentAt);
      expect(probe.timeline.map((e) => e.label)[1]).toBe('human');
      for (const entry of probe.timeline) expect(entry.receivedAt).toBeGreaterThanOrEqual(probe.sentAt);
    }
    const doc = (await (await fetch(`${r.url}/api/v1/vendors/vendor?window=all`)).json()) as {
      vendors: { channels: { human: { median: { value: number | null }; curve: { t: number }[] }; ack: { median: { value: number | null } } }[] }[];
    };
    const published0 = doc.vendors[0]?.channels[0];
    expect(published0?.human.median.value).toBeGreaterThanOrEqual(0);
    expect(published0?.ack.median.value).toBeGreaterThanOrEqual(0);
    for (const point of published0?.human.curve ?? []) expect(point.t).toBeGreaterThanOrEqual(0);
  });
});

describe('what the watcher tells the classifier', () => {
  it("passes the probe's subject and body as sent, its send time, the vendor and the thread position, through the real IMAP path", async () => {
    const w = (world = await openEmailWorld({ fastReplyMs: FAST_REPLY_MS }));
    const calls: Array<{ mail: ParsedMail; ctx: ReplyContext }> = [];
    // The watcher as src/main.ts wires it, with a spy around the real classifier.
    const classify = vi.fn((mail: ParsedMail, ctx: ReplyContext) => {
      calls.push({ mail, ctx: structuredClone({ ...ctx, templates: undefined }) });
      return classifyAndRemember(w.store, mail, ctx);
    });
    watcher = createMailWatcher({
      store: w.store,
      settings: w.settings,
      mailbox: 'default',
      clock: w.clock,
      logger: silentLogger,
      backoff: { initialMs: 50, maxMs: 1000 },
      classify,
      probeText: (probe) => probeTextOf(w.catalog, probe),
    });
    await watcher.start();
    desk = startRtDesk(w.stack, { address: vendorAddress, firstTicket: 7 });
    const d = desk;

    const probe = await w.runner.send(w.runner.plan('acme', 'email').id);
    expect(probe.state).toBe('sent');
    await until(w.store, () => (w.store.messages.forProbe(probe.id).length >= 1 ? true : undefined), 10_000, 'the AutoReply');
    const ticket = d.ticketOf(probe.token);
    if (!ticket) throw new Error('the desk opened no ticket');
    await sleepUntil(probe.sent_at! + AGENT_AFTER_MS);
    const answer = await d.correspond(ticket, 'Dana Whitfield', macro('Sam', ticket.number));
    const messages = await until(
      w.store,
      () => {
        const list = w.store.messages.forProbe(probe.id);
        return list.length >= 2 ? list : undefined;
      },
      10_000,
      "the agent's answer",
    );

    expect(classify).toHaveBeenCalledTimes(2);
    const [ackCall, answerCall] = calls;
    const sent = w.store.probes.get(probe.id);
    if (!ackCall || !answerCall || !sent) throw new Error('missing calls');
    // The text the classifier reads the reply against is the text the vendor received.
    const normalize = (text: string | undefined) => text?.replace(/\r\n/g, '\n').trim();
    for (const call of [ackCall, answerCall]) {
      expect(call.ctx.probeSubject).toBe(ticket.subject);
      expect(normalize(call.ctx.probeBody)).toBe(normalize(ticket.text));
      expect(call.ctx.sentAt).toBe(sent.sent_at);
      expect(call.ctx.vendor).toBe('acme');
      expect(call.ctx.fastReplyMs).toBe(FAST_REPLY_MS);
      expect(call.ctx.receivedResolutionMs).toBe(1000);
    }
    expect(ackCall.mail.messageId).toBe(d.mails.find((m) => m.kind === 'ack')?.messageId);
    expect(ackCall.ctx.threadPosition).toBe(0);
    expect(answerCall.mail.messageId).toBe(answer.messageId);
    expect(answerCall.ctx.threadPosition).toBe(1);
    // receivedAt is the message's INTERNALDATE, as stored.
    expect(messages.map((m) => m.received_at)).toEqual([ackCall.ctx.receivedAt, answerCall.ctx.receivedAt]);
    expect(answerCall.ctx.receivedAt - sent.sent_at!).toBeGreaterThanOrEqual(FAST_REPLY_MS);
    expect(
      messages.map((m) => m.label),
      describeMessages(messages),
    ).toEqual(['auto_ack', 'human']);
  });

  // The e-mail channel appends " (ref <token>)" to a subject without the token; the classifier must see that subject.
  it('passes the subject as it was sent when the template\'s subject has no token and the e-mail channel appended "(ref …)"', async () => {
    const w = (world = await openEmailWorld({ fastReplyMs: FAST_REPLY_MS }));
    const vendor = w.catalog.vendors[0];
    const base = vendor?.templates[0];
    if (!vendor || !base) throw new Error('no template');
    // The schema allows the token in the body only; src/channels/email.ts then appends " (ref <token>)" to the subject.
    vendor.templates.push({ ...base, id: 'plain-subject', subject: 'Question about stream keys' });
    const contexts: ReplyContext[] = [];
    watcher = createMailWatcher({
      store: w.store,
      settings: w.settings,
      mailbox: 'default',
      clock: w.clock,
      logger: silentLogger,
      backoff: { initialMs: 50, maxMs: 1000 },
      classify: (mail, ctx) => {
        contexts.push({ ...ctx, templates: undefined });
        return classifyAndRemember(w.store, mail, ctx);
      },
      probeText: (probe) => probeTextOf(w.catalog, probe),
    });
    await watcher.start();
    desk = startRtDesk(w.stack, { address: vendorAddress, firstTicket: 11 });
    const probe = await w.runner.send(w.runner.plan('acme', 'email', { template: 'plain-subject' }).id);
    expect(probe.state).toBe('sent');
    await until(w.store, () => (w.store.messages.forProbe(probe.id).length >= 1 ? true : undefined), 10_000, 'the AutoReply');
    const ticket = desk.ticketOf(probe.token);
    expect(ticket?.subject).toBe(`Question about stream keys (ref ${probe.token})`);
    expect(contexts).toHaveLength(1);
    expect(contexts[0]?.probeSubject, 'the classifier reads the reply against a subject the vendor never saw').toBe(ticket?.subject);
  });
});
