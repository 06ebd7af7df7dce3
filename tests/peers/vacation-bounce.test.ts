// firstreply's e-mail path against real mail software: probes go out through a private Postfix acting as the vendor's
// MX, into a Dovecot whose vendor mailbox has a Pigeonhole Sieve vacation; the vacation reply (RFC 3834) and Postfix's
// own DSN for an unknown user come back into our probe mailbox, read by firstreply as src/main.ts wires it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/logger.ts';
import { settingsSchema, vendorSchema, type Catalog, type Settings, type Vendor } from '../../src/config/schema.ts';
import { freePort, type Dovecot } from '../../src/sandbox/dovecot.ts';
import { startFirstReply, type Running } from '../../src/main.ts';
import { buildStatsReport } from '../../src/metrics/report.ts';
import { arrivalEstimate, replyArrival } from '../../src/core/instant.ts';
import type { MessageRow } from '../../src/store/messages.ts';
import type { ProbeView } from '../../src/store/probes.ts';
import type { Store } from '../../src/store/db.ts';
import { until } from '../integration/email-fixtures.ts';
import { postfixMissing, startPostfix, type PostfixPeer } from './helpers/postfix.ts';
import { sieveMissing, startSieveDovecot, vacationScript } from './helpers/dovecot-sieve.ts';
import { reportFigure, skipPeer } from './helpers/peer-report.ts';

const file = 'tests/peers/vacation-bounce.test.ts';
const probeAddress = 'probes@firstreply.test';
const vendorDomain = 'vendor.test';
/** The vendor's mailbox, away with a Sieve vacation; the other address has no mailbox at all. */
const awayAddress = `support@${vendorDomain}`;
const unknownAddress = `nobody-here@${vendorDomain}`;

const skipPostfix = skipPeer('postfix', postfixMissing(), file);
const skipSieve = skipPeer('dovecot-sieve', sieveMissing(), file);

function catalogFor(dovecot: Dovecot, postfix: PostfixPeer, dir: string): Catalog {
  const settings: Settings = settingsSchema.parse({
    database: join(dir, 'firstreply.db'),
    evidence_dir: join(dir, 'evidence'),
    mailboxes: {
      default: {
        address: probeAddress,
        plus_addressing: true,
        imap: { host: dovecot.imap.host, port: dovecot.imap.port, secure: false, user: 'probes', pass: 'probe-pass' },
        folders: ['INBOX'],
        sent_folder: 'Sent',
      },
    },
    smtp: { default: { host: postfix.smtp.host, port: postfix.smtpPort, security: 'plain', from: `Sam Rivera <${probeAddress}>` } },
  });
  const vendor = (slug: string, name: string, to: string): Vendor => {
    const input = vendorSchema.parse({
      slug,
      name,
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
      ],
      channels: [{ id: 'email', kind: 'email', to, expiry: '1h' }],
    });
    return { ...input, templates: input.templates.flatMap((t) => ('use' in t ? [] : [t])), file: `${slug}.yaml` };
  };
  return { dir: 'probes', settings, vendors: [vendor('away', 'Away Corp', awayAddress), vendor('gone', 'Gone Corp', unknownAddress)] };
}

const describeMessages = (messages: readonly MessageRow[]): string =>
  messages
    .map((m) => `  #${m.id} ${m.match_method} ${m.label} from ${m.from_addr} "${m.subject}"\n    ${(JSON.parse(m.reasons || '[]') as string[]).join('\n    ')}`)
    .join('\n');

/** Our side was not blamed: the probe was sent and stays open, no operator alert says our channel or mailbox failed. */
function expectNothingBlamedOnUs(store: Store, probe: ProbeView, dump: string): void {
  const stored = store.probes.get(probe.id);
  expect(stored?.state, dump).toBe('sent');
  expect(stored?.error_code, dump).toBeNull();
  expect(stored?.first_human_at, dump).toBeNull();
  expect(stored?.review_since ?? null, dump).toBeNull();
  const ours = store.alerts.open().filter((a) => a.rule === 'channel_broken' || a.rule === 'mailbox_down');
  expect(ours, dump).toEqual([]);
}

