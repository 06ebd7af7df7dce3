// The catch-up planner: what a folder's catch-up reads, from its UIDVALIDITY, the last UID seen, sizes and the byte budget.
import { describe, expect, it } from 'vitest';
import { byteBatches, historySlackMs, planFetch, planScan, type FolderFacts, type ScanPlan } from '../../src/watch/catch-up.ts';

const t0 = Date.UTC(2026, 2, 2, 9);
const MB = 1024 * 1024;

describe('planScan', () => {
  const cases: { name: string; facts: FolderFacts; plan: ScanPlan }[] = [
    {
      name: 'known folder, empty: nothing to do',
      facts: { stored: { uidvalidity: 7, last_uid: 40 }, uidValidity: 7, exists: 0, uidNext: 41 },
      plan: { kind: 'nothing' },
    },
    {
      name: 'known folder: from the UID after the last seen, every date',
      facts: { stored: { uidvalidity: 7, last_uid: 40 }, uidValidity: 7, exists: 12, uidNext: 53 },
      plan: { kind: 'scan', fromUid: 41, since: undefined, known: true },
    },
    {
      name: 'first run, empty folder: UIDNEXT − 1 is seen',
      facts: { stored: undefined, uidValidity: 7, exists: 0, uidNext: 9, oldestOpenAt: t0 },
      plan: { kind: 'mark', lastUid: 8 },
    },
    {
      name: 'first run, empty new folder: never below 0',
      facts: { stored: undefined, uidValidity: 7, exists: 0, uidNext: 0, oldestOpenAt: null },
      plan: { kind: 'mark', lastUid: 0 },
    },
    {
      name: 'first run, no open probe: the history is skipped',
      facts: { stored: undefined, uidValidity: 7, exists: 500, uidNext: 501, oldestOpenAt: null },
      plan: { kind: 'mark-last' },
    },
    {
      name: 'first run with open probes: from UID 1, mail since the oldest send (minus slack)',
      facts: { stored: undefined, uidValidity: 7, exists: 500, uidNext: 501, oldestOpenAt: t0 },
      plan: { kind: 'scan', fromUid: 1, since: t0 - historySlackMs, known: false },
    },
    {
      name: 'UIDVALIDITY changed: from UID 1, mail since the last progress (minus slack)',
      facts: { stored: { uidvalidity: 7, last_uid: 40 }, uidValidity: 8, exists: 30, uidNext: 31, progressAt: t0, oldestOpenAt: t0 - 9_999_999 },
      plan: { kind: 'scan', fromUid: 1, since: t0 - historySlackMs, known: false },
    },
    {
      name: 'UIDVALIDITY changed, nothing stored since: as a first run',
      facts: { stored: { uidvalidity: 7, last_uid: 40 }, uidValidity: 8, exists: 30, uidNext: 31, progressAt: undefined, oldestOpenAt: null },
      plan: { kind: 'mark-last' },
    },
  ];
  it.each(cases)('$name', ({ facts, plan }) => {
    expect(planScan(facts)).toEqual(plan);
  });
});

describe('planFetch', () => {
  const known = { kind: 'scan', fromUid: 41, since: undefined, known: true } as const;
  const fresh = { kind: 'scan', fromUid: 1, since: t0, known: false } as const;
  const cases: {
    name: string;
    scan: typeof known | typeof fresh;
    listed: { uid: number; size?: number; internalDate?: number }[];
    maxBytes: number;
    budget: number;
    count: number;
    batches: number[][];
    markLast: boolean;
  }[] = [
    { name: 'nothing new in a known folder', scan: known, listed: [], maxBytes: 4 * MB, budget: 8 * MB, count: 50, batches: [], markLast: false },
    {
      name: 'nothing new in a new folder: its last UID is recorded',
      scan: fresh,
      listed: [{ uid: 3, internalDate: t0 - 1 }],
      maxBytes: 4 * MB,
      budget: 8 * MB,
      count: 50,
      batches: [],
      markLast: true,
    },
    {
      name: 'the server returns the last UID again for "*": it is dropped',
      scan: known,
      listed: [{ uid: 40, size: 10 }],
      maxBytes: 4 * MB,
      budget: 8 * MB,
      count: 50,
      batches: [],
      markLast: false,
    },
    {
      name: 'sorted by UID, older mail than `since` left out, no date kept',
      scan: fresh,
      listed: [
        { uid: 9, size: 1, internalDate: t0 },
        { uid: 2, size: 1, internalDate: t0 - 1 },
        { uid: 5, size: 1 },
        { uid: 7, size: 1, internalDate: t0 + 5 },
      ],
      maxBytes: 4 * MB,
      budget: 8 * MB,
      count: 50,
      batches: [[5, 7, 9]],
      markLast: false,
    },
    {
      name: 'split by the byte budget',
      scan: known,
      listed: [
        { uid: 41, size: 3 * MB },
        { uid: 42, size: 3 * MB },
        { uid: 43, size: 3 * MB },
      ],
      maxBytes: 4 * MB,
      budget: 8 * MB,
      count: 50,
      batches: [[41, 42], [43]],
      markLast: false,
    },
    {
      name: 'a message larger than the cut costs the cut',
      scan: known,
      listed: [
        { uid: 41, size: 25 * MB },
        { uid: 42, size: 25 * MB },
        { uid: 43, size: 1 * MB },
      ],
      maxBytes: 4 * MB,
      budget: 8 * MB,
      count: 50,
      batches: [[41, 42], [43]],
      markLast: false,
    },
    {
      name: 'a message alone over the budget still gets a batch',
      scan: known,
      listed: [
        { uid: 41, size: 20 * MB },
        { uid: 42, size: 1 },
      ],
      maxBytes: 20 * MB,
      budget: 8 * MB,
      count: 50,
      batches: [[41], [42]],
      markLast: false,
    },
    {
      name: 'an unknown size costs the cut',
      scan: known,
      listed: [{ uid: 41 }, { uid: 42 }, { uid: 43 }],
      maxBytes: 4 * MB,
      budget: 8 * MB,
      count: 50,
      batches: [[41, 42], [43]],
      markLast: false,
    },
    {
      name: 'split by count',
      scan: known,
      listed: [41, 42, 43, 44, 45].map((uid) => ({ uid, size: 1 })),
      maxBytes: 4 * MB,
      budget: 8 * MB,
      count: 2,
      batches: [[41, 42], [43, 44], [45]],
      markLast: false,
    },
  ];
  it.each(cases)('$name', ({ scan, listed, maxBytes, budget, count, batches, markLast }) => {
    const plan = planFetch(scan, listed, maxBytes, budget, count);
    expect(plan.batches).toEqual(batches);
    expect(plan.markLast).toBe(markLast);
  });

  it('keeps the sizes it was given for the fetch', () => {
    expect(planFetch(known, [{ uid: 41, size: 12 }, { uid: 42 }], MB).sizes).toEqual(new Map([[41, 12]]));
  });

  it('byteBatches never returns an empty batch', () => {
    expect(byteBatches([], new Map(), MB)).toEqual([]);
  });
});
