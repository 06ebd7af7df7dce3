// Awaiting review: a probe whose earliest candidate reply is `unknown` is neither answered nor unanswered until a
// person labels that reply (DESIGN.md §4, §5).
import { afterEach, describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE } from '../../src/core/clock.ts';
import { buildStatsReport, type StatsQuery } from '../../src/metrics/report.ts';
import type { ChannelStats } from '../../src/metrics/report-types.ts';
import { recordMessage } from '../../src/replies/record.ts';
import { reviewMessage } from '../../src/replies/review.ts';
import { newToken } from '../../src/core/token.ts';
import type { Store } from '../../src/store/db.ts';
import type { MessageLabel } from '../../src/core/labels.ts';
import { openFixtureStore, type FixtureStore } from '../helpers/fixture-store.ts';

const now = Date.UTC(2026, 2, 16, 12, 0, 0);
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function fixture(): FixtureStore {
  const opened = openFixtureStore({ days: 100, now });
  cleanups.push(() => opened.close());
  return opened;
}

function addProbe(store: Store, sentAt: number, vendor = 'blue-harbor', channel = 'email'): number {
  const row = store.vendors.channel(vendor, channel);
  if (!row) throw new Error(`no channel ${vendor}/${channel}`);
  const probe = store.probes.create({
    token: newToken(),
    channelId: row.id,
    template: 'question-p3',
    tier: 'P3',
    language: 'en',
    scheduledAt: sentAt - 30_000,
  });
  store.probes.markSending(probe.id);
  store.probes.markSent(probe.id, { sentAt, deadlineAt: sentAt + 8 * HOUR, expiresAt: sentAt + 7 * DAY });
  return probe.id;
}

let uid = 1_000_000;
function reply(store: Store, probeId: number, label: MessageLabel, receivedAt: number): number {
  uid++;
  const id = recordMessage(store, {
    probe_id: probeId,
    source: 'imap',
    mailbox: 'default',
    folder: 'INBOX',
    uidvalidity: 1,
    uid,
    message_id: `<r-${uid}@vendor.example>`,
    in_reply_to: null,
    subject: 'Re: question',
    from_addr: 'help@vendor.example',
    received_at: receivedAt,
    detected_at: receivedAt + 1500,
    header_date: receivedAt,
    raw_path: null,
    raw_sha256: null,
    size: 900,
    headers: '{}',
    body_text: 'Thanks, we are looking into it.',
    label,
    confidence: label === 'unknown' ? 0.5 : 0.9,
    reasons: JSON.stringify([`test ${label}`]),
    match_method: 'token',
    parse_error: null,
  });
  if (id === undefined) throw new Error('message not stored');
  return id;
}

/** An IMAP reply stamped `at` (whole seconds) is taken to have arrived half a second later (docs: timestamp resolution). */
const arrival = (at: number): number => at + 500;

const channelOf = (store: Store, query: Omit<StatsQuery, 'now'> = {}): ChannelStats => {
  const found = buildStatsReport(store, { now, window: '90d', vendor: 'blue-harbor', ...query }).vendors[0]?.channels.find((c) => c.channel === 'email');
  if (!found) throw new Error('no blue-harbor/email in the report');
  return found;
};

/** The figures an awaiting probe must not move. */
const figures = (c: ChannelStats) => ({
  n: c.human.n,
  events: c.human.events,
  censored: c.human.censored,
  noReply: c.human.noEventShare,
  median: c.human.median,
  sla: c.sla,
  status: c.status,
  open: c.openProbes.map((p) => p.id),
  noReplyDays: c.daily.reduce((n, d) => n + d.noReply, 0),
  probesDays: c.daily.reduce((n, d) => n + d.probes, 0),
  hours: c.coverage.utc.reduce((n, h) => n + h.n, 0),
});

