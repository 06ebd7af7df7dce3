// Probes whose first-response outcome fell inside an outage of our own mailbox leave every vendor figure and the
// SLA breach rule, exactly (month blocks included), and come back if the outage record changes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../src/core/clock.ts';
import { buildStatsReport } from '../../src/metrics/report.ts';
import { openFixtureStore, type FixtureStore } from '../helpers/fixture-store.ts';

let fixture: FixtureStore;
beforeEach(() => {
  fixture = openFixtureStore({ days: 120 });
});
afterEach(() => fixture.close());

interface Row {
  id: number;
  sent_at: number;
  deadline_at: number | null;
  expires_at: number | null;
  first_human_at: number | null;
}

/** The rule of docs/decisions.md: [sent_at, decided] overlaps the outage; decided = a human reply by the deadline, else the deadline. */
function hiddenBy(rows: readonly Row[], from: number, to: number): number[] {
  return rows
    .filter((p) => {
      const deadline = p.deadline_at ?? p.expires_at ?? p.sent_at;
      const decided = p.first_human_at !== null && p.first_human_at <= deadline ? p.first_human_at : deadline;
      return from <= decided && to > p.sent_at;
    })
    .map((p) => p.id);
}

describe('mailbox outages in the statistics', () => {
  it('leaves out exactly the probes whose outcome fell inside the outage, from blocks and rows alike', () => {
    const { store, clock } = fixture;
    const email = store.vendors.channel('acme-cloud', 'email');
    const chat = store.vendors.channel('acme-cloud', 'chat');
    if (!email || !chat) throw new Error('fixture channels missing');
    const rows = store.db
      .prepare<[number], Row>(`SELECT id, sent_at, deadline_at, expires_at, first_human_at FROM probes
      WHERE channel_id = ? AND state IN ('sent', 'answered', 'expired') AND review_since IS NULL ORDER BY sent_at, id`)
      .all(email.id);
    const now = clock.now();
    // Two months back: the outage lies in a month read from a block.
    const from = now - 60 * DAY;
    const to = from + 6 * DAY;
    const expected = hiddenBy(rows, from, to);
    expect(expected.length).toBeGreaterThan(3);
    // A probe answered before the outage began, whose deadline falls inside it, was observed: it stays.
    const observedEarly = rows.filter((p) => p.first_human_at !== null && p.first_human_at < from && (p.deadline_at ?? 0) > from);
    const windowAll = { from: 0, to: now };
    const before = store.stats.timings(email.id, windowAll.from, windowAll.to);
    const chatBefore = store.stats.timings(chat.id, windowAll.from, windowAll.to);
    const reportBefore = buildStatsReport(store, { now, window: 'all', vendor: 'acme-cloud', includePrivate: true });

    const outage = store.outages.open({ mailbox: 'default', startedAt: from, code: 'TLS_PLAIN_PORT', cause: 'TLS handshake failed', detail: null });
    store.outages.close('default', to);

    const after = store.stats.timings(email.id, windowAll.from, windowAll.to);
    expect(
      before
        .map((r) => r.id)
        .filter((id) => !after.some((r) => r.id === id))
        .sort((a, b) => a - b),
    ).toEqual([...expected].sort((a, b) => a - b));
    // Every vendor's e-mail channel replies to the same mailbox: this one's share is exactly the expected set.
    const ofEmail = new Set(rows.map((r) => r.id));
    expect(
      store.outages
        .hiddenProbes(outage.id)
        .filter((id) => ofEmail.has(id))
        .sort((a, b) => a - b),
    ).toEqual([...expected].sort((a, b) => a - b));
    expect(store.outages.hiddenProbes(outage.id).length).toBeGreaterThan(expected.length);
    for (const p of observedEarly) expect(after.some((r) => r.id === p.id)).toBe(true);
    // Month blocks give the same rows as the probe table.
    expect(store.stats.timings(email.id, windowAll.from, windowAll.to)).toEqual(
      store.stats.timings(email.id, windowAll.from, windowAll.to, { rollups: false }),
    );
    // A chat channel reads no mailbox: untouched.
    expect(store.stats.timings(chat.id, windowAll.from, windowAll.to)).toEqual(chatBefore);
    // The report counts fewer probes for e-mail, and none of them awaits review or is unconfirmed because of it.
    const reportAfter = buildStatsReport(store, { now, window: 'all', vendor: 'acme-cloud', includePrivate: true });
    const n = (r: typeof reportBefore) => r.vendors[0]?.channels.find((c) => c.channel === 'email')?.human.n ?? -1;
    expect(n(reportAfter)).toBe(n(reportBefore) - expected.length);
    // The alert rules never see them.
    const alertIds = store.alerts.channelProbes(email.id, 0).map((p) => p.id);
    for (const id of expected) expect(alertIds).not.toContain(id);
  });

  it('a probe sent while the outage is open is hidden as soon as it is sent, and one answered later stays hidden', () => {
    const { store, clock } = fixture;
    const now = clock.now();
    const outage = store.outages.open({ mailbox: 'default', startedAt: now - HOUR, code: 'REFUSED', cause: 'connection refused', detail: null });
    const email = store.vendors.channel('acme-cloud', 'email');
    if (!email) throw new Error('fixture channel missing');
    const rows = store.db
      .prepare<[number], Row>('SELECT id, sent_at, deadline_at, expires_at, first_human_at FROM probes WHERE channel_id = ? AND sent_at IS NOT NULL')
      .all(email.id);
    const expected = hiddenBy(rows, now - HOUR, Infinity);
    const marked = () =>
      store.db
        .prepare<[number, number], { id: number }>('SELECT id FROM probes WHERE outage_id = ? AND channel_id = ? ORDER BY id')
        .all(outage.id, email.id)
        .map((r) => r.id);
    expect(marked()).toEqual([...expected].sort((a, b) => a - b));
    // A probe sent now, during the outage, is hidden by the trigger on its send time.
    const planned = store.db
      .prepare<[number], { id: number }>(`SELECT id FROM probes WHERE channel_id = ? AND sent_at IS NOT NULL AND outage_id IS NULL ORDER BY sent_at LIMIT 1`)
      .get(email.id);
    if (!planned) throw new Error('no observed probe to move');
    store.db.prepare('UPDATE probes SET sent_at = ?, deadline_at = ?, first_human_at = NULL WHERE id = ?').run(now, now + DAY, planned.id);
    expect(marked()).toContain(planned.id);
    expect(store.outages.openOf('default')?.id).toBe(outage.id);
    // Opening again while one is open continues it (a restart during an outage).
    expect(store.outages.open({ mailbox: 'default', startedAt: now, code: 'AUTH', cause: 'login refused', detail: null }).id).toBe(outage.id);
    store.outages.close('default', now + HOUR);
    expect(store.outages.openOf('default')).toBeUndefined();
    expect(store.outages.get(outage.id)?.ended_at).toBe(now + HOUR);
  });
});
