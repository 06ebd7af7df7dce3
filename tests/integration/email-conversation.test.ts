// Conversation rounds through the real loopback mail stack: the probe answers an agent's questions in the same thread
// (In-Reply-To/References kept) up to max_rounds, never past the rate caps or the expiry, and never twice after a crash.
import { afterEach, describe, expect, it } from 'vitest';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createLogger, silentLogger } from '../../src/core/logger.ts';
import type { Clock } from '../../src/core/clock.ts';
import type { OutboundMail } from '../../src/sandbox/mail-stack.ts';
import type { Template } from '../../src/config/schema.ts';
import { createConversations, type Conversations } from '../../src/runner/conversation.ts';
import type { FaultPoint } from '../../src/runner/probe-runner.ts';
import { withFolder } from '../../src/watch/imap-client.ts';
import type { MailWatcher } from '../../src/watch/imap.ts';
import { openEmailWorld, probeAddress, rawReply, until, vendorAddress, worldWatcher, type EmailWorld, type WorldOptions } from './email-fixtures.ts';

let world: EmailWorld | undefined;
let watcher: MailWatcher | undefined;
const conversations: Conversations[] = [];

afterEach(async () => {
  for (const c of conversations.splice(0)) await c.stop();
  await watcher?.stop();
  await world?.close();
  watcher = world = undefined;
});

const script: Partial<Template> = {
  expect: [
    { name: 'keys', any: ['stream key', 'key'] },
    { name: 'a step', any: ['/\\b(?:add|rotate|revoke)\\b/'] },
  ],
  facts: { account_id: 'acct-7781' },
  follow_ups: [
    { intent: 'sdk', when: ['sdk version', 'encoder', 'which version'], answer: 'We use OBS 30.1 with the x264 encoder.' },
    { intent: 'time_window', when: ['time window', 'what time', 'when did'], answer: 'It started at 08:00 UTC today and is still going on.' },
    { intent: 'account_id', when: ['account id'], answer: 'Our account id is acct-7781, as in the first message.' },
  ],
};

interface Setup {
  world: EmailWorld;
  /** Mail the stack accepted for the vendor: the probe first, then each follow-up. */
  outbound: OutboundMail[];
}

async function setUp(
  options: {
    caps?: { per_day: number; per_week: number; min_interval?: number };
    clock?: Clock;
    start?: boolean;
    faults?: (point: FaultPoint) => void;
  } & WorldOptions = {},
): Promise<Setup & { conversations: Conversations }> {
  const w = (world = await openEmailWorld({ fastReplyMs: 0, ...(options.clock ? { clock: options.clock } : {}) }));
  const vendor = w.catalog.vendors[0];
  const template = vendor?.templates[0];
  if (!vendor || !template) throw new Error('no template');
  vendor.templates[0] = { ...template, ...script };
  if (options.caps) vendor.rate_caps = options.caps;
  w.store.vendors.sync(w.catalog);
  const outbound: OutboundMail[] = [];
  w.stack.onOutbound((mail) => {
    outbound.push(mail);
  });
  watcher = worldWatcher(w);
  await watcher.start();
  const c = conversationsOf(w, options.faults);
  if (options.start ?? true) c.start();
  return { world: w, outbound, conversations: c };
}

function conversationsOf(w: EmailWorld, fault?: (point: FaultPoint) => void): Conversations {
  const c = createConversations({
    store: w.store,
    catalog: w.catalog,
    clock: w.clock,
    logger: process.env.CONV_DEBUG ? createLogger({ level: 'debug' }) : silentLogger,
    channels: w.registry,
    services: { store: w.store, settings: w.settings, clock: w.clock, evidenceDir: w.settings.evidence_dir },
    ...(fault ? { faults: { at: fault } } : {}),
  });
  conversations.push(c);
  return c;
}

function waitForOutbound(outbound: OutboundMail[], count: number, timeoutMs = 10_000): Promise<ParsedMail> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const look = () => {
      const mail = outbound[count - 1];
      if (mail) return void simpleParser(mail.raw).then(resolve, reject);
      if (Date.now() - started > timeoutMs) return reject(new Error(`no outbound mail #${count} within ${timeoutMs} ms`));
      setTimeout(look, 25);
    };
    look();
  });
}

const referencesOf = (mail: ParsedMail): string[] => (Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : []);

