// A reply the classifier cannot decide, through the real path (SMTP → sandbox vendor → Dovecot → IMAP watcher): the
// probe awaits review past its expiry instead of counting as unanswered, and a person's label settles it.
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.ts';
import { createMailWatcher, type ClassifyEmail, type MailWatcher } from '../../src/watch/imap.ts';
import { startMailVendors } from '../../src/sandbox/mail-vendor.ts';
import { buildStatsReport } from '../../src/metrics/report.ts';
import { reviewMessage } from '../../src/replies/review.ts';
import { openEmailWorld, until, type EmailWorld } from './email-fixtures.ts';

let world: EmailWorld | undefined;
let watcher: MailWatcher | undefined;
let vendors: { stop(): Promise<void> } | undefined;

afterEach(async () => {
  await vendors?.stop();
  await watcher?.stop();
  await world?.close();
  vendors = watcher = world = undefined;
});

/** A classifier with no evidence either way, as DESIGN.md §5 asks it to say. */
const abstain: ClassifyEmail = () => ({ label: 'unknown', confidence: 0.2, reasons: ['no evidence either way (test)'], signals: [] });

describe('an e-mail reply the classifier cannot decide', () => {
  it('keeps the probe out of the statistics past its expiry, counted as awaiting review, until a person labels it', async () => {
    const w = (world = await openEmailWorld());
    w.catalog.vendors[0]!.sandbox = { email: [{ after: '300ms', kind: 'human', agent: 'Priya' }] };
    vendors = startMailVendors({ catalog: w.catalog, stack: w.stack, clock: w.clock, logger: silentLogger });
    watcher = createMailWatcher({ store: w.store, settings: w.settings, mailbox: 'default', clock: w.clock, logger: silentLogger, classify: abstain });
    await watcher.start();

    const planned = w.runner.plan('acme', 'email');
    expect((await w.runner.send(planned.id)).state).toBe('sent');
    const [reply] = await until(
      w.store,
      () => {
        const messages = w.store.messages.forProbe(planned.id);
        return messages.length >= 1 ? messages : undefined;
      },
      10_000,
      'the reply to be recorded',
    );
    expect(reply?.label).toBe('unknown');
    const probe = w.store.probes.get(planned.id);
    expect(probe?.review_since).toBe(reply?.received_at);
    expect(probe?.first_human_at).toBeNull();

    // After its expiry: not expired, not a no-reply, not in any figure; one probe awaiting review.
    const afterExpiry = (probe?.expires_at ?? 0) + 60_000;
    expect(w.store.probes.expireDue(afterExpiry)).toEqual([]);
    expect(w.store.probes.get(planned.id)?.state).toBe('sent');
    const channel = () => buildStatsReport(w.store, { now: afterExpiry, window: 'all', vendor: 'acme' }).vendors[0]?.channels[0];
    const waiting = channel();
    expect(waiting?.human).toMatchObject({ n: 0, events: 0, censored: 0, noEventShare: null });
    expect(waiting?.daily.reduce((n, d) => n + d.noReply, 0)).toBe(0);
    expect(waiting?.sla.reduce((n, row) => n + row.missed, 0) ?? 0).toBe(0);
    expect(waiting?.awaitingReview).toBe(1);
    expect(w.store.probes.awaitingReview().map((a) => [a.id, a.message_id])).toEqual([[planned.id, reply?.id]]);

    // A person says it was a human reply: answered at its arrival, counted from then on.
    reviewMessage(w.store, reply?.id ?? 0, 'human', 'operator');
    const answered = w.store.probes.get(planned.id);
    expect(answered).toMatchObject({ state: 'answered', review_since: null });
    expect(Math.abs((answered?.first_human_at ?? 0) - (reply?.received_at ?? 0))).toBeLessThan(1000);
    expect(channel()).toMatchObject({ awaitingReview: 0, human: { n: 1, events: 1, censored: 0 } });
  });
});
