// firstreply's e-mail path against Debian's Request Tracker 5 with its stock scrips: probes open real tickets through
// rt-mailgate, RT's own AutoReply, correspondence, retitling and "Resolved" notice come back over SMTP into Dovecot, and
// firstreply (wired by src/main.ts) matches, classifies and times them. Agents answer through RT's REST 2 API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/logger.ts';
import { settingsSchema, vendorSchema, type Catalog } from '../../src/config/schema.ts';
import type { Endpoint } from '../../src/sandbox/dovecot.ts';
import { startFirstReply, type Running } from '../../src/main.ts';
import type { MessageLabel } from '../../src/core/labels.ts';
import type { MessageRow } from '../../src/store/messages.ts';
import type { ProbeView } from '../../src/store/probes.ts';
import type { Store } from '../../src/store/db.ts';
import { until } from '../integration/email-fixtures.ts';
import { rtMissing, startRtDesk, timingAgainstRt, type RtDesk, type RtPeer, type RtTiming, type RtUser } from './helpers/rt.ts';
import { postfixMissing } from './helpers/postfix.ts';
import { reportFigure, skipPeer } from './helpers/peer-report.ts';
import { macro, retitledAnswer } from '../helpers/agent-replies.ts';

const file = 'tests/peers/rt-email.test.ts';

const rtName = 'vendor.test';
const deskAddress = 'support@vendor.test';
/** One probe mailbox per test, so a test's firstreply never reads another test's replies. */
const mailboxes = { main: 'probes@firstreply.test', restart: 'restart@firstreply.test' } as const;
/** settings.classifier.fast_reply_ms: "hours" of a person's pace are a few seconds here. */
const FAST_REPLY_MS = 3000;
/** When agents answer, after the send: INTERNALDATE has whole seconds, so the stamped delay stays past FAST_REPLY_MS. */
const AGENT_AFTER_MS = FAST_REPLY_MS + 1500;
const automatic: readonly MessageLabel[] = ['auto_ack', 'out_of_office', 'bounce', 'bot', 'marketing', 'system'];

const dana: RtUser = { name: 'dana', realName: 'Dana Whitfield', email: 'dana.whitfield@vendor.test', password: 'dana-agent-pass' };
const lee: RtUser = { name: 'lee', realName: 'Lee Morgan', email: 'lee.morgan@vendor.test', password: 'lee-agent-pass' };

const restartAnswer = [
  'Hello Sam,',
  '',
  'the stream keys of a channel can be rotated from Settings → Ingest → Keys: create the new key first, switch your',
  'encoder to it, and only then revoke the old one. Viewers stay connected while both keys are valid.',
  '',
  'Best,',
  'Dana',
].join('\n');