describe('conversations by e-mail', () => {
  it('carries a 3-round conversation in one thread: each follow-up answers the question, threads on it, and the third reply resolves', async () => {
    const { world: w, outbound } = await setUp();
    const probe = await w.runner.send(w.runner.plan('acme', 'email').id);
    expect(probe.state).toBe('sent');
    const probeMail = await waitForOutbound(outbound, 1);
    expect(probeMail.messageId).toBe(probe.message_id);

    // Round 1 ends with a question the script can answer.
    await w.stack.deliver(
      probeAddress,
      rawReply({
        subject: `Re: How do we rotate stream keys? (ref ${probe.token})`,
        inReplyTo: probe.message_id ?? '',
        messageId: '<agent-1@acme.test>',
        body: 'Hi Sam,\n\nI had a look at your channels. Which SDK version are you using on the encoder side?\n\nDana',
      }),
    );
    const first = await waitForOutbound(outbound, 2);
    expect(outbound[1]?.to).toEqual([vendorAddress]);
    expect(first.inReplyTo).toBe('<agent-1@acme.test>');
    expect(referencesOf(first)).toEqual([probe.message_id, '<agent-1@acme.test>']);
    expect(first.subject).toBe(`Re: How do we rotate stream keys? (ref ${probe.token})`);
    expect(first.text).toContain('We use OBS 30.1 with the x264 encoder.');
    expect(first.text).not.toContain('acct-7781');
    const roundTwo = await until(
      w.store,
      () => w.store.rounds.forProbe(probe.id).find((r) => r.round === 2 && r.state === 'sent'),
      10_000,
      'round 2 stored as sent',
    );
    expect(roundTwo.message_id).toBe(first.messageId);
    expect(JSON.parse(roundTwo.intents)).toEqual(['sdk']);
    expect(roundTwo.sent_at).not.toBeNull();
    expect(roundTwo.sent_at ?? 0).toBeGreaterThanOrEqual(roundTwo.asked_at - 1000);

    // Round 2's reply threads on our follow-up only (no token in its subject) and asks for the time window.
    await w.stack.deliver(
      probeAddress,
      rawReply({
        subject: 'Re: your stream keys',
        inReplyTo: first.messageId ?? '',
        messageId: '<agent-2@acme.test>',
        body: 'Thanks Sam. Could you tell me the time window in which viewers saw the drop?\n\nDana',
      }),
    );
    const second = await waitForOutbound(outbound, 3);
    expect(second.inReplyTo).toBe('<agent-2@acme.test>');
    // Their References named our follow-up only: ours keeps the probe at the root, then theirs, then their message.
    expect(referencesOf(second)).toEqual([probe.message_id, first.messageId, '<agent-2@acme.test>']);
    expect(second.subject).toBe(`Re: your stream keys (ref ${probe.token})`);
    expect(second.text).toContain('It started at 08:00 UTC today');

    // Round 3's reply answers the question: resolved in three rounds, and no further follow-up.
    await w.stack.deliver(
      probeAddress,
      rawReply({
        subject: 'Re: your stream keys',
        inReplyTo: second.messageId ?? '',
        messageId: '<agent-3@acme.test>',
        body: 'Hi Sam,\n\nyou can add a second stream key under Settings > Ingest and revoke the old one once the encoder uses it. Which SDK version do the players use, by the way?\n\nDana',
      }),
    );
    const resolved = await until(
      w.store,
      () => {
        const q = w.store.quality.forProbe(probe.id);
        return q?.resolved_at ? q : undefined;
      },
      10_000,
      'the resolution',
    );
    expect(resolved.resolution_rounds).toBe(3);

    const messages = w.store.messages.forProbe(probe.id);
    expect(messages.map((m) => [m.message_id, m.effective_label])).toEqual([
      ['<agent-1@acme.test>', 'human'],
      ['<agent-2@acme.test>', 'human'],
      ['<agent-3@acme.test>', 'human'],
    ]);
    expect(messages[1]?.match_method).toBe('in_reply_to');
    const rounds = await until(
      w.store,
      () => {
        const all = w.store.rounds.forProbe(probe.id);
        return all.every((r) => r.reply_message_id !== null) ? all : undefined;
      },
      10_000,
      'each round closed by its reply',
    );
    expect(rounds.map((r) => [r.round, r.state, r.question_message_id, r.reply_message_id])).toEqual([
      [2, 'sent', messages[0]?.id, messages[1]?.id],
      [3, 'sent', messages[1]?.id, messages[2]?.id],
    ]);
    for (const r of rounds) expect(r.reply_at).toBe(messages.find((m) => m.id === r.reply_message_id)?.received_at);

    // The resolving reply asked something too, but the probe is resolved: nothing more is sent.
    const last = messages[2];
    if (!last) throw new Error('no third reply');
    const refused = await until(w.store, () => w.store.rounds.byQuestion(last.id), 10_000, 'the decision on the third reply');
    expect(refused).toMatchObject({ round: 4, state: 'refused', reason: 'the probe is resolved', sending_at: null });
    expect(await conversations[0]?.consider(last.id)).toBeUndefined();
    expect(outbound).toHaveLength(3);

    // Both follow-ups were filed in Sent, in the same thread.
    const mailbox = w.settings.mailboxes.default;
    if (!mailbox) throw new Error('no mailbox');
    const filed = await withFolder(mailbox, 'Sent', async (client) => (await client.search({ header: { 'in-reply-to': 'acme.test' } }, { uid: true })) || []);
    expect(filed).toHaveLength(2);
  });

  it('stops at max_rounds: the reply of the last round gets no answer, and the refusal is stored', async () => {
    const { world: w, outbound, conversations: c } = await setUp({ start: false });
    const vendor = w.catalog.vendors[0];
    const template = vendor?.templates[0];
    if (!vendor || !template) throw new Error('no template');
    vendor.templates[0] = { ...template, max_rounds: 2 };
    const probe = await w.runner.send(w.runner.plan('acme', 'email').id);
    const ask = async (n: number, inReplyTo: string) => {
      await w.stack.deliver(
        probeAddress,
        rawReply({ subject: `Re: keys (ref ${probe.token})`, inReplyTo, messageId: `<ask-${n}@acme.test>`, body: 'Could you send us your account ID?' }),
      );
      return until(w.store, () => w.store.messages.forProbe(probe.id).find((m) => m.message_id === `<ask-${n}@acme.test>`), 10_000, `reply ${n}`);
    };
    const one = await ask(1, probe.message_id ?? '');
    expect(await c.consider(one.id)).toMatchObject({ round: 2, state: 'sent' });
    const followUp = await waitForOutbound(outbound, 2);
    expect(followUp.text).toContain('acct-7781');
    const two = await ask(2, followUp.messageId ?? '');
    expect(await c.consider(two.id)).toMatchObject({ round: 3, state: 'refused', reason: 'max_rounds: the conversation has had its 2 rounds' });
    expect(outbound).toHaveLength(2);
  });

  it('never sends a follow-up past the rate cap, and a follow-up sent counts against the cap of the next probe', async () => {
    const { world: w, outbound, conversations: c } = await setUp({ caps: { per_day: 2, per_week: 10 }, start: false });
    const probe = await w.runner.send(w.runner.plan('acme', 'email').id);
    await w.stack.deliver(
      probeAddress,
      rawReply({
        subject: `Re: keys (ref ${probe.token})`,
        inReplyTo: probe.message_id ?? '',
        messageId: '<cap-1@acme.test>',
        body: 'Which SDK version are you on?',
      }),
    );
    const one = await until(w.store, () => w.store.messages.forProbe(probe.id)[0], 10_000, 'reply 1');
    expect(await c.consider(one.id)).toMatchObject({ state: 'sent' });
    // Probe + follow-up = the day's two messages to this vendor.
    expect(() => w.runner.plan('acme', 'email')).toThrow(/cap of 2 per day/);

    const followUp = await waitForOutbound(outbound, 2);
    await w.stack.deliver(
      probeAddress,
      rawReply({
        subject: `Re: keys (ref ${probe.token})`,
        inReplyTo: followUp.messageId ?? '',
        messageId: '<cap-2@acme.test>',
        body: 'Thanks. And the time window when did it start?',
      }),
    );
    const two = await until(w.store, () => w.store.messages.forProbe(probe.id)[1], 10_000, 'reply 2');
    const refused = await c.consider(two.id);
    expect(refused).toMatchObject({ round: 3, state: 'refused' });
    expect(refused?.reason).toMatch(/^rate cap: vendor acme cap of 2 per day reached/);
    expect(refused?.sending_at).toBeNull();
    expect(w.store.rounds.countForVendorSince('acme', 0)).toBe(1);
    expect(outbound).toHaveLength(2);
  });

  it('a follow-up held by min_interval waits, and goes out once the interval has passed', async () => {
    let offset = 0;
    const clock: Clock = { now: () => Date.now() + offset };
    const { world: w, outbound, conversations: c } = await setUp({ clock, caps: { per_day: 10, per_week: 10, min_interval: 20 * 60_000 }, start: false });
    const probe = await w.runner.send(w.runner.plan('acme', 'email').id);
    await w.stack.deliver(
      probeAddress,
      rawReply({
        subject: `Re: keys (ref ${probe.token})`,
        inReplyTo: probe.message_id ?? '',
        messageId: '<wait-1@acme.test>',
        body: 'Which SDK version are you using?',
      }),
    );
    const one = await until(w.store, () => w.store.messages.forProbe(probe.id)[0], 10_000, 'reply 1');
    const waiting = await c.consider(one.id);
    expect(waiting).toMatchObject({ round: 2, state: 'waiting', sending_at: null });
    expect(waiting?.reason).toMatch(/min_interval/);
    expect(await c.sendDue()).toEqual([]); // not due yet: looked at again later
    expect(outbound).toHaveLength(1);
    offset = 21 * 60_000;
    expect(await c.sendDue()).toMatchObject([{ round: 2, state: 'sent' }]);
    const followUp = await waitForOutbound(outbound, 2);
    expect(followUp.inReplyTo).toBe('<wait-1@acme.test>');
  });

  it('never sends a follow-up once the probe expired', async () => {
    let offset = 0;
    const clock: Clock = { now: () => Date.now() + offset };
    const { world: w, outbound, conversations: c } = await setUp({ clock, start: false });
    const probe = await w.runner.send(w.runner.plan('acme', 'email').id);
    await w.stack.deliver(
      probeAddress,
      rawReply({
        subject: `Re: keys (ref ${probe.token})`,
        inReplyTo: probe.message_id ?? '',
        messageId: '<late-1@acme.test>',
        body: 'Which SDK version are you using?',
      }),
    );
    const one = await until(w.store, () => w.store.messages.forProbe(probe.id)[0], 10_000, 'reply 1');
    offset = 2 * 3_600_000; // the channel's expiry is 1 h
    const refused = await c.consider(one.id);
    expect(refused).toMatchObject({ round: 2, state: 'refused' });
    expect(refused?.reason).toMatch(/^the probe expired at /);
    expect(outbound).toHaveLength(1);
  });

  it('a crash after the round is stored, or after the 250, never sends the follow-up twice after a restart', async () => {
    for (const point of ['after-follow-up-stored', 'after-follow-up-250'] as const) {
      const {
        world: w,
        outbound,
        conversations: crashing,
      } = await setUp({
        start: false,
        faults: (at) => {
          if (at === point) throw new Error(`crash at ${at}`);
        },
      });
      const probe = await w.runner.send(w.runner.plan('acme', 'email').id);
      await w.stack.deliver(
        probeAddress,
        rawReply({
          subject: `Re: keys (ref ${probe.token})`,
          inReplyTo: probe.message_id ?? '',
          messageId: '<crash-1@acme.test>',
          body: 'Which SDK version are you using?',
        }),
      );
      const question = await until(w.store, () => w.store.messages.forProbe(probe.id)[0], 10_000, 'the question');
      await expect(crashing.consider(question.id)).rejects.toThrow(`crash at ${point}`);
      expect(w.store.rounds.forProbe(probe.id).map((r) => r.state)).toEqual(['sending']);
      const sentBeforeCrash = point === 'after-follow-up-250' ? 2 : 1;
      if (sentBeforeCrash === 2) await waitForOutbound(outbound, 2);
      expect(outbound).toHaveLength(sentBeforeCrash);

      const restarted = conversationsOf(w);
      const reconciled = await restarted.reconcile();
      expect(reconciled.map((r) => r.state)).toEqual(['send_unknown']);
      expect(reconciled[0]?.reason).toMatch(/^interrupted while sending; not resent/);
      restarted.start();
      expect(await restarted.consider(question.id)).toBeUndefined();
      expect(await restarted.sendDue()).toEqual([]);
      // The round still counts against the caps: it may have reached the vendor.
      expect(w.store.rounds.countForVendorSince('acme', 0)).toBe(1);
      expect(outbound).toHaveLength(sentBeforeCrash);
      for (const c of conversations.splice(0)) await c.stop();
      await watcher?.stop();
      await w.close();
      watcher = world = undefined;
    }
  });
});
