// Month blocks: the measured probes of one channel in one UTC calendar month (not those awaiting review, which are
// counted beside the block, nor those hidden by our own mailbox outage), packed column by column into one blob.
// A long statistics window then reads a few dozen blobs per channel instead of having the SQLite driver build one
// object per probe row. The blocks hold every value exactly (float64 for times and ids), so anything computed from
// them equals the computation on the raw rows; triggers (migrations 007, 010, 013, 015) delete a block whenever its rows change.
import { tiers, type Tier } from '../config/schema.ts';
import type { ProbeState } from './probes.ts';
import type { ProbeTiming } from './stats.ts';

/**
 * Bumped whenever the layout or what a block holds changes; a block of another version is rebuilt from the probes,
 * never misread. 2: probes awaiting review are left out of the payload and counted in the row's `awaiting`.
 * 3: probes hidden by a mailbox outage (outage_id) are left out of the payload and of every count.
 * 4: answer quality: resolved_at (float64), resolution_rounds and quality_flags (u8 each; rounds 255 = NULL).
 */
export const rollupFormat = 4;

/** A block that cannot be written or read as it stands; the reader rebuilds it from the probes. */
export class RollupFormatError extends Error {
  override name = 'RollupFormatError';
}

// The largest moment a JavaScript Date holds; month math outside it would give NaN.
const maxDateMs = 8.64e15;

/** UTC calendar months since January 1970 (0 = 1970-01, 12 = 1971-01, -1 = 1969-12). */
export function monthOf(ms: number): number {
  if (!Number.isFinite(ms) || Math.abs(ms) > maxDateMs) throw new RangeError(`monthOf: ${ms} is not a representable moment`);
  const date = new Date(ms);
  return (date.getUTCFullYear() - 1970) * 12 + date.getUTCMonth();
}

/** First millisecond of a month (Date.UTC carries month overflow into the year). */
export const monthStart = (month: number): number => Date.UTC(1970, month, 1);
/** First millisecond of the next month: blocks cover [monthStart, monthEnd). */
export const monthEnd = (month: number): number => Date.UTC(1970, month + 1, 1);

// Layout (little-endian): version u8, 3 zero bytes, row count u32; then eight float64 columns (NaN for NULL) and
// five u8 columns, each `count` long, rows in the order the raw query returns them (sent_at, then id).
const headerBytes = 8;
const floatColumns = ['id', 'sent_at', 'deadline_at', 'expires_at', 'first_human_at', 'first_ack_at', 'first_bot_at', 'resolved_at'] as const;
const byteColumns = 5;
/** resolution_rounds NULL; more rounds than 254 cannot be stored (the month is then read raw). */
const noRounds = 255;
const stateCodes: readonly ProbeState[] = ['sent', 'answered', 'expired'];
const tierCodes: readonly Tier[] = tiers;

const blockBytes = (count: number): number => headerBytes + count * (floatColumns.length * 8 + byteColumns);

function byteOf(value: unknown, column: string, id: number, max = 255): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new RollupFormatError(`probe ${id}: ${column} ${String(value)} does not fit a byte`);
  }
  return value;
}

function code<T>(codes: readonly T[], value: T, column: string, id: number): number {
  const index = codes.indexOf(value);
  if (index < 0) throw new RollupFormatError(`probe ${id}: ${column} ${String(value)} has no code in rollup format ${rollupFormat}`);
  return index;
}

/** Packs a month's rows; throws RollupFormatError when a value cannot be stored exactly (the month is then read raw). */
export function encodeBlock(rows: readonly ProbeTiming[]): Buffer {
  const count = rows.length;
  const buffer = Buffer.alloc(blockBytes(count));
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  view.setUint8(0, rollupFormat);
  view.setUint32(4, count, true);
  const bytesStart = headerBytes + count * floatColumns.length * 8;
  for (const [i, row] of rows.entries()) {
    for (const [c, column] of floatColumns.entries()) {
      const value: unknown = row[column];
      if (value !== null && typeof value !== 'number') throw new RollupFormatError(`probe ${row.id}: ${column} is ${typeof value}, not a number`);
      if (value === null && (column === 'id' || column === 'sent_at')) throw new RollupFormatError(`probe ${row.id}: ${column} is NULL`);
      view.setFloat64(headerBytes + (c * count + i) * 8, value ?? Number.NaN, true);
    }
    view.setUint8(bytesStart + i, code(tierCodes, row.tier, 'tier', row.id));
    view.setUint8(bytesStart + count + i, code(stateCodes, row.state, 'state', row.id));
    view.setUint8(bytesStart + 2 * count + i, byteOf(row.virtual_clock, 'virtual_clock', row.id));
    view.setUint8(
      bytesStart + 3 * count + i,
      row.resolution_rounds === null ? noRounds : byteOf(row.resolution_rounds, 'resolution_rounds', row.id, noRounds - 1),
    );
    view.setUint8(bytesStart + 4 * count + i, byteOf(row.quality_flags, 'quality_flags', row.id));
  }
  return buffer;
}

