// A probe travels SMTP → vendor → reply → Dovecot → IMAP watcher → classifier → probe timeline, on real loopback servers.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { silentLogger } from '../../src/core/logger.ts';
import { createMailWatcher, type MailWatcher } from '../../src/watch/imap.ts';
import { startMailVendors, type VendorReply } from '../../src/sandbox/mail-vendor.ts';
import { withFolder } from '../../src/watch/imap-client.ts';
import { plusAddress } from '../../src/core/token.ts';
import type { MessageWithReview } from '../../src/store/messages.ts';
import { openEmailWorld, probeAddress, rawReply, until, vendorAddress, type EmailWorld } from './email-fixtures.ts';

let world: EmailWorld | undefined;
let watcher: MailWatcher | undefined;
let vendors: { stop(): Promise<void> } | undefined;

afterEach(async () => {
  await vendors?.stop();
  await watcher?.stop();
  await world?.close();
  vendors = watcher = world = undefined;
});

async function watch(w: EmailWorld): Promise<MailWatcher> {
  watcher = createMailWatcher({ store: w.store, settings: w.settings, mailbox: 'default', clock: w.clock, logger: silentLogger });
  await watcher.start();
  return watcher;
}

const messagesOf = (w: EmailWorld, probeId: number, count: number) => () => {
  const messages = w.store.messages.forProbe(probeId);
  return messages.length >= count ? messages : undefined;
};