describe('a probe whose only reply is unknown', () => {
  it('is not counted as unanswered after its expiry, nor anywhere else: it is counted as awaiting review', () => {
    const { store } = fixture();
    const before = channelOf(store);
    const probeId = addProbe(store, now - 10 * DAY);
    reply(store, probeId, 'unknown', now - 10 * DAY + 3 * HOUR);
    store.probes.expireDue(now);

    const after = channelOf(store);
    expect(figures(after)).toStrictEqual(figures(before));
    expect(after.awaitingReview).toBe(before.awaitingReview + 1);
    expect(after.unconfirmedLabels).toBe(before.unconfirmedLabels + 1);
    const probe = store.probes.get(probeId);
    expect(probe?.state).toBe('sent');
    expect(probe?.review_since).toBe(now - 10 * DAY + 3 * HOUR);
    const vendor = buildStatsReport(store, { now, window: '90d', vendor: 'blue-harbor' }).vendors[0];
    expect(vendor?.awaitingReview).toBe(1);
    expect(vendor?.comparison.find((c) => c.channel === 'email')?.awaitingReview).toBe(1);
  });

  it('while still within its expiry is not an open probe either', () => {
    const { store } = fixture();
    const before = channelOf(store);
    const probeId = addProbe(store, now - 2 * DAY);
    reply(store, probeId, 'unknown', now - 2 * DAY + 20 * MINUTE);
    const after = channelOf(store);
    expect(figures(after)).toStrictEqual(figures(before));
    expect(after.openProbes.map((p) => p.id)).not.toContain(probeId);
    expect(after.awaitingReview).toBe(1);
  });

  it('labelled human by a person becomes answered at the reply time; labelled automatic it is a no reply censored at expiry', () => {
    const { store } = fixture();
    const before = channelOf(store);
    const sentAt = now - 10 * DAY;
    const human = addProbe(store, sentAt);
    const humanReply = reply(store, human, 'unknown', sentAt + 2 * HOUR);
    const ack = addProbe(store, sentAt + MINUTE);
    const ackReply = reply(store, ack, 'unknown', sentAt + MINUTE + 30_000);
    store.probes.expireDue(now);
    expect(channelOf(store).awaitingReview).toBe(2);

    reviewMessage(store, humanReply, 'human', 'tester');
    expect(store.probes.get(human)).toMatchObject({ state: 'answered', first_human_at: arrival(sentAt + 2 * HOUR), review_since: null });
    const answered = channelOf(store);
    expect(answered.human.n).toBe(before.human.n + 1);
    expect(answered.human.events).toBe(before.human.events + 1);
    expect(answered.awaitingReview).toBe(1);

    reviewMessage(store, ackReply, 'auto_ack', 'tester');
    expect(store.probes.get(ack)).toMatchObject({
      state: 'expired',
      closed_at: sentAt + MINUTE + 7 * DAY,
      first_ack_at: arrival(sentAt + MINUTE + 30_000),
      review_since: null,
    });
    const settled = channelOf(store);
    expect(settled.human.n).toBe(before.human.n + 2);
    expect(settled.human.censored).toBe(before.human.censored + 1);
    expect(settled.awaitingReview).toBe(0);
    expect(settled.unconfirmedLabels).toBe(before.unconfirmedLabels);
  });

  it('moves on to the next candidate reply when a person says the first one was automatic', () => {
    const { store } = fixture();
    const sentAt = now - 3 * DAY;
    const probeId = addProbe(store, sentAt);
    const first = reply(store, probeId, 'unknown', sentAt + HOUR);
    const second = reply(store, probeId, 'unknown', sentAt + 5 * HOUR);
    expect(store.probes.get(probeId)?.review_since).toBe(sentAt + HOUR);
    reviewMessage(store, first, 'auto_ack', 'tester');
    expect(store.probes.get(probeId)?.review_since).toBe(sentAt + 5 * HOUR);
    expect(store.probes.awaitingReview().find((a) => a.id === probeId)?.message_id).toBe(second);
    reviewMessage(store, second, 'human', 'tester');
    expect(store.probes.get(probeId)).toMatchObject({ state: 'answered', first_human_at: arrival(sentAt + 5 * HOUR), review_since: null });
  });

  it('an unknown reply before a human one keeps the probe out until reviewed; one after it does not', () => {
    const { store } = fixture();
    const before = channelOf(store);
    const sentAt = now - 4 * DAY;
    const earlyUnknown = addProbe(store, sentAt);
    const unknown = reply(store, earlyUnknown, 'unknown', sentAt + HOUR);
    reply(store, earlyUnknown, 'human', sentAt + 9 * HOUR);
    const lateUnknown = addProbe(store, sentAt + MINUTE);
    reply(store, lateUnknown, 'human', sentAt + 2 * HOUR);
    reply(store, lateUnknown, 'unknown', sentAt + 3 * HOUR);
    const tie = addProbe(store, sentAt + 2 * MINUTE);
    reply(store, tie, 'unknown', sentAt + 4 * HOUR);
    reply(store, tie, 'human', sentAt + 4 * HOUR);
    reply(store, tie, 'auto_ack', sentAt + 2 * MINUTE + 1000);

    expect(store.probes.get(earlyUnknown)?.review_since).toBe(sentAt + HOUR);
    expect(store.probes.get(lateUnknown)?.review_since).toBeNull();
    expect(store.probes.get(tie)?.review_since).toBeNull();
    const after = channelOf(store);
    expect(after.awaitingReview).toBe(1);
    expect(after.human.n).toBe(before.human.n + 2);
    expect(after.human.events).toBe(before.human.events + 2);

    reviewMessage(store, unknown, 'auto_ack', 'tester');
    expect(store.probes.get(earlyUnknown)).toMatchObject({ state: 'answered', first_human_at: arrival(sentAt + 9 * HOUR), review_since: null });
    expect(channelOf(store).human.n).toBe(before.human.n + 3);
  });

  it('a person who labels it unknown has decided: no human reply', () => {
    const { store } = fixture();
    const sentAt = now - 9 * DAY;
    const probeId = addProbe(store, sentAt);
    const message = reply(store, probeId, 'unknown', sentAt + HOUR);
    reviewMessage(store, message, 'unknown', 'tester', 'cannot tell; treat as no reply');
    expect(store.probes.get(probeId)).toMatchObject({ state: 'expired', review_since: null });
  });
});

