// Read-only queries behind the statistics: probe timings per channel and window, last send, unconfirmed labels, and
// the probes awaiting review (left out of the timings: neither answered nor unanswered until a person labels a reply).
// Probes whose outcome fell inside an outage of our own mailbox (outage_id, migration 013) are in none of them.
// Months that lie wholly inside the window and have ended are read from month blocks (src/store/rollups.ts),
// built on first use; the partial months at the window's edges and the current month are read row by row.
import type Database from 'better-sqlite3';
import type { Db } from './db.ts';
import type { Clock } from '../core/clock.ts';
import type { Tier } from '../config/schema.ts';
import type { ProbeState } from './probes.ts';
import { RollupFormatError, decodeBlock, encodeBlock, monthEnd, monthOf, monthStart } from './rollups.ts';

/** The columns statistics need (all in the covering index probes_channel_sent), of probes not awaiting review. */
export interface ProbeTiming {
  id: number;
  tier: Tier;
  state: ProbeState;
  sent_at: number;
  deadline_at: number | null;
  expires_at: number | null;
  first_human_at: number | null;
  first_ack_at: number | null;
  first_bot_at: number | null;
  virtual_clock: number;
  /** The resolving reply's arrival (src/quality/), null while unresolved. */
  resolved_at: number | null;
  /** Human replies up to the resolving one. */
  resolution_rounds: number | null;
  /** Bits of src/quality/probe-quality.ts qualityFlag (measured, canned, asked for given, language mismatch, hand-off). */
  quality_flags: number;
}

/** A channel as the statistics need it (without its definition). */
export interface StatsChannel {
  id: number;
  vendor: string;
  channel: string;
  kind: string;
}

export interface StatsReadOptions {
  /** false: read every probe row, bypassing the month blocks (the reference for checks and benches). Default true. */
  rollups?: boolean;
}

/** The columns of probe_month_rollups the read path uses. */
export interface BlockRow {
  month: number;
  starts_at: number;
  ends_at: number;
  probes: number;
  answered: number;
  payload: Buffer;
}

/** Counts a block keeps beside its payload. */
interface MonthCounts {
  unconfirmed: number;
  awaiting: number;
}

interface BuiltMonth extends MonthCounts {
  rows: ProbeTiming[];
}

const measuredStates = `('sent', 'answered', 'expired')`;

/** The months read from blocks for one channel and window, or null when everything is read row by row. */
interface BlockSpan {
  first: number;
  last: number;
}

/** Writing a block is optional: when another connection holds the write lock (or the file is read-only), read raw. */
function cannotWrite(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_READONLY'));
}