describe('e-mail probe end to end', () => {
  it('records the auto-acknowledgement and the human answer at their INTERNALDATE, and answers the probe', async () => {
    const w = (world = await openEmailWorld());
    const vendorReplies: VendorReply[] = [];
    const received: string[] = [];
    w.stack.onOutbound((mail) => {
      received.push(mail.raw.toString('utf8'));
    });
    w.catalog.vendors[0]!.sandbox = {
      email: [
        { after: '300ms', kind: 'ack' },
        { after: '1300ms', kind: 'human', agent: 'Priya' },
      ],
    };
    vendors = startMailVendors({ catalog: w.catalog, stack: w.stack, clock: w.clock, logger: silentLogger, onReply: (r) => vendorReplies.push(r) });
    await watch(w);

    const planned = w.runner.plan('acme', 'email');
    const sent = await w.runner.send(planned.id);
    expect(sent.state).toBe('sent');
    const answered = await until(
      w.store,
      () => {
        const probe = w.store.probes.get(planned.id);
        return probe?.state === 'answered' ? probe : undefined;
      },
      10_000,
      'the probe to be answered',
    );

    const ack = vendorReplies.find((r) => r.kind === 'ack');
    const human = vendorReplies.find((r) => r.kind === 'human');
    expect(ack && human).toBeTruthy();
    expect(Math.abs((answered.first_ack_at ?? 0) - (ack?.sentAt ?? 0))).toBeLessThan(1000);
    expect(Math.abs((answered.first_human_at ?? 0) - (human?.sentAt ?? 0))).toBeLessThan(1000);
    expect(answered.first_human_at).toBeGreaterThan(answered.first_ack_at ?? Infinity);
    expect(answered.sent_at).toBeLessThanOrEqual(ack?.sentAt ?? 0);

    const messages = w.store.messages.forProbe(planned.id);
    expect(messages.map((m) => m.label)).toEqual(['auto_ack', 'human']);
    for (const m of messages) {
      expect(m.received_at % 1000).toBe(0); // INTERNALDATE, whole seconds of the receiving server
      expect(m.detected_at).toBeGreaterThanOrEqual(m.received_at);
      expect(m.match_method).toBe('in_reply_to');
      expect(m.raw_path && existsSync(m.raw_path)).toBe(true);
    }
    // The ack carried a ticket number; it is kept on the probe for replies that only quote it.
    expect(w.store.probes.get(planned.id)?.ticket_ref).toMatch(/^\d{5}$/);

    // What the vendor got: one message, with our Message-ID, the token and a plus-addressed Reply-To.
    expect(received).toHaveLength(1);
    expect(received[0]).toContain(`Message-ID: ${sent.message_id}`);
    expect(received[0]).toContain(`Reply-To: ${plusAddress(probeAddress, sent.token)}`);
    expect(received[0]).toContain(sent.token);
    expect(received[0]).toContain(`To: ${vendorAddress}`);
    // A copy in Sent, dated at sent_at, and the raw probe as evidence.
    const inSent = await withFolder(w.settings.mailboxes.default!, 'Sent', async (client) =>
      client.search({ header: { 'message-id': sent.message_id ?? '' } }, { uid: true }),
    );
    expect(inSent).toHaveLength(1);
    const evidence: unknown = JSON.parse(sent.evidence);
    expect(Array.isArray(evidence) && typeof evidence[0] === 'string' && readFileSync(evidence[0], 'utf8').includes(sent.token)).toBe(true);
  });

  it('matches rewritten subjects, plus-addresses and ticket numbers, and labels OOO, bounce and a GBK Chinese answer', async () => {
    // Replies are injected right after sending: the reply-speed rule is switched off so content and headers decide.
    const w = (world = await openEmailWorld({ fastReplyMs: 0 }));
    await watch(w);
    const send = async () => {
      const probe = await w.runner.send(w.runner.plan('acme', 'email').id);
      expect(probe.state).toBe('sent');
      return probe;
    };
    const [a, b, c, d, e] = [await send(), await send(), await send(), await send(), await send()];
    if (!a || !b || !c || !d || !e) throw new Error('probes missing');

    // a: a helpdesk rewrote the subject and dropped threading headers; the token survives in the subject.
    await w.stack.deliver(
      probeAddress,
      rawReply({
        subject: `[#4711] Re: How do we rotate stream keys? (ref ${a.token})`,
        body: 'Hi Sam,\n\nyou can add a second key under Settings > Ingest and revoke the old one once the encoder uses it.\n\nBest,\nDana',
      }),
    );
    // b: nothing but the plus-address it was sent to.
    await w.stack.deliver(
      plusAddress(probeAddress, b.token),
      rawReply({
        to: plusAddress(probeAddress, b.token),
        subject: 'Your question',
        body: 'Hi Sam,\n\nI checked your account and rotated the key for you. Let me know if the encoder reconnects fine.\n\nCheers,\nMarta',
      }),
    );
    // c: an acknowledgement names ticket 90210, the later answer quotes only the ticket.
    await w.stack.deliver(
      probeAddress,
      rawReply({
        subject: `[Ticket #90210] We received your request (ref ${c.token})`,
        body: 'This is an automated message: we have received your request. Your ticket number is #90210.',
        headers: { 'Auto-Submitted': 'auto-replied' },
      }),
    );
    await until(w.store, () => w.store.probes.get(c.id)?.ticket_ref ?? undefined, 10_000, 'the ticket number');
    await w.stack.deliver(
      probeAddress,
      rawReply({
        subject: 'Re: [Ticket #90210]',
        body: 'Hello Sam,\n\nI have looked at this for you: keys can be rotated live from the dashboard.\n\nKind regards,\nJonas',
      }),
    );
    // d: out of office, then a bounce (null sender, multipart/report).
    await w.stack.deliver(
      probeAddress,
      rawReply({
        subject: `Automatic reply: How do we rotate stream keys? (ref ${d.token})`,
        body: 'I am out of the office until Monday with limited access to e-mail.',
        inReplyTo: d.message_id ?? '',
        headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' },
      }),
    );
    await w.stack.deliver(
      probeAddress,
      [
        'From: Mail Delivery System <MAILER-DAEMON@mx.acme.test>',
        `To: ${probeAddress}`,
        'Subject: Undelivered Mail Returned to Sender',
        'Return-Path: <>',
        'Auto-Submitted: auto-replied',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
        '',
        '--b1',
        'Content-Type: text/plain',
        '',
        'Your message could not be delivered: mailbox full.',
        '',
        '--b1',
        'Content-Type: message/delivery-status',
        '',
        'Final-Recipient: rfc822; support@acme.test',
        'Action: failed',
        'Status: 5.2.2',
        '',
        '--b1',
        'Content-Type: text/rfc822-headers',
        '',
        `Message-ID: ${d.message_id}`,
        `Subject: ref ${d.token}`,
        '',
        '--b1--',
        '',
      ].join('\r\n'),
    );
    // e: a Chinese agent's answer in GBK, subject rewritten with 回复：.
    const gbkBody = iconv.encode(
      `Sam 您好，\n\n关于您的问题，我已经帮您确认过了：推流密钥可以在控制台里新增第二个密钥，切换后再停用旧密钥，观众端不会断流。\n\n王伟\n技术支持\n\n编号 ${e.token}\n`.replace(
        /\n/g,
        '\r\n',
      ),
      'gbk',
    );
    const gbkHead = Buffer.from(
      [
        'From: =?GBK?B?zfXOsA==?= <kefu@acme.test>',
        `To: ${probeAddress}`,
        `Subject: =?GBK?B?${iconv.encode('回复：咨询', 'gbk').toString('base64')}?=`,
        `Message-ID: <gbk.${e.token}@acme.test>`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=GBK',
        'Content-Transfer-Encoding: 8bit',
        '',
        '',
      ].join('\r\n'),
    );
    await w.stack.deliver(probeAddress, Buffer.concat([gbkHead, gbkBody]));

    const one = (id: number) => until(w.store, messagesOf(w, id, 1), 10_000, `a reply to probe ${id}`);
    const [ma, mb, mc, md, me] = [
      await one(a.id),
      await one(b.id),
      await until(w.store, messagesOf(w, c.id, 2)),
      await until(w.store, messagesOf(w, d.id, 2)),
      await one(e.id),
    ];
    const summary = (m: MessageWithReview[]) => m.map((x) => `${x.match_method}:${x.label}`);
    expect(summary(ma)).toEqual(['token_subject:human']);
    expect(summary(mb)).toEqual(['plus_address:human']);
    expect(summary(mc)).toEqual(['token_subject:auto_ack', 'ticket_ref:human']);
    expect(summary(md).sort()).toEqual(['in_reply_to:out_of_office', 'token_raw:bounce']);
    expect(summary(me)).toEqual(['token_body:human']);
    expect(me[0]?.body_text).toContain('推流密钥');
    expect(me[0]?.subject).toBe('回复：咨询');
    for (const probe of [a, b, c, e]) expect(w.store.probes.get(probe.id)?.state).toBe('answered');
    expect(w.store.probes.get(d.id)?.state).toBe('sent');
  });
});