describe('awaiting review through the month blocks', () => {
  it('the report through blocks equals the row-by-row one, and a review rebuilds the month it touches', () => {
    const { store } = fixture();
    const query: StatsQuery = { now, window: 'all', includePrivate: true };
    const sentAt = Date.UTC(2026, 0, 14, 9);
    const ids = [addProbe(store, sentAt), addProbe(store, sentAt + HOUR, 'acme-cloud', 'email'), addProbe(store, Date.UTC(2026, 1, 2, 9))];
    const replies = ids.map((id, i) => reply(store, id, 'unknown', (store.probes.get(id)?.sent_at ?? 0) + (i + 1) * HOUR));
    store.probes.expireDue(now);

    const reference = buildStatsReport(store, { ...query, rollups: false });
    expect(buildStatsReport(store, query)).toStrictEqual(reference);
    const january = Date.UTC(2026, 0, 1);
    const blocks = () =>
      store.db
        .prepare<[number], { channel_id: number; probes: number; awaiting: number }>(
          'SELECT channel_id, probes, awaiting FROM probe_month_rollups WHERE starts_at = ? ORDER BY channel_id',
        )
        .all(january);
    const blueHarbor = store.vendors.channel('blue-harbor', 'email')?.id;
    expect(blocks().find((b) => b.channel_id === blueHarbor)?.awaiting).toBe(1);
    expect(reference.vendors.find((v) => v.vendor.slug === 'blue-harbor')?.awaitingReview).toBe(2);

    reviewMessage(store, replies[0] ?? 0, 'human', 'tester');
    expect(blocks().find((b) => b.channel_id === blueHarbor)).toBeUndefined();
    const reviewed = buildStatsReport(store, query);
    expect(reviewed).toStrictEqual(buildStatsReport(store, { ...query, rollups: false }));
    expect(blocks().find((b) => b.channel_id === blueHarbor)?.awaiting).toBe(0);
    expect(reviewed.vendors.find((v) => v.vendor.slug === 'blue-harbor')?.awaitingReview).toBe(1);
  });
});