export function statsQueries(db: Db, clock: Clock) {
  // Ties in sent_at are broken by id, so month-by-month reads concatenate to the order of one read of the window.
  const timingsSql = (
    upper: '<=' | '<',
  ) => `SELECT id, tier, state, sent_at, deadline_at, expires_at, first_human_at, first_ack_at, first_bot_at, virtual_clock,
      resolved_at, resolution_rounds, quality_flags
    FROM probes INDEXED BY probes_channel_sent WHERE channel_id = ? AND sent_at >= ? AND sent_at ${upper} ? AND state IN ${measuredStates}
      AND review_since IS NULL AND outage_id IS NULL ORDER BY sent_at, id`;
  // A probe hidden by our own outage is in no figure, not even the awaiting-review count.
  const awaitingSql = (upper: '<=' | '<') => `SELECT count(*) AS n FROM probes INDEXED BY probes_channel_sent
    WHERE channel_id = ? AND sent_at >= ? AND sent_at ${upper} ? AND state IN ${measuredStates} AND review_since IS NOT NULL AND outage_id IS NULL`;
  const unconfirmedSql = (upper: '<=' | '<') => `SELECT count(*) AS n FROM probes p INDEXED BY probes_channel_sent
    JOIN messages m ON m.probe_id = p.id
    WHERE p.channel_id = ? AND p.sent_at >= ? AND p.sent_at ${upper} ? AND p.state IN ${measuredStates}
      AND p.outage_id IS NULL AND m.source <> 'manual' AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.message_id = m.id)`;
  /** [from, to], both inclusive, as callers ask. */
  const timingsThrough = db.prepare<[number, number, number], ProbeTiming>(timingsSql('<='));
  /** [from, before): a month, or the head of a window up to its first block. */
  const timingsBefore = db.prepare<[number, number, number], ProbeTiming>(timingsSql('<'));
  const unconfirmedThrough = db.prepare<[number, number, number], { n: number }>(unconfirmedSql('<='));
  const unconfirmedBefore = db.prepare<[number, number, number], { n: number }>(unconfirmedSql('<'));
  const awaitingThrough = db.prepare<[number, number, number], { n: number }>(awaitingSql('<='));
  const awaitingBefore = db.prepare<[number, number, number], { n: number }>(awaitingSql('<'));
  const anyVirtual = db.prepare<[number, number, number], { found: number }>(`SELECT 1 AS found FROM probes INDEXED BY probes_channel_sent
    WHERE channel_id = ? AND sent_at >= ? AND sent_at <= ? AND state IN ${measuredStates} AND review_since IS NULL AND outage_id IS NULL
      AND virtual_clock = 1 LIMIT 1`);
  const lastSent = db.prepare<[number], { at: number | null }>(`SELECT max(sent_at) AS at FROM probes WHERE channel_id = ? AND sent_at IS NOT NULL`);
  const firstSent = db.prepare<[number], { at: number | null }>(`SELECT min(sent_at) AS at FROM probes WHERE channel_id = ? AND sent_at IS NOT NULL`);
  const blocks = db.prepare<[number, number, number], BlockRow>(`SELECT month, starts_at, ends_at, probes, answered, payload
    FROM probe_month_rollups WHERE channel_id = ? AND month BETWEEN ? AND ? ORDER BY month`);
  const blockCounts = db.prepare<[number, number, number], { month: number } & MonthCounts>(`SELECT month, unconfirmed, awaiting
    FROM probe_month_rollups WHERE channel_id = ? AND month BETWEEN ? AND ? ORDER BY month`);
  const saveBlock =
    db.prepare(`INSERT OR REPLACE INTO probe_month_rollups (channel_id, month, starts_at, ends_at, probes, answered, censored, unconfirmed, awaiting, payload, built_at)
    VALUES (@channelId, @month, @startsAt, @endsAt, @probes, @answered, @censored, @unconfirmed, @awaiting, @payload, @builtAt)`);
  const allChannels = db.prepare<[], StatsChannel>('SELECT id, vendor, channel, kind FROM channels ORDER BY vendor, channel');
  const vendorChannels = db.prepare<[string], StatsChannel>('SELECT id, vendor, channel, kind FROM channels WHERE vendor = ? ORDER BY channel');

  /**
   * Months wholly inside [from, to] that ended by now (the current month changes with every probe) and start no
   * earlier than the channel's first send (an "all" window starts at the dawn of time).
   */
  function blockSpan(channelId: number, from: number, to: number): BlockSpan | null {
    const first = firstSent.get(channelId)?.at ?? null;
    if (first === null) return null;
    const lo = Math.max(from, first);
    const hi = Math.min(to, clock.now());
    if (!(lo <= hi)) return null;
    let firstMonth = monthOf(lo);
    if (monthStart(firstMonth) < from) firstMonth++;
    // The month holding `hi` is not over by `hi` (it runs past `to`, or has not ended yet); the one before it is.
    const lastMonth = monthOf(hi) - 1;
    return firstMonth <= lastMonth ? { first: firstMonth, last: lastMonth } : null;
  }

  /** One month read row by row: what a block holds. */
  function readMonth(channelId: number, month: number): BuiltMonth {
    const startsAt = monthStart(month);
    const endsAt = monthEnd(month);
    return {
      rows: timingsBefore.all(channelId, startsAt, endsAt),
      unconfirmed: unconfirmedBefore.get(channelId, startsAt, endsAt)?.n ?? 0,
      awaiting: awaitingBefore.get(channelId, startsAt, endsAt)?.n ?? 0,
    };
  }

  function saveMonth(channelId: number, month: number, built: BuiltMonth): void {
    let payload: Buffer;
    try {
      payload = encodeBlock(built.rows);
    } catch (err) {
      if (err instanceof RollupFormatError) return; // a value the format cannot hold exactly: this month stays raw
      throw err;
    }
    const answered = built.rows.filter((r) => r.first_human_at !== null).length;
    saveBlock.run({
      channelId,
      month,
      startsAt: monthStart(month),
      endsAt: monthEnd(month),
      probes: built.rows.length,
      answered,
      censored: built.rows.length - answered,
      unconfirmed: built.unconfirmed,
      awaiting: built.awaiting,
      payload,
      builtAt: clock.now(),
    });
  }

  /**
   * Reads the missing months of a channel row by row and stores their blocks, all in one write transaction (so no
   * write slips in between reading a month and storing it, and a cold 2-year window costs one commit, not 24).
   */
  function buildBlocks(channelId: number, months: readonly number[]): BuiltMonth[] {
    if (db.readonly) return months.map((month) => readMonth(channelId, month));
    const build = db.transaction(() =>
      months.map((month) => {
        const built = readMonth(channelId, month);
        saveMonth(channelId, month, built);
        return built;
      }),
    );
    try {
      return build.immediate();
    } catch (err) {
      if (cannotWrite(err)) return months.map((month) => readMonth(channelId, month));
      throw err;
    }
  }

  /** A stored block's rows, or undefined when it is of another format or inconsistent (it is then rebuilt). */
  function storedRows(row: BlockRow): ProbeTiming[] | undefined {
    try {
      return decodeBlock(row.payload, row);
    } catch (err) {
      if (err instanceof RollupFormatError) return undefined;
      throw err;
    }
  }

  /** The rows of each month of the span, from its block, or built now when the block is missing or unreadable. */
  function spanRows(channelId: number, span: BlockSpan): ProbeTiming[][] {
    const stored = blocks.all(channelId, span.first, span.last);
    const parts: ProbeTiming[][] = [];
    const missing: number[] = [];
    let next = 0;
    for (let month = span.first; month <= span.last; month++) {
      const row = stored[next]?.month === month ? stored[next++] : undefined;
      const rows = row && storedRows(row);
      if (rows === undefined) missing.push(month);
      parts.push(rows ?? []);
    }
    if (missing.length > 0) {
      for (const [i, built] of buildBlocks(channelId, missing).entries()) parts[(missing[i] ?? 0) - span.first] = built.rows;
    }
    return parts;
  }

  function timings(channelId: number, from: number, to: number, options: StatsReadOptions = {}): ProbeTiming[] {
    const span = options.rollups === false ? null : blockSpan(channelId, from, to);
    if (span === null) return timingsThrough.all(channelId, from, to);
    const out = timingsBefore.all(channelId, from, monthStart(span.first));
    for (const rows of spanRows(channelId, span)) for (const r of rows) out.push(r);
    for (const r of timingsThrough.all(channelId, monthEnd(span.last), to)) out.push(r);
    return out;
  }

  /** A count kept beside each block: the edge months row by row, the whole months from their blocks. */
  function monthlyCount(
    count: keyof MonthCounts,
    through: Database.Statement<[number, number, number], { n: number }>,
    before: Database.Statement<[number, number, number], { n: number }>,
  ) {
    return (channelId: number, from: number, to: number, options: StatsReadOptions = {}): number => {
      const span = options.rollups === false ? null : blockSpan(channelId, from, to);
      if (span === null) return through.get(channelId, from, to)?.n ?? 0;
      let n = before.get(channelId, from, monthStart(span.first))?.n ?? 0;
      const stored = blockCounts.all(channelId, span.first, span.last);
      const missing: number[] = [];
      let next = 0;
      for (let month = span.first; month <= span.last; month++) {
        const row = stored[next]?.month === month ? stored[next++] : undefined;
        if (row) n += row[count];
        else missing.push(month);
      }
      if (missing.length > 0) for (const built of buildBlocks(channelId, missing)) n += built[count];
      return n + (through.get(channelId, monthEnd(span.last), to)?.n ?? 0);
    };
  }

  return {
    /** Channels of one vendor, or of all. */
    channels: (vendor?: string) => (vendor === undefined ? allChannels.all() : vendorChannels.all(vendor)),
    /** Measured probes (sent, answered or expired) of a channel sent in [from, to], oldest first (ties by id). */
    timings,
    /** Whether any of `timings(channelId, from, to)` was made on a simulated clock (read from the index alone). */
    virtualClock: (channelId: number, from: number, to: number) => anyVirtual.get(channelId, from, to) !== undefined,
    lastSentAt: (channelId: number) => lastSent.get(channelId)?.at ?? null,
    /** Messages of those probes that no person has reviewed (those recorded by hand need no review). */
    unconfirmedLabels: monthlyCount('unconfirmed', unconfirmedThrough, unconfirmedBefore),
    /** Probes sent in [from, to] awaiting a person's review of their earliest candidate reply (not in `timings`). */
    awaitingReview: monthlyCount('awaiting', awaitingThrough, awaitingBefore),
  };
}
