import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DAY, HOUR, ManualClock } from '../../src/core/clock.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { buildStatsReport, type StatsQuery } from '../../src/metrics/report.ts';
import { RollupFormatError, decodeBlock, encodeBlock, monthEnd, monthOf, monthStart, rollupFormat } from '../../src/store/rollups.ts';
import type { BlockRow, ProbeTiming } from '../../src/store/stats.ts';
import { newToken } from '../../src/core/token.ts';
import { markResolution } from '../../src/replies/quality.ts';
import { fillStore, generatedVendors, openFixtureStore, seededRandom, type FixtureStore } from '../helpers/fixture-store.ts';

const now = Date.UTC(2026, 2, 16, 12, 0, 0);
const january2026 = monthOf(Date.UTC(2026, 0, 15));

/** A whole stored block: what the read path uses, plus the counts and build time it keeps for checks. */
interface StoredBlock extends BlockRow {
  censored: number;
  unconfirmed: number;
  built_at: number;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function fixture(days = 120): FixtureStore {
  const opened = openFixtureStore({ days, now });
  cleanups.push(() => opened.close());
  return opened;
}

/** A store filled with generated vendors (four channels each) over `days`, in its own temp directory. */
function generated(options: { vendors: number; perDay: number; days: number; seed: number; end?: number }): { store: Store; clock: ManualClock } {
  const dir = mkdtempSync(join(tmpdir(), 'firstreply-rollups-'));
  const clock = new ManualClock(options.end ?? now);
  const store = openStore(join(dir, 'store.db'), clock);
  cleanups.push(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  fillStore(store, { vendors: generatedVendors(options.vendors, options.perDay, options.seed), days: options.days, now: clock.now(), seed: options.seed });
  return { store, clock };
}

const block = (store: Store, channelId: number, month: number) =>
  store.db.prepare<[number, number], StoredBlock>('SELECT * FROM probe_month_rollups WHERE channel_id = ? AND month = ?').get(channelId, month);
const blockCount = (store: Store) => store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM probe_month_rollups').get()?.n ?? 0;

/** The report through the month blocks, checked against the one read row by row; returns the former. */
function sameReports(store: Store, query: StatsQuery) {
  const withRollups = buildStatsReport(store, query);
  expect(withRollups).toStrictEqual(buildStatsReport(store, { ...query, rollups: false }));
  return withRollups;
}

function addSentProbe(store: Store, channelId: number, sentAt: number, tier: 'P2' | 'P3' = 'P3'): number {
  const probe = store.probes.create({
    token: newToken(),
    channelId,
    template: `question-${tier.toLowerCase()}`,
    tier,
    language: 'en',
    scheduledAt: sentAt - 30_000,
  });
  store.probes.markSending(probe.id);
  store.probes.markSent(probe.id, { sentAt, deadlineAt: sentAt + 8 * HOUR, expiresAt: sentAt + 7 * DAY });
  return probe.id;
}

function timing(overrides: Partial<ProbeTiming>): ProbeTiming {
  const sentAt = overrides.sent_at ?? Date.UTC(2026, 0, 10);
  return {
    id: 1,
    tier: 'P2',
    state: 'answered',
    sent_at: sentAt,
    deadline_at: sentAt + HOUR,
    expires_at: sentAt + 7 * DAY,
    first_human_at: sentAt + 30 * 60_000,
    first_ack_at: null,
    first_bot_at: sentAt + 1000,
    virtual_clock: 0,
    resolved_at: null,
    resolution_rounds: null,
    quality_flags: 0,
    ...overrides,
  };
}

describe('month math', () => {
  it('counts UTC calendar months from January 1970, across year ends and leap Februaries', () => {
    expect(monthOf(0)).toBe(0);
    expect(monthOf(-1)).toBe(-1);
    expect(monthStart(-1)).toBe(Date.UTC(1969, 11, 1));
    expect(monthOf(Date.UTC(2025, 11, 31, 23, 59, 59, 999))).toBe((2025 - 1970) * 12 + 11);
    expect(monthOf(Date.UTC(2026, 0, 1))).toBe((2026 - 1970) * 12);
    expect(monthEnd(monthOf(Date.UTC(2025, 11, 5)))).toBe(Date.UTC(2026, 0, 1));
    const leapFebruary = monthOf(Date.UTC(2024, 1, 29, 12));
    expect(monthEnd(leapFebruary) - monthStart(leapFebruary)).toBe(29 * DAY);
    const february = monthOf(Date.UTC(2023, 1, 28, 23, 59, 59, 999));
    expect(monthEnd(february)).toBe(Date.UTC(2023, 2, 1));
    expect(monthEnd(february) - monthStart(february)).toBe(28 * DAY);
    for (let month = -30; month < 1500; month++) {
      expect(monthOf(monthStart(month))).toBe(month);
      expect(monthOf(monthEnd(month) - 1)).toBe(month);
      expect(monthEnd(month)).toBe(monthStart(month + 1));
    }
    expect(() => monthOf(Number.MIN_SAFE_INTEGER)).toThrow(RangeError);
  });

  it('the triggers place a probe in the same month as the reader, at the first and last millisecond of a month', () => {
    // 450 days before 15 April 2025: whole blocks for February 2024 (leap) to March 2025.
    const { store, clock } = generated({ vendors: 1, perDay: 0.5, days: 450, seed: 3, end: Date.UTC(2025, 3, 15, 12) });
    const channelId = store.stats.channels()[0]?.id ?? 0;
    const edges = [
      [monthOf(Date.UTC(2024, 11, 15)), monthOf(Date.UTC(2025, 0, 15))], // December → January
      [monthOf(Date.UTC(2024, 1, 15)), monthOf(Date.UTC(2024, 2, 15))], // leap February → March
    ] as const;
    const window = { now: clock.now(), window: 'all', includePrivate: true } as const;
    for (const [before, after] of edges) {
      for (const [sentAt, hit, spared] of [
        [monthEnd(before) - 1, before, after],
        [monthStart(after), after, before],
      ] as const) {
        sameReports(store, window);
        expect(block(store, channelId, hit)).toMatchObject({ starts_at: monthStart(hit), ends_at: monthEnd(hit) });
        expect(block(store, channelId, spared)).toBeDefined();
        addSentProbe(store, channelId, sentAt);
        expect(block(store, channelId, hit)).toBeUndefined();
        expect(block(store, channelId, spared)).toBeDefined();
        const timings = store.stats.timings(channelId, Number.MIN_SAFE_INTEGER, clock.now());
        expect(timings).toStrictEqual(store.stats.timings(channelId, Number.MIN_SAFE_INTEGER, clock.now(), { rollups: false }));
        expect(timings.some((t) => t.sent_at === sentAt)).toBe(true);
        expect(block(store, channelId, hit)?.probes).toBe(timings.filter((t) => monthOf(t.sent_at) === hit).length);
      }
    }
  });
});

describe('block encoding', () => {
  const start = Date.UTC(2026, 0, 1);
  const rows = [
    timing({ id: 7, sent_at: start, resolved_at: start + 2 * HOUR + 0.5, resolution_rounds: 2, quality_flags: 1 | 2 | 4 }),
    timing({ id: 3, tier: 'P0', state: 'expired', sent_at: start + DAY, first_human_at: null, first_bot_at: null, deadline_at: null, virtual_clock: 1 }),
    timing({ id: 9, tier: 'P3', state: 'sent', sent_at: start + DAY, first_human_at: null, expires_at: null, first_ack_at: start + DAY + 5 }),
    timing({
      id: 2 ** 40 + 1,
      tier: 'P1',
      sent_at: monthEnd(january2026) - 1,
      resolved_at: monthEnd(january2026) + DAY,
      resolution_rounds: 254,
      quality_flags: 31,
    }),
  ];
  const expectation = { month: january2026, starts_at: monthStart(january2026), ends_at: monthEnd(january2026), probes: 4, answered: 2 };

  it('decodes to the same rows: values, NULLs, key order', () => {
    const decoded = decodeBlock(encodeBlock(rows), expectation);
    expect(decoded).toStrictEqual(rows);
    expect(JSON.stringify(decoded)).toBe(JSON.stringify(rows));
    expect(decodeBlock(encodeBlock([]), { ...expectation, probes: 0, answered: 0 })).toEqual([]);
  });

  it('refuses payloads of another version, size or month, and counts that disagree', () => {
    const good = encodeBlock(rows);
    const otherVersion = Buffer.from(good);
    otherVersion[0] = rollupFormat + 1;
    const cases: [Uint8Array, typeof expectation, RegExp][] = [
      [otherVersion, expectation, new RegExp(`format ${rollupFormat + 1}, expected ${rollupFormat}`)],
      [good.subarray(0, good.length - 1), expectation, /bytes, expected/],
      [good.subarray(0, 5), expectation, /shorter than the header/],
      [good, { ...expectation, probes: 5 }, /holds 4 probes, the row says 5/],
      [good, { ...expectation, answered: 3 }, /2 answered probes, the row says 3/],
      [good, { ...expectation, month: january2026 + 1, starts_at: monthStart(january2026 + 1), ends_at: monthEnd(january2026 + 1) }, /outside the month/],
      [good, { ...expectation, ends_at: expectation.ends_at + 1 }, /not the month's/],
      [encodeBlock([rows[1], rows[0]].filter((r) => r !== undefined)), { ...expectation, probes: 2, answered: 1 }, /out of order/],
    ];
    for (const [payload, expect_, message] of cases) expect(() => decodeBlock(payload, expect_)).toThrow(message);
    expect(() => decodeBlock(otherVersion, expectation)).toThrow(RollupFormatError);
  });

  it('refuses values it cannot hold exactly', () => {
    expect(() => encodeBlock([timing({ state: 'scheduled' })])).toThrow(/state scheduled has no code/);
    expect(() => encodeBlock([timing({ virtual_clock: 300 })])).toThrow(/virtual_clock 300/);
    expect(() => encodeBlock([timing({ resolution_rounds: 255 })])).toThrow(/resolution_rounds 255/);
    expect(() => encodeBlock([timing({ quality_flags: 256 })])).toThrow(/quality_flags 256/);
    expect(() => encodeBlock([{ ...timing({}), expires_at: '2026-01-17' as unknown as number }])).toThrow(/expires_at is string/);
  });
});

describe('statistics through month blocks', () => {
  it('equal the raw computation on the fixture store, for rolling and month-cutting windows', () => {
    const { store } = fixture();
    const queries: StatsQuery[] = [
      { now, window: 'all', includePrivate: true },
      { now, window: '90d' },
      { now, window: '30d', includePrivate: true },
      { now, from: Date.UTC(2025, 11, 17, 5, 3), to: Date.UTC(2026, 1, 10, 13), includePrivate: true },
      { now, from: Date.UTC(2025, 11, 1), to: Date.UTC(2026, 1, 1) - 1, includePrivate: true }, // exactly December and January
      { now, vendor: 'acme-cloud', channel: 'chat', window: 'all' },
      { now: Date.UTC(2026, 1, 3), window: 'all', includePrivate: true }, // a report about an earlier moment
    ];
    for (const query of queries) sameReports(store, query);
    expect(blockCount(store)).toBeGreaterThan(0);
  });

  it('read stored blocks on later reports instead of rebuilding them', () => {
    const { store, clock } = fixture();
    const query = { now, window: 'all', includePrivate: true } as const;
    sameReports(store, query);
    const before = store.db.prepare<[], { n: number; built: number }>('SELECT count(*) AS n, max(built_at) AS built FROM probe_month_rollups').get();
    clock.advance(1000);
    sameReports(store, query);
    expect(store.db.prepare<[], { n: number; built: number }>('SELECT count(*) AS n, max(built_at) AS built FROM probe_month_rollups').get()).toEqual(before);
  });

  it('hold counts that agree with their payload and with the raw rows of their month', () => {
    const { store } = fixture();
    sameReports(store, { now, window: 'all', includePrivate: true });
    const blocks = store.db.prepare<[], StoredBlock & { channel_id: number }>('SELECT * FROM probe_month_rollups').all();
    expect(blocks.length).toBeGreaterThan(10);
    for (const b of blocks) {
      const rows = decodeBlock(b.payload, b);
      const raw = store.stats.timings(b.channel_id, b.starts_at, b.ends_at - 1, { rollups: false });
      expect(rows).toStrictEqual(raw);
      expect(b.probes).toBe(rows.length);
      expect(b.answered).toBe(rows.filter((r) => r.first_human_at !== null).length);
      expect(b.censored).toBe(b.probes - b.answered);
      expect(b.unconfirmed).toBe(store.stats.unconfirmedLabels(b.channel_id, b.starts_at, b.ends_at - 1, { rollups: false }));
    }
  });

  it('equal the raw computation on generated data, random windows cutting months, ties and simulated clocks', () => {
    const { store, clock } = generated({ vendors: 2, perDay: 1.2, days: 420, seed: 5 });
    const channelIds = store.stats.channels().map((c) => c.id);
    // Ties in sent_at (ordered by id in both paths) and probes made on a simulated clock.
    const tie = Date.UTC(2025, 6, 9, 10);
    for (const tier of ['P3', 'P2', 'P3'] as const) addSentProbe(store, channelIds[0] ?? 0, tie, tier);
    store.db.exec('UPDATE probes SET virtual_clock = 1 WHERE id % 17 = 0');
    // Answer quality: measured probes, some resolved after one or more rounds, flags of every kind.
    store.db.exec(`UPDATE probes SET quality_flags = (id % 32) | 1 WHERE id % 3 <> 0`);
    store.db.exec(
      `UPDATE probes SET resolved_at = first_human_at + (id % 5) * 3600000, resolution_rounds = 1 + id % 4 WHERE first_human_at IS NOT NULL AND id % 3 = 1`,
    );
    const random = seededRandom(99);
    for (let i = 0; i < 25; i++) {
      const from = clock.now() - Math.round(random() * 460 * DAY);
      const to = Math.min(from + Math.round(random() * 400 * DAY), clock.now() + (i % 5 === 0 ? 3 * DAY : 0));
      sameReports(store, { now: clock.now(), from, to, includePrivate: true });
      for (const id of channelIds) {
        expect(store.stats.timings(id, from, to)).toStrictEqual(store.stats.timings(id, from, to, { rollups: false }));
        expect(store.stats.unconfirmedLabels(id, from, to)).toBe(store.stats.unconfirmedLabels(id, from, to, { rollups: false }));
      }
    }
    const all = sameReports(store, { now: clock.now(), window: 'all', includePrivate: true });
    expect(all.demoTime).toBe(true);
    expect(blockCount(store)).toBeGreaterThan(8 * 12);
  });
});

describe('writes invalidate the blocks they touch', () => {
  const query = { now, window: 'all', includePrivate: true } as const;

  /**
   * Builds every block, makes the write, and checks: the written month's block is gone, the other blocks stay,
   * the report changed and equals the raw one, and the month's block is back.
   */
  function afterWrite(store: Store, clock: ManualClock, channelId: number, write: () => void): void {
    const before = sameReports(store, query);
    const others = store.db
      .prepare<[number, number], { month: number; built_at: number }>(
        'SELECT month, built_at FROM probe_month_rollups WHERE channel_id = ? AND month <> ? ORDER BY month',
      )
      .all(channelId, january2026);
    expect(block(store, channelId, january2026)).toBeDefined();
    expect(others.length).toBeGreaterThan(0);
    clock.advance(1000);
    write();
    expect(block(store, channelId, january2026)).toBeUndefined();
    const after = sameReports(store, { ...query, now: clock.now() });
    expect({ ...after, generatedAt: before.generatedAt }).not.toStrictEqual(before);
    expect(block(store, channelId, january2026)?.built_at).toBe(clock.now());
    expect(
      store.db
        .prepare<[number, number], { month: number; built_at: number }>(
          'SELECT month, built_at FROM probe_month_rollups WHERE channel_id = ? AND month <> ? ORDER BY month',
        )
        .all(channelId, january2026),
    ).toEqual(others);
  }

  /** A probe of January 2026 matching `where` (columns of probes p). */
  function januaryProbe(
    store: Store,
    where: string,
  ): { id: number; channel_id: number; sent_at: number; first_ack_at: number | null; first_bot_at: number | null } {
    const found = store.db
      .prepare<[number, number], { id: number; channel_id: number; sent_at: number; first_ack_at: number | null; first_bot_at: number | null }>(
        `SELECT p.id, p.channel_id, p.sent_at, p.first_ack_at, p.first_bot_at FROM probes p WHERE p.sent_at >= ? AND p.sent_at < ? AND ${where} ORDER BY p.id LIMIT 1`,
      )
      .get(monthStart(january2026), monthEnd(january2026));
    if (!found) throw new Error(`fixture has no January 2026 probe where ${where}`);
    return found;
  }

  it('(a) a late human reply on an expired probe', () => {
    const { store, clock } = fixture();
    const probe = januaryProbe(store, `p.state = 'expired'`);
    afterWrite(store, clock, probe.channel_id, () => {
      store.probes.setTimeline(probe.id, { first_ack_at: probe.first_ack_at, first_bot_at: probe.first_bot_at, first_human_at: probe.sent_at + 9 * DAY });
    });
    expect(store.probes.get(probe.id)?.state).toBe('answered');
  });

  it('(b) a probe inserted with an old send time', () => {
    const { store, clock } = fixture();
    const probe = januaryProbe(store, `p.state = 'answered'`);
    afterWrite(store, clock, probe.channel_id, () => addSentProbe(store, probe.channel_id, Date.UTC(2026, 0, 20, 8)));
  });

  it('(c) a review of a message', () => {
    const { store, clock } = fixture();
    const probe = januaryProbe(store, `EXISTS (SELECT 1 FROM messages m WHERE m.probe_id = p.id AND m.source <> 'manual')`);
    const messageId = store.db.prepare<[number], { id: number }>('SELECT id FROM messages WHERE probe_id = ? ORDER BY id LIMIT 1').get(probe.id)?.id ?? 0;
    const unconfirmed = (): number => store.stats.unconfirmedLabels(probe.channel_id, Number.MIN_SAFE_INTEGER, clock.now());
    const before = unconfirmed();
    afterWrite(store, clock, probe.channel_id, () => store.reviews.add(messageId, 'human', 'tester'));
    expect(unconfirmed()).toBe(before - 1);
  });

  it('(d) a deleted probe', () => {
    const { store, clock } = fixture();
    const probe = januaryProbe(store, `p.state IN ('answered', 'expired') AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.probe_id = p.id)`);
    afterWrite(store, clock, probe.channel_id, () => store.db.prepare('DELETE FROM probes WHERE id = ?').run(probe.id));
  });

  it('(e) a message attached to a probe after the fact', () => {
    const { store, clock } = fixture();
    const probe = januaryProbe(store, `p.state = 'expired'`);
    const messageId =
      store.messages.insert({
        probe_id: null,
        source: 'imap',
        mailbox: 'default',
        folder: 'INBOX',
        uidvalidity: 9,
        uid: 1,
        message_id: '<late@vendor.example>',
        in_reply_to: null,
        subject: 'Re: question',
        from_addr: 'agent@vendor.example',
        received_at: probe.sent_at + DAY,
        detected_at: probe.sent_at + DAY,
        header_date: null,
        raw_path: null,
        raw_sha256: null,
        size: 100,
        headers: '{}',
        body_text: 'late',
        label: 'unknown',
        confidence: 0.3,
        reasons: '[]',
        match_method: null,
        parse_error: null,
      }) ?? 0;
    afterWrite(store, clock, probe.channel_id, () => store.messages.attach(messageId, probe.id, 'manual'));
  });

  it('(f) a person marks a reply as resolving the question', () => {
    const { store, clock } = fixture();
    const probe = januaryProbe(store, `EXISTS (SELECT 1 FROM messages m WHERE m.probe_id = p.id AND m.label = 'human')`);
    const messageId =
      store.db.prepare<[number], { id: number }>(`SELECT id FROM messages WHERE probe_id = ? AND label = 'human' ORDER BY id LIMIT 1`).get(probe.id)?.id ?? 0;
    afterWrite(store, clock, probe.channel_id, () => markResolution(store, messageId, true, 'tester'));
    expect(store.quality.forProbe(probe.id)).toMatchObject({ resolution_rounds: 1, resolved_by: 'mark' });
  });

  it('leaves blocks alone when a write changes nothing the statistics read', () => {
    const { store, clock } = fixture();
    const probe = januaryProbe(store, `p.state = 'answered'`);
    sameReports(store, query);
    const built = block(store, probe.channel_id, january2026)?.built_at;
    clock.advance(1000);
    store.probes.addEvidence(probe.id, 'evidence/screenshot.png');
    store.probes.setTicket(probe.id, 'T-1');
    const current = store.probes.get(probe.id);
    store.probes.setTimeline(probe.id, {
      first_ack_at: current?.first_ack_at ?? null,
      first_bot_at: current?.first_bot_at ?? null,
      first_human_at: current?.first_human_at ?? null,
    });
    expect(block(store, probe.channel_id, january2026)?.built_at).toBe(built);
  });
});

describe('damaged blocks', () => {
  it("are rebuilt from the probes, never read: another version, truncated, or another month's payload", () => {
    const { store, clock } = fixture();
    const query = { now, window: 'all', includePrivate: true } as const;
    const reference = sameReports(store, query);
    const channelId = store.vendors.channel('acme-cloud', 'chat')?.id ?? 0;
    const january = block(store, channelId, january2026);
    const december = block(store, channelId, january2026 - 1);
    if (!january || !december) throw new Error('fixture lacks acme-cloud/chat blocks for December 2025 and January 2026');
    const otherVersion = Buffer.from(january.payload);
    otherVersion[0] = rollupFormat + 1;
    const damage: [string, Buffer, Partial<StoredBlock>][] = [
      ['another version', otherVersion, {}],
      ['truncated', january.payload.subarray(0, january.payload.length - 8), {}],
      ["December's payload and counts", december.payload, { probes: december.probes, answered: december.answered, censored: december.censored }],
    ];
    const update = store.db.prepare(
      'UPDATE probe_month_rollups SET payload = @payload, probes = @probes, answered = @answered, censored = @censored WHERE channel_id = @channelId AND month = @month',
    );
    for (const [what, payload, counts] of damage) {
      clock.advance(1000);
      update.run({ payload, probes: january.probes, answered: january.answered, censored: january.censored, ...counts, channelId, month: january2026 });
      expect(sameReports(store, query), what).toStrictEqual(reference);
      const rebuilt = block(store, channelId, january2026);
      expect(rebuilt?.built_at, what).toBe(clock.now());
      expect(rebuilt?.payload.equals(january.payload), what).toBe(true);
    }
  });
});

describe('a store another connection is writing to', () => {
  it('answers from the probes without storing blocks while it cannot take the write lock', () => {
    const { store, dir } = fixture();
    const query = { now, window: 'all', includePrivate: true } as const;
    store.db.pragma('busy_timeout = 20');
    const other = new Database(join(dir, 'fixture.db'));
    try {
      other.exec('BEGIN IMMEDIATE');
      sameReports(store, query);
      expect(blockCount(store)).toBe(0);
      other.exec('COMMIT');
    } finally {
      other.close();
    }
    sameReports(store, query);
    expect(blockCount(store)).toBeGreaterThan(0);
  });
});