/** What the block's row says about itself; the payload must agree with it. */
interface BlockExpectation {
  month: number;
  starts_at: number;
  ends_at: number;
  probes: number;
  answered: number;
}

/**
 * Unpacks a block into the rows the raw query returns (same order, values and key order). Throws RollupFormatError
 * when the payload is of another version, has the wrong size, or disagrees with its own counts or month.
 */
export function decodeBlock(payload: Uint8Array, expect: BlockExpectation): ProbeTiming[] {
  const where = `rollup of month ${expect.month}`;
  if (expect.starts_at !== monthStart(expect.month) || expect.ends_at !== monthEnd(expect.month)) {
    throw new RollupFormatError(`${where}: bounds ${expect.starts_at}..${expect.ends_at} are not the month's`);
  }
  if (payload.byteLength < headerBytes) throw new RollupFormatError(`${where}: ${payload.byteLength} bytes, shorter than the header`);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const version = view.getUint8(0);
  if (version !== rollupFormat) throw new RollupFormatError(`${where}: format ${version}, expected ${rollupFormat}`);
  const count = view.getUint32(4, true);
  if (count !== expect.probes) throw new RollupFormatError(`${where}: payload holds ${count} probes, the row says ${expect.probes}`);
  if (payload.byteLength !== blockBytes(count)) throw new RollupFormatError(`${where}: ${payload.byteLength} bytes, expected ${blockBytes(count)}`);
  const float = (column: number, i: number): number | null => {
    const value = view.getFloat64(headerBytes + (column * count + i) * 8, true);
    return Number.isNaN(value) ? null : value;
  };
  const bytesStart = headerBytes + count * floatColumns.length * 8;
  const rows: ProbeTiming[] = new Array<ProbeTiming>(count);
  let answered = 0;
  let previous: ProbeTiming | undefined;
  for (let i = 0; i < count; i++) {
    const id = float(0, i);
    const sentAt = float(1, i);
    const tier = tierCodes[view.getUint8(bytesStart + i)];
    const state = stateCodes[view.getUint8(bytesStart + count + i)];
    const rounds = view.getUint8(bytesStart + 3 * count + i);
    if (id === null || sentAt === null || tier === undefined || state === undefined)
      throw new RollupFormatError(`${where}: row ${i} has no id, send time, tier or state`);
    if (sentAt < expect.starts_at || sentAt >= expect.ends_at) throw new RollupFormatError(`${where}: probe ${id} sent at ${sentAt}, outside the month`);
    if (previous && (sentAt < previous.sent_at || (sentAt === previous.sent_at && id <= previous.id))) {
      throw new RollupFormatError(`${where}: probe ${id} out of order`);
    }
    // Keys in the order of the SELECT, so a decoded row is indistinguishable from a raw one (JSON included).
    const row: ProbeTiming = {
      id,
      tier,
      state,
      sent_at: sentAt,
      deadline_at: float(2, i),
      expires_at: float(3, i),
      first_human_at: float(4, i),
      first_ack_at: float(5, i),
      first_bot_at: float(6, i),
      virtual_clock: view.getUint8(bytesStart + 2 * count + i),
      resolved_at: float(7, i),
      resolution_rounds: rounds === noRounds ? null : rounds,
      quality_flags: view.getUint8(bytesStart + 4 * count + i),
    };
    if (row.first_human_at !== null) answered++;
    rows[i] = row;
    previous = row;
  }
  if (answered !== expect.answered) throw new RollupFormatError(`${where}: payload has ${answered} answered probes, the row says ${expect.answered}`);
  return rows;
}