describe.skipIf(skipPostfix || skipSieve)('Sieve vacation and Postfix bounces through the real e-mail path', () => {
  let dir: string | undefined;
  let dovecot: Dovecot | undefined;
  let postfix: PostfixPeer | undefined;
  let running: Running | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'firstreply-peers-mail-'));
    const startedAt = Date.now();
    // Each needs the other's port: Postfix's is chosen first, so Dovecot knows where Sieve sends its replies.
    const smtpPort = await freePort();
    dovecot = await startSieveDovecot({
      dir,
      submission: { host: '127.0.0.1', port: smtpPort },
      users: [
        { user: 'probes', pass: 'probe-pass', address: probeAddress },
        {
          user: 'support',
          pass: 'support-pass',
          address: awayAddress,
          sieve: vacationScript({
            addresses: [awayAddress],
            subject: 'Out of office: back on Monday',
            reason:
              'Hello,\n\nI am out of the office until Monday 14 June with no access to e-mail.\nFor urgent matters please call our hotline.\n\nDana Whitfield\nVendor Support',
          }),
        },
      ],
    });
    postfix = await startPostfix({
      dir,
      port: smtpPort,
      // The vendor's MX: its bounces come from MAILER-DAEMON@mx.vendor.test.
      hostname: `mx.${vendorDomain}`,
      transports: {
        [vendorDomain]: { kind: 'lmtp', port: dovecot.lmtp.port },
        'firstreply.test': { kind: 'lmtp', port: dovecot.lmtp.port },
      },
    });
    reportFigure('mail peers start-up (Dovecot with Sieve, then Postfix)', Date.now() - startedAt, 'ms', file);
    running = await startFirstReply({
      catalog: catalogFor(dovecot, postfix, dir),
      logger: silentLogger,
      port: 0,
      host: '127.0.0.1',
      schedule: false,
      watch: true,
    });
  });

  afterAll(async () => {
    try {
      await running?.stop();
    } finally {
      try {
        await postfix?.stop();
      } finally {
        await dovecot?.stop();
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  const dumpOf = (store: Store, probe: ProbeView): string =>
    `probe ${probe.id} (${probe.vendor}) ${JSON.stringify(store.probes.get(probe.id))}\n${describeMessages(store.messages.forProbe(probe.id))}\nunmatched:\n${describeMessages(store.messages.unmatched())}\npostfix log:\n${postfix?.log().split('\n').slice(-15).join('\n')}`;

  it('stores the vacation auto-reply as out_of_office, on its probe, which stays unanswered', async () => {
    const r = running;
    if (!r) throw new Error('firstreply did not start');
    const store = r.store;
    const probe = await r.runner.send(r.runner.plan('away', 'email').id);
    expect(probe.state).toBe('sent');
    const [reply] = await until(
      store,
      () => {
        const list = store.messages.forProbe(probe.id);
        return list.length >= 1 ? list : undefined;
      },
      20_000,
      'the vacation reply',
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${dumpOf(store, probe)}`);
    });
    const dump = dumpOf(store, probe);
    expect(reply?.label, dump).toBe('out_of_office');
    // Pigeonhole answers with the probe's Message-ID in In-Reply-To and marks the reply as RFC 3834 asks.
    expect(reply?.match_method, dump).toBe('in_reply_to');
    expect(reply?.in_reply_to, dump).toBe(probe.message_id);
    expect(reply?.from_addr?.toLowerCase(), dump).toContain(awayAddress);
    expect(JSON.parse(reply?.headers ?? '{}'), dump).toMatchObject({ 'auto-submitted': ['auto-replied (vacation)'] });
    expectNothingBlamedOnUs(store, probe, dump);

    const stored = store.probes.get(probe.id);
    if (!stored || stored.sent_at === null || !reply) throw new Error(dump);
    // An out-of-office is an automatic acknowledgement: it is timed as one and never stops the human clock.
    expect(stored.first_ack_at, dump).toBe(arrivalEstimate(stored.sent_at, replyArrival(reply)));
    const report = buildStatsReport(store, { now: Date.now(), window: 'all', vendor: 'away' });
    const channel = report.vendors[0]?.channels[0];
    expect(channel?.human.events, dump).toBe(0);
    expect(channel?.human.censored, dump).toBe(1);
    expect(channel?.awaitingReview, dump).toBe(0);

    reportFigure(
      'vacation reply arrival after our send (first_ack_at − sent_at; INTERNALDATE, whole seconds)',
      stored.first_ack_at! - stored.sent_at,
      'ms',
      file,
    );
    reportFigure('vacation reply detected after our send (detected_at − sent_at)', reply.detected_at - stored.sent_at, 'ms', file);
  });

  it("stores Postfix's DSN for an unknown user as bounce, matched to its probe, which stays unanswered and is not a vendor reply", async () => {
    const r = running;
    if (!r) throw new Error('firstreply did not start');
    const store = r.store;
    const probe = await r.runner.send(r.runner.plan('gone', 'email').id);
    // The vendor's MX accepted the probe (250): the unknown user is found only at delivery, so the bounce comes by mail.
    expect(probe.state).toBe('sent');
    const [bounce] = await until(
      store,
      () => {
        const list = store.messages.forProbe(probe.id);
        return list.length >= 1 ? list : undefined;
      },
      20_000,
      'the DSN',
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${dumpOf(store, probe)}`);
    });
    const dump = dumpOf(store, probe);
    expect(bounce?.label, dump).toBe('bounce');
    expect(bounce?.from_addr?.toLowerCase(), dump).toBe(`mailer-daemon@mx.${vendorDomain}`);
    expect(bounce?.subject, dump).toBe('Undelivered Mail Returned to Sender');
    expect(store.messages.unmatched(), dump).toEqual([]);
    expectNothingBlamedOnUs(store, probe, dump);
    // Not a vendor's reply of any kind: no acknowledgement, no bot, no human.
    const stored = store.probes.get(probe.id);
    expect(stored?.first_ack_at, dump).toBeNull();
    expect(stored?.first_bot_at, dump).toBeNull();
    const report = buildStatsReport(store, { now: Date.now(), window: 'all', vendor: 'gone' });
    const channel = report.vendors[0]?.channels[0];
    expect(channel?.human.events, dump).toBe(0);
    expect(channel?.ack.events, dump).toBe(0);
    expect(channel?.human.censored, dump).toBe(1);
    if (stored?.sent_at) reportFigure('Postfix DSN detected after our send (detected_at − sent_at)', (bounce?.detected_at ?? 0) - stored.sent_at, 'ms', file);
  });
});
