// Request Tracker threading through Dovecot: a retitled answer with an empty In-Reply-To finds its probe by the ticket reference its acknowledgement taught.
import { afterEach, describe, expect, it } from 'vitest';
import type { MailWatcher } from '../../src/watch/imap.ts';
import type { ProbeView } from '../../src/store/probes.ts';
import { openEmailWorld, probeAddress, rawReply, until, worldWatcher, type EmailWorld } from './email-fixtures.ts';

let world: EmailWorld | undefined;
let watcher: MailWatcher | undefined;

afterEach(async () => {
  await watcher?.stop();
  await world?.close();
  watcher = world = undefined;
});

const rt = 'Vendor Support <support@vendor.test>';

/** RT's AutoReply: the ticket tag in the subject, our Message-ID and the ticket's thread id in References. */
function rtAck(probe: ProbeView, ticket: number): string {
  return rawReply({
    from: rt,
    subject: `[vendor.test #${ticket}] AutoReply: How do we rotate stream keys? (ref ${probe.token})`,
    body: `Greetings,\n\nThis message has been automatically generated in response to the creation of a trouble ticket regarding your request.\n\nYour ticket has been assigned an ID of [vendor.test #${ticket}].\n\nThank you,\nsupport@vendor.test`,
    messageId: `<rt-5.0.3-4242-1767225600-${ticket}.${ticket}-6-0@vendor.test>`,
    headers: {
      'In-Reply-To': probe.message_id ?? '',
      References: `${probe.message_id ?? ''} <RT-Ticket-${ticket}@vendor.test>`,
      'Auto-Submitted': 'auto-replied',
      'RT-Ticket': `vendor.test #${ticket}`,
    },
  });
}

/** An agent's answer as RT sends it after the subject was changed: empty In-Reply-To, only the ticket's thread id. */
function rtAnswer(ticket: number, subject: string, body: string): string {
  return rawReply({
    from: 'Dana via RT <support@vendor.test>',
    subject,
    body,
    messageId: `<rt-5.0.3-4242-1767229200-${ticket}.${ticket}-9-0@vendor.test>`,
    headers: { 'In-Reply-To': '', References: `<RT-Ticket-${ticket}@vendor.test>`, 'RT-Ticket': `vendor.test #${ticket}` },
  });
}

describe('helpdesk ticket references', () => {
  it("match a retitled Request Tracker answer to its probe, and a mention of another probe's ticket does not move it", async () => {
    const w = (world = await openEmailWorld({ fastReplyMs: 0 }));
    watcher = worldWatcher(w);
    await watcher.start();
    const send = async () => {
      const probe = await w.runner.send(w.runner.plan('acme', 'email').id);
      expect(probe.state).toBe('sent');
      return probe;
    };
    const first = await send();
    const second = await send();

    await w.stack.deliver(probeAddress, rtAck(first, 3));
    await w.stack.deliver(probeAddress, rtAck(second, 4));
    for (const probe of [first, second])
      await until(w.store, () => (w.store.probes.refs(probe.id).length > 0 ? true : undefined), 10_000, `the references of probe ${probe.id}`);
    expect(w.store.probes.refs(first.id)).toEqual([
      { kind: 'subject', value: 'VENDOR.TEST #3', domain: 'vendor.test' },
      { kind: 'thread', value: '<rt-ticket-3@vendor.test>', domain: null },
    ]);
    expect(w.store.probes.get(first.id)?.ticket_ref).toBe('3');

    // The agent retitled the ticket: no token, no plus-address, no In-Reply-To, no tag — only RT's References.
    await w.stack.deliver(
      probeAddress,
      rtAnswer(
        3,
        'Key rotation for your channels',
        'Hi Sam,\n\nI added a second stream key to your channels; move the encoder to it and revoke the old one when the new session is live.\n\nBest,\nDana',
      ),
    );
    // The second ticket's answer names the first ticket: its thread decides, not the number.
    await w.stack.deliver(
      probeAddress,
      rtAnswer(
        4,
        'Merged with [vendor.test #3]',
        'Hi Sam,\n\nthis is the same question as ticket #3, so I merged them; the key rotation steps Dana sent apply to both channels.\n\nCheers,\nLee',
      ),
    );
    // Someone else mentioning ticket #3, from another domain and outside the thread, is not taken for either probe.
    await w.stack.deliver(
      probeAddress,
      rawReply({
        from: 'Noise <news@elsewhere.test>',
        subject: 'About [vendor.test #3]',
        body: 'Hello,\n\nwe read about your ticket and would like to offer our consulting services.\n\nRegards,\nSales',
      }),
    );

    const answered = (probe: ProbeView) =>
      until(
        w.store,
        () => (w.store.probes.get(probe.id)?.state === 'answered' ? w.store.messages.forProbe(probe.id) : undefined),
        10_000,
        `an answer to probe ${probe.id}`,
      );
    const [firstMessages, secondMessages] = [await answered(first), await answered(second)];
    const summary = (messages: typeof firstMessages) => messages.map((m) => `${m.match_method}:${m.label}:${m.subject}`);
    expect(summary(firstMessages)).toEqual([
      `in_reply_to:auto_ack:[vendor.test #3] AutoReply: How do we rotate stream keys? (ref ${first.token})`,
      'helpdesk_thread:human:Key rotation for your channels',
    ]);
    expect(summary(secondMessages)).toEqual([
      `in_reply_to:auto_ack:[vendor.test #4] AutoReply: How do we rotate stream keys? (ref ${second.token})`,
      'helpdesk_thread:human:Merged with [vendor.test #3]',
    ]);
    const noise = await until(w.store, () => w.store.messages.unmatched().find((m) => m.subject === 'About [vendor.test #3]'), 10_000, 'the unrelated mail');
    expect(noise.probe_id).toBeNull();
  });
});
