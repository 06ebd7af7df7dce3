// Answer quality through the real loopback mail stack: a human reply that meets the template's expect: sets resolved_at.
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.ts';
import { createMailWatcher, type MailWatcher } from '../../src/watch/imap.ts';
import { arrivalEstimate, replyArrival } from '../../src/core/instant.ts';
import { buildStatsReport } from '../../src/metrics/report.ts';
import { openEmailWorld, probeAddress, rawReply, until, type EmailWorld } from './email-fixtures.ts';

let world: EmailWorld | undefined;
let watcher: MailWatcher | undefined;

afterEach(async () => {
  await watcher?.stop();
  await world?.close();
  watcher = world = undefined;
});

describe('resolution by e-mail', () => {
  it('a reply asking for a given fact does not resolve; the next one meeting expect: does, at its arrival, in round 2', async () => {
    // Replies are delivered right after sending: the reply-speed rule is switched off so content decides.
    const w = (world = await openEmailWorld({ fastReplyMs: 0 }));
    const vendor = w.catalog.vendors[0];
    const template = vendor?.templates[0];
    if (!vendor || !template) throw new Error('no template');
    vendor.templates[0] = {
      ...template,
      expect: [
        { name: 'keys', any: ['stream key', 'key', '推流密钥'] },
        { name: 'a step', any: ['/\\b(?:add|rotate|revoke)\\b/', '新增', '停用'] },
      ],
      facts: { account_id: 'acct-7781' },
    };
    w.store.vendors.sync(w.catalog);
    watcher = createMailWatcher({ store: w.store, settings: w.settings, mailbox: 'default', clock: w.clock, logger: silentLogger });
    await watcher.start();

    const probe = await w.runner.send(w.runner.plan('acme', 'email').id);
    expect(probe.state).toBe('sent');
    expect(w.store.quality.forProbe(probe.id)?.quality_flags).toBe(1);

    await w.stack.deliver(
      probeAddress,
      rawReply({
        subject: `Re: How do we rotate stream keys? (ref ${probe.token})`,
        inReplyTo: probe.message_id ?? '',
        body: 'Hi Sam,\n\nthanks for reaching out to us. Could you send us your account ID so that I can check your settings?\n\nBest,\nDana',
      }),
    );
    const first = await until(
      w.store,
      () => {
        const q = w.store.quality.forProbe(probe.id);
        return q && q.human_replies >= 1 ? q : undefined;
      },
      10_000,
      'the first human reply',
    );
    expect(first).toMatchObject({ resolved_at: null, asked_for_given: ['account_id'] });

    await w.stack.deliver(
      probeAddress,
      rawReply({
        subject: `Re: How do we rotate stream keys? (ref ${probe.token})`,
        inReplyTo: probe.message_id ?? '',
        body: 'Hi Sam,\n\nyou can add a second key under Settings > Ingest and revoke the old one once the encoder uses it.\n\nBest,\nDana',
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
    const messages = w.store.messages.forProbe(probe.id);
    expect(messages.map((m) => m.effective_label)).toEqual(['human', 'human']);
    const second = messages[1];
    if (!second) throw new Error('no second reply');
    expect(resolved).toMatchObject({ resolved_by: 'rubric', resolved_message_id: second.id, resolution_rounds: 2, language_match: true });
    expect(resolved.resolved_at).toBe(arrivalEstimate(probe.sent_at, replyArrival(second)));

    const channel = buildStatsReport(w.store, { now: w.clock.now(), window: '7d' }).vendors[0]?.channels[0];
    expect(channel?.resolution).toMatchObject({ n: 1, firstContact: { n: 1, count: 0 }, rounds: { n: 1, median: 2 }, askedForGiven: { n: 1, count: 1 } });
    expect(channel?.resolution.time.events).toBe(1);
  });
});