function catalogFor(mail: { smtp: Endpoint; imap: Endpoint }, dir: string, address: string, user: string): Catalog {
  const settings = settingsSchema.parse({
    database: join(dir, 'firstreply.db'),
    evidence_dir: join(dir, 'evidence'),
    mailboxes: {
      default: {
        address,
        // RT answers the requestor's bare address: matching must rely on RT's own references.
        plus_addressing: false,
        imap: { host: mail.imap.host, port: mail.imap.port, secure: false, user, pass: 'probe-pass' },
        folders: ['INBOX'],
        sent_folder: 'Sent',
      },
    },
    smtp: { default: { host: mail.smtp.host, port: mail.smtp.port, security: 'plain', from: `Sam Rivera <${address}>` } },
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

const reasonsOf = (m: MessageRow | undefined): string[] => JSON.parse(m?.reasons ?? '[]') as string[];
const describeMessages = (messages: readonly MessageRow[]): string =>
  messages.map((m) => `  #${m.id} ${m.match_method} ${m.label} "${m.subject}"\n    ${reasonsOf(m).join('\n    ')}`).join('\n');

function dump(store: Store, probes: readonly ProbeView[], rt: RtPeer): string {
  const lines = probes.map((p) => {
    const stored = store.probes.get(p.id);
    return `probe ${p.id} (${p.template}) sent_at=${stored?.sent_at} first_ack_at=${stored?.first_ack_at} first_human_at=${stored?.first_human_at}\n${describeMessages(store.messages.forProbe(p.id))}`;
  });
  const unmatched = store.messages.unmatched();
  if (unmatched.length > 0) lines.push(`unmatched:\n${describeMessages(unmatched)}`);
  lines.push(
    `RT sent:\n${rt
      .outgoing()
      .map((m) => `  ${m.acceptedAt} ${m.to.join(',')} ${m.subject}`)
      .join('\n')}`,
  );
  return lines.join('\n');
}

/**
 * TTFHR within a second of RT's own record: RT stamps its transactions and Dovecot its INTERNALDATE in whole seconds,
 * so the reply's stamp is RT's second or the next one; and firstreply's estimate lies within a second of the moment
 * RT's mail was accepted (our clock, milliseconds).
 */
function expectWithinASecondOfRt(timing: RtTiming, message: string): void {
  expect(timing.stampGapMs, `${message}\n${timing.line}`).toBeGreaterThanOrEqual(0);
  expect(timing.stampGapMs, `${message}\n${timing.line}`).toBeLessThanOrEqual(1000);
  expect(timing.handoffErrorMs, `${message}\n${timing.line}`).toBeDefined();
  expect(Math.abs(timing.handoffErrorMs!), `${message}\n${timing.line}`).toBeLessThanOrEqual(1000);
}

const sleepUntil = async (at: number): Promise<void> => {
  const wait = at - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
};

/** RT is another process writing a log file; this waits for a line in it (a short poll: there is no event to await). */
async function rtSent(rt: RtPeer, what: string, check: (subject: string) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = rt.outgoing().find((m) => check(m.subject));
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`RT sent no ${what} within ${timeoutMs} ms\n${rt.log()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const missing = rtMissing();
const skipRt = skipPeer('request-tracker5', missing, file);
// Where Postfix cannot run, the sandbox's SMTP listener pipes to rt-mailgate instead, and the summary says so.
skipPeer('postfix', missing === null ? postfixMissing() : missing, file);

describe.skipIf(skipRt)(`firstreply against Request Tracker 5 by e-mail${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let stackDir: string | undefined;
  let desk: RtDesk | undefined;
  let rt: RtPeer | undefined;

  beforeAll(async () => {
    stackDir = mkdtempSync(join(tmpdir(), 'firstreply-rt-mail-'));
    const startedAt = Date.now();
    desk = await startRtDesk({
      dir: stackDir,
      users: [
        { user: 'probes', pass: 'probe-pass', address: mailboxes.main },
        { user: 'restart', pass: 'probe-pass', address: mailboxes.restart },
      ],
      rt: { rtname: rtName, correspondAddress: deskAddress, agents: [dana, lee] },
    });
    rt = desk.rt;
    reportFigure(
      `RT desk start-up (Dovecot, then RT with a fresh SQLite database and ${desk.via === 'postfix' ? 'Postfix' : 'the sandbox SMTP'} in parallel)`,
      Date.now() - startedAt,
      'ms',
      file,
    );
  }, 180_000);

  afterAll(async () => {
    try {
      const gateErrors = (await desk?.stop()) ?? [];
      expect(gateErrors, 'rt-mailgate refused mail').toEqual([]);
    } finally {
      if (stackDir) rmSync(stackDir, { recursive: true, force: true });
    }
  }, 60_000);

  /** The error of firstreply's first_human_at against RT's own Correspond transaction, kept for the printed figures. */
  const ttfhrAgainstRt = async (store: Store, probe: ProbeView, ticket: number, label: string) => {
    const stored = store.probes.get(probe.id);
    const human = store.messages.forProbe(probe.id).find((m) => m.label === 'human');
    if (!stored?.sent_at || !stored.first_human_at || !human) throw new Error(`no human reply for ${label}`);
    const timing = await timingAgainstRt(
      rt!,
      ticket,
      { sentAt: stored.sent_at, firstHumanAt: stored.first_human_at, receivedAt: human.received_at, messageId: human.message_id },
      label,
    );
    reportFigure(`TTFHR error against RT's Correspond time, ${label}`, timing.errorMs, 'ms', file, timing.line);
    return timing;
  };

  it('RT\'s AutoReply is auto_ack; agents\' answers through REST 2 are human and on time; a repeated macro stays human; a retitled ticket is followed; "Resolved" is automatic', async () => {
    const peer = rt!;
    const dir = mkdtempSync(join(tmpdir(), 'firstreply-rt-main-'));
    let running: Running | undefined;
    try {
      const catalog = catalogFor(desk!, dir, mailboxes.main, 'probes');
      running = await startFirstReply({ catalog, logger: silentLogger, port: 0, host: '127.0.0.1', schedule: false, watch: true });
      const r = running;
      const store = r.store;
      const send = async (template: string): Promise<ProbeView> => {
        const probe = await r.runner.send(r.runner.plan('vendor', 'email', { template }).id);
        expect(probe.state).toBe('sent');
        return probe;
      };
      const keys = await send('keys');
      const latency = await send('latency');
      const drops = await send('drops');
      const probes = [keys, latency, drops];
      const failure = (what: string) => `${what}\n${dump(store, probes, peer)}`;

      // 1. One ticket per probe, and RT's AutoReply to each: matched, auto_ack, RT's references learned.
      const tickets = new Map<number, number>();
      for (const probe of probes) {
        await until(store, () => (store.messages.forProbe(probe.id).length >= 1 ? true : undefined), 30_000, `RT's AutoReply to probe ${probe.id}`).catch(
          (err: unknown) => {
            throw new Error(failure(String(err)));
          },
        );
        const found = await peer.ticketsWith(probe.token);
        expect(found, failure(`RT tickets for ${probe.token}`)).toHaveLength(1);
        const ticket = found[0]!;
        tickets.set(probe.id, ticket);
        const [ack] = store.messages.forProbe(probe.id);
        expect(ack?.subject?.startsWith(`[${rtName} #${ticket}] AutoReply: `), failure(`the AutoReply's subject`)).toBe(true);
        expect(ack?.label, failure(`RT's AutoReply to probe ${probe.id} (ticket #${ticket})`)).toBe('auto_ack');
        expect(store.probes.get(probe.id)?.ticket_ref).toBe(String(ticket));
        expect(store.probes.refs(probe.id)).toEqual(
          expect.arrayContaining([
            { kind: 'subject', value: `VENDOR.TEST #${ticket}`, domain: 'vendor.test' },
            { kind: 'thread', value: `<rt-ticket-${ticket}@vendor.test>`, domain: null },
          ]),
        );
      }
      const ticketOf = (probe: ProbeView) => tickets.get(probe.id)!;
      const firstAck = store.messages.forProbe(keys.id)[0];
      console.log(`[peers] RT's AutoReply: ${firstAck?.label} (${firstAck?.match_method}); reasons: ${reasonsOf(firstAck).join('; ')}`);

      // 2. Later than fast_reply_ms, agents answer through REST 2: the same macro on two tickets, and a retitled ticket.
      const answer = async (probe: ProbeView, text: string, as: RtUser) => {
        await sleepUntil(probe.sent_at! + AGENT_AFTER_MS);
        const before = store.messages.forProbe(probe.id).length;
        await peer.correspond(ticketOf(probe), text, { as });
        const list = await until(
          store,
          () => {
            const messages = store.messages.forProbe(probe.id);
            return messages.length > before ? messages : undefined;
          },
          30_000,
          `the answer to probe ${probe.id}`,
        ).catch((err: unknown) => {
          throw new Error(failure(String(err)));
        });
        return list[list.length - 1];
      };
      const first = await answer(keys, macro('Sam', ticketOf(keys)), dana);
      const second = await answer(latency, macro('Alex', ticketOf(latency)), dana);
      await peer.update(ticketOf(drops), { Subject: 'Stream drops at 02:00 UTC' }, lee);
      const retitled = await answer(drops, retitledAnswer, lee);

      console.log(`[peers] an agent's macro through RT, second time: ${second?.label} (${second?.match_method}); reasons: ${reasonsOf(second).join('; ')}`);
      expect(first?.label, failure('the first macro answer')).toBe('human');
      expect(second?.label, failure("the second macro answer (the same saved reply, at a person's pace)")).toBe('human');
      expect(
        reasonsOf(second).some((reason) => reason.includes('fingerprint.canned')),
        failure('the second macro answer carries no canned reason'),
      ).toBe(true);
      expect(retitled?.subject).toBe(`[${rtName} #${ticketOf(drops)}] Stream drops at 02:00 UTC`);
      expect(retitled?.label, failure('the answer on the retitled ticket')).toBe('human');
      // No token in the subject, no plus-address, no In-Reply-To: only RT's ticket reference can have matched it.
      expect(['helpdesk_thread', 'ticket_ref'], failure('how the retitled answer was matched')).toContain(retitled?.match_method);
      for (const m of [first, second]) expect(['helpdesk_thread', 'ticket_ref', 'token_subject']).toContain(m?.match_method);

      // 3. TTFHR within a second of RT's own Correspond transaction.
      for (const [probe, label] of [
        [keys, 'macro #1'],
        [latency, 'macro #2'],
        [drops, 'retitled'],
      ] as const) {
        const stored = store.probes.get(probe.id);
        expect(stored?.state).toBe('answered');
        expect(stored?.first_human_at ?? 0).toBeGreaterThan(stored?.first_ack_at ?? Number.POSITIVE_INFINITY);
        expectWithinASecondOfRt(await ttfhrAgainstRt(store, probe, ticketOf(probe), label), failure(`TTFHR of probe ${probe.id} against RT`));
      }

      // 4. The agent resolves a ticket: RT's stock "Resolved" notice, signed by the agent "via RT".
      const before = store.messages.forProbe(keys.id).length;
      const humanBefore = store.probes.get(keys.id)?.first_human_at;
      await peer.update(ticketOf(keys), { Status: 'resolved' }, dana);
      const afterResolve = await until(
        store,
        () => {
          const messages = store.messages.forProbe(keys.id);
          return messages.length > before ? messages : undefined;
        },
        30_000,
        'the Resolved notice',
      ).catch((err: unknown) => {
        throw new Error(failure(String(err)));
      });
      const resolved = afterResolve[afterResolve.length - 1];
      console.log(
        `[peers] RT's "Resolved" notice: ${resolved?.label} (${resolved?.match_method}) "${resolved?.subject}"; reasons: ${reasonsOf(resolved).join('; ')}`,
      );
      expect(resolved?.subject).toContain('Resolved:');
      expect(automatic, failure('RT\'s "Resolved" notice is not labelled automatic')).toContain(resolved?.label);
      expect(resolved?.label, failure('RT\'s "Resolved" notice')).toBe('system');
      // The notice changes nothing already measured.
      expect(store.probes.get(keys.id)?.first_human_at).toBe(humanBefore);

      expect(store.messages.unmatched(), failure('mail left unmatched')).toEqual([]);
    } finally {
      await running?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('a restart of firstreply between the probe and the answer loses nothing: the answer is caught up with its true arrival time', async () => {
    const peer = rt!;
    const dir = mkdtempSync(join(tmpdir(), 'firstreply-rt-restart-'));
    let running: Running | undefined;
    try {
      const catalog = catalogFor(desk!, dir, mailboxes.restart, 'restart');
      const start = () => startFirstReply({ catalog, logger: silentLogger, port: 0, host: '127.0.0.1', schedule: false, watch: true });
      running = await start();
      const firstRun = running;
      const probe = await firstRun.runner.send(firstRun.runner.plan('vendor', 'email', { template: 'keys' }).id);
      expect(probe.state).toBe('sent');
      await until(firstRun.store, () => (firstRun.store.messages.forProbe(probe.id).length >= 1 ? true : undefined), 30_000, "RT's AutoReply");
      const [ticket] = await peer.ticketsWith(probe.token);
      if (ticket === undefined) throw new Error(`no RT ticket for ${probe.token}`);

      // firstreply goes down; the agent answers while nobody watches the mailbox.
      await running.stop();
      running = undefined;
      await sleepUntil(probe.sent_at! + AGENT_AFTER_MS);
      await peer.correspond(ticket, restartAnswer, { as: dana });
      const delivered = await rtSent(
        peer,
        'correspondence on the restart ticket',
        (subject) => subject.startsWith(`[${rtName} #${ticket}]`) && !subject.includes('AutoReply'),
      );

      // Down a little longer, so the arrival and the restart lie in different seconds of INTERNALDATE.
      await sleepUntil(delivered.acceptedAt + 2000);
      const restartedAt = Date.now();
      running = await start();
      const second = running;
      const store = second.store;
      const messages = await until(
        store,
        () => {
          const list = store.messages.forProbe(probe.id);
          return list.length >= 2 ? list : undefined;
        },
        30_000,
        'the answer caught up after the restart',
      ).catch((err: unknown) => {
        throw new Error(`${String(err)}\n${dump(store, [probe], peer)}`);
      });
      expect(
        messages.map((m) => m.label),
        describeMessages(messages),
      ).toEqual(['auto_ack', 'human']);
      const stored = store.probes.get(probe.id);
      expect(stored?.state).toBe('answered');
      // Timed by the mailbox's INTERNALDATE, not by when the restarted watcher saw it.
      expect(messages[1]!.received_at).toBeLessThan(restartedAt - 500);
      expect(messages[1]!.detected_at).toBeGreaterThanOrEqual(restartedAt);
      expectWithinASecondOfRt(await ttfhrAgainstRt(store, probe, ticket, 'after a restart'), dump(store, [probe], peer));
      expect(store.messages.unmatched()).toEqual([]);
    } finally {
      await running?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
