// A web-form probe against Request Tracker 5's SelfService in real Chromium, from a vendor file of declarative steps
// (tests/peers/fixtures/rt): login, the "New ticket" menu, the CKEditor body inside its iframe, RT's hidden CSRF token,
// the ticket number read from the confirmation; RT's AutoReply and an agent's answer come back by e-mail and are
// matched to the web-form probe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../src/core/logger.ts';
import { loadCatalog } from '../../src/config/load.ts';
import { startFirstReply, type Running } from '../../src/main.ts';
import type { MessageRow } from '../../src/store/messages.ts';
import { until } from '../integration/email-fixtures.ts';
import { rtMissing, startRtDesk, timingAgainstRt, type RtDesk, type RtUser } from './helpers/rt.ts';
import { reportFigure, skipPeer } from './helpers/peer-report.ts';

const file = 'tests/peers/rt-webform.test.ts';

const fixtureDir = fileURLToPath(new URL('./fixtures/rt/', import.meta.url));
const mailbox = 'web@firstreply.test';
const deskAddress = 'support@vendor.test';
const FAST_REPLY_MS = 3000;
const AGENT_AFTER_MS = FAST_REPLY_MS + 1500;
const dana: RtUser = { name: 'dana', realName: 'Dana Whitfield', email: 'dana.whitfield@vendor.test', password: 'dana-agent-pass' };
const customer: RtUser = { name: 'sam', realName: 'Sam Rivera', email: mailbox, password: 'sam-selfservice-pass' };

const answerText = [
  'Hi Sam,',
  '',
  "you can rotate a channel's stream key under Settings → Ingest → Keys: add the new key, move the encoder over, then",
  'revoke the old key. Viewers stay connected while both keys are valid.',
  '',
  'Best regards,',
  'Dana Whitfield',
].join('\n');

const describeMessages = (messages: readonly MessageRow[]): string =>
  messages.map((m) => `  #${m.id} ${m.match_method} ${m.label} "${m.subject}"\n    ${(JSON.parse(m.reasons || '[]') as string[]).join('\n    ')}`).join('\n');

const missing = rtMissing() ?? (existsSync('/usr/bin/chromium') ? null : "/usr/bin/chromium not found: install Debian's chromium");
const skipRt = skipPeer('request-tracker5 SelfService', missing, file);

describe.skipIf(skipRt)(`a web-form probe against RT SelfService${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let dir: string | undefined;
  let desk: RtDesk | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'firstreply-rt-web-'));
    desk = await startRtDesk({
      dir,
      users: [{ user: 'web', pass: 'probe-pass', address: mailbox }],
      rt: { rtname: 'vendor.test', correspondAddress: deskAddress, agents: [dana], customers: [customer] },
    });
  }, 180_000);

  afterAll(async () => {
    try {
      const errors = (await desk?.stop()) ?? [];
      expect(errors, 'rt-mailgate refused mail').toEqual([]);
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("files a ticket through SelfService, captures its number, and matches RT's AutoReply and the agent's e-mail answer to the probe", async () => {
    const peer = desk!.rt;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      FR_RT_DB: join(dir!, 'firstreply.db'),
      FR_RT_EVIDENCE: join(dir!, 'evidence'),
      FR_RT_IMAP_PORT: String(desk!.imap.port),
      FR_RT_IMAP_PASS: 'probe-pass',
      FR_RT_SMTP_PORT: String(desk!.smtp.port),
      FR_RT_URL: peer.url,
      FR_RT_SELFSERVICE_USER: customer.name,
      FR_RT_SELFSERVICE_PASS: customer.password,
    };
    const catalog = loadCatalog(fixtureDir, { env });
    let running: Running | undefined;
    try {
      running = await startFirstReply({ catalog, logger: silentLogger, port: 0, host: '127.0.0.1', schedule: false, watch: true });
      const store = running.store;
      const probe = await running.runner.send(running.runner.plan('rt-vendor', 'selfservice').id);
      expect(probe.state, JSON.stringify(probe)).toBe('sent');

      // The ticket RT created is the one the confirmation named, with our subject, body and the customer as requestor.
      const tickets = await peer.ticketsWith(probe.token);
      expect(tickets).toHaveLength(1);
      const ticket = tickets[0]!;
      expect(store.probes.get(probe.id)?.ticket_ref).toBe(String(ticket));
      const record = await peer.rest<{ Subject: string; Requestor: Array<{ id: string }> }>('GET', `/ticket/${ticket}`);
      expect(record.Subject).toBe(`How do we rotate stream keys? (ref ${probe.token})`);
      expect(record.Requestor.map((r) => r.id)).toEqual([customer.name]);
      const history = await peer.history(ticket);
      const created = history.find((t) => t.type === 'Create');
      // sent_at is when the confirmation was seen: after RT created the ticket (whole seconds on RT's side).
      expect(created!.created).toBeLessThanOrEqual(store.probes.get(probe.id)!.sent_at!);

      const failure = (what: string) =>
        `${what}\n${describeMessages(store.messages.forProbe(probe.id))}\nunmatched:\n${describeMessages(store.messages.unmatched())}`;
      const ack = await until(store, () => store.messages.forProbe(probe.id)[0], 30_000, "RT's AutoReply").catch((err: unknown) => {
        throw new Error(failure(String(err)));
      });
      expect(ack.label, failure("RT's AutoReply to the web-form ticket")).toBe('auto_ack');

      const sentAt = store.probes.get(probe.id)!.sent_at!;
      const wait = sentAt + AGENT_AFTER_MS - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await peer.correspond(ticket, answerText, { as: dana });
      const messages = await until(
        store,
        () => {
          const list = store.messages.forProbe(probe.id);
          return list.length >= 2 ? list : undefined;
        },
        30_000,
        "the agent's answer",
      ).catch((err: unknown) => {
        throw new Error(failure(String(err)));
      });
      const answer = messages[1]!;
      expect(answer.label, failure("the agent's answer to the web-form probe")).toBe('human');
      expect(answer.subject).toContain(`[vendor.test #${ticket}]`);
      expect(store.messages.unmatched(), failure('mail left unmatched')).toEqual([]);
      const stored = store.probes.get(probe.id)!;
      expect(stored.state).toBe('answered');
      const timing = await timingAgainstRt(
        peer,
        ticket,
        { sentAt: stored.sent_at!, firstHumanAt: stored.first_human_at!, receivedAt: answer.received_at, messageId: answer.message_id },
        'web form',
      );
      reportFigure(
        "TTFHR error against RT's Correspond time, web-form probe",
        timing.errorMs,
        'ms',
        file,
        `${timing.line}; matched by ${ack.match_method} (AutoReply) and ${answer.match_method} (answer)`,
      );
      // Whole seconds on both sides (RT's stamp, INTERNALDATE): the same second or the next; and within a second of RT's SMTP hand-off.
      expect(timing.stampGapMs, timing.line).toBeGreaterThanOrEqual(0);
      expect(timing.stampGapMs, timing.line).toBeLessThanOrEqual(1000);
      expect(Math.abs(timing.handoffErrorMs ?? Infinity), timing.line).toBeLessThanOrEqual(1000);
    } finally {
      await running?.stop();
    }
  }, 180_000);
});
