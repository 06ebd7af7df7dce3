// Doubtful replies through the real path (SMTP → Dovecot → IMAP watcher): a token quoted from outside the vendor's
// domains, threading and token naming different probes, and our own probe coming back are stored, never credited.
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageWithReview } from '../../src/store/messages.ts';
import type { MailWatcher } from '../../src/watch/imap.ts';
import { reviewMessage } from '../../src/replies/review.ts';
import { openEmailWorld, probeAddress, rawReply, until, worldWatcher, type EmailWorld } from './email-fixtures.ts';

let world: EmailWorld | undefined;
let watcher: MailWatcher | undefined;

afterEach(async () => {
  await watcher?.stop();
  await world?.close();
  watcher = world = undefined;
});

const answer = 'Hi Sam,\n\nI checked your channel: rotate the key under Settings > Stream and viewers stay connected for a minute.\n\nBest,\nDana';

async function sentProbe(w: EmailWorld) {
  const planned = w.runner.plan('acme', 'email');
  const probe = await w.runner.send(planned.id);
  expect(probe.state).toBe('sent');
  return probe;
}

async function start(w: EmailWorld): Promise<void> {
  watcher = worldWatcher(w);
  await watcher.start();
}

function recorded(w: EmailWorld, probeId: number, count = 1): Promise<MessageWithReview[]> {
  return until(
    w.store,
    () => {
      const messages = w.store.messages.forProbe(probeId);
      return messages.length >= count ? messages : undefined;
    },
    10_000,
    `${count} message(s) of probe ${probeId}`,
  );
}

describe('doubtful replies are held for review, never credited', () => {
  it('a token quoted from outside the vendor domains goes to review; a person labels it', async () => {
    const w = (world = await openEmailWorld({ fastReplyMs: 0 }));
    await start(w);
    const probe = await sentProbe(w);
    await w.stack.deliver(
      probeAddress,
      rawReply({ from: 'Helpful Stranger <someone@elsewhere.test>', subject: `Re: your question (ref ${probe.token})`, body: answer }),
    );
    const [message] = await recorded(w, probe.id);
    expect(message).toMatchObject({ label: 'unknown', match_method: 'token_subject' });
    expect(JSON.parse(message?.reasons ?? '[]')[0]).toMatch(
      /^review: quotes probe \d+'s token \(token_subject\) from elsewhere\.test, outside acme's reply domains \(acme\.test\)/,
    );
    const held = w.store.probes.get(probe.id);
    expect(held).toMatchObject({ state: 'sent', first_human_at: null, review_since: message?.received_at });
    expect(w.store.probes.awaitingReview().map((a) => a.id)).toEqual([probe.id]);
    // It taught the probe nothing (no ticket, no helpdesk refs).
    expect(w.store.probes.refs(probe.id)).toEqual([]);
    reviewMessage(w.store, message?.id ?? 0, 'marketing', 'operator');
    expect(w.store.probes.get(probe.id)).toMatchObject({ state: 'sent', review_since: null, first_human_at: null });
  });

  it('the same reply from the vendor domain is credited; a declared reply_domains list replaces the default', async () => {
    const w = (world = await openEmailWorld({ fastReplyMs: 0 }));
    await start(w);
    const probe = await sentProbe(w);
    await w.stack.deliver(probeAddress, rawReply({ from: 'Dana <dana@eu.acme.test>', subject: `Re: your question (ref ${probe.token})`, body: answer }));
    const [message] = await recorded(w, probe.id);
    expect(message?.label).toBe('human');
    expect(w.store.probes.get(probe.id)?.state).toBe('answered');

    // Declared: only those domains (and subdomains) are the vendor's, not its address's.
    const vendor = w.catalog.vendors[0];
    if (!vendor) throw new Error('no vendor');
    vendor.reply_domains = ['acme-help.test'];
    w.store.vendors.sync(w.catalog);
    const second = await sentProbe(w);
    await w.stack.deliver(probeAddress, rawReply({ from: 'Dana <dana@acme.test>', subject: `Re: your question (ref ${second.token})`, body: answer }));
    await w.stack.deliver(probeAddress, rawReply({ from: 'Lee <lee@mail.acme-help.test>', subject: `Re: your question (ref ${second.token})`, body: answer }));
    const messages = await recorded(w, second.id, 2);
    expect(messages.map((m) => [m.from_addr, m.label])).toEqual([
      ['dana@acme.test', 'unknown'],
      ['lee@mail.acme-help.test', 'human'],
    ]);
  });

  it("a helpdesk domain seen in the vendor's acknowledgements is the vendor's", async () => {
    const w = (world = await openEmailWorld({ fastReplyMs: 0 }));
    await start(w);
    const probe = await sentProbe(w);
    // The desk acknowledges from its own domain, threaded to our probe: threading is not held to the domains.
    await w.stack.deliver(
      probeAddress,
      rawReply({
        from: 'Acme Support <support@acme.deskhost.test>',
        subject: `[#4411] We received your request (ref ${probe.token})`,
        inReplyTo: probe.message_id ?? '',
        headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' },
        body: 'Hello,\n\nthis is an automated message to confirm that we have received your request. Your ticket number is #4411.\nPlease do not reply to this message.\n\nAcme Support',
      }),
    );
    const [ack] = await recorded(w, probe.id);
    expect(ack?.label).toBe('auto_ack');
    // A later answer quoting only the token from that helpdesk is credited.
    const second = await sentProbe(w);
    await w.stack.deliver(probeAddress, rawReply({ from: 'Dana <dana@acme.deskhost.test>', subject: `Your question (ref ${second.token})`, body: answer }));
    const [reply] = await recorded(w, second.id);
    expect(reply).toMatchObject({ label: 'human', match_method: 'token_subject' });
  });

  it('threading and token naming different probes go to review', async () => {
    const w = (world = await openEmailWorld({ fastReplyMs: 0 }));
    await start(w);
    const first = await sentProbe(w);
    const second = await sentProbe(w);
    await w.stack.deliver(
      probeAddress,
      rawReply({ subject: `Re: How do we rotate stream keys? (ref ${second.token})`, inReplyTo: first.message_id ?? '', body: answer }),
    );
    const [message] = await recorded(w, first.id);
    expect(message).toMatchObject({ label: 'unknown', match_method: 'in_reply_to' });
    expect(JSON.parse(message?.reasons ?? '[]')[0]).toBe(
      `review: threading (in_reply_to) names probe ${first.id} but the token ${second.token} names probe ${second.id}`,
    );
    expect(w.store.probes.get(first.id)).toMatchObject({ state: 'sent', review_since: message?.received_at });
    expect(w.store.messages.forProbe(second.id)).toEqual([]);
  });

  it('our own probe coming back is stored as system, not dropped, and credits nothing', async () => {
    const w = (world = await openEmailWorld({ fastReplyMs: 0 }));
    const copies: Buffer[] = [];
    w.stack.onOutbound((mail) => {
      copies.push(mail.raw);
    });
    await start(w);
    const probe = await sentProbe(w);
    const copy = await until(w.store, () => copies[0], 5_000, 'the outbound copy');
    // A list or desk echoing our message to us.
    await w.stack.deliver(probeAddress, copy);
    const [message] = await recorded(w, probe.id);
    expect(message).toMatchObject({ label: 'system', match_method: 'own_message_id', message_id: probe.message_id });
    expect(w.store.probes.get(probe.id)).toMatchObject({ state: 'sent', first_ack_at: null, first_human_at: null, review_since: null });
  });
});
