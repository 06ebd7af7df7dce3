// Pure: which UIDs a catch-up fetches from a folder, given its UIDVALIDITY, the last UID seen, sizes and a byte budget.

/**
 * A fetch asks for at most this many messages and, by their sizes, about this many bytes (at least one message): one
 * message at the default size cap (4 MB), so a catch-up of big mail holds one source at a time.
 */
const fetchBatch = 50;
const fetchBudgetBytes = 4 * 1024 * 1024;
/** INTERNALDATE has whole seconds; a minute of slack keeps a reply from the first second. */
export const historySlackMs = 60_000;

/** What the store remembers of a folder. */
export interface FolderProgress {
  uidvalidity: number;
  last_uid: number;
}

/** The folder as SELECT shows it, with what the store knows when the last UID cannot be used. */
export interface FolderFacts {
  stored: FolderProgress | undefined;
  uidValidity: number;
  exists: number;
  uidNext: number;
  /** When the last message of this folder was stored (asked only after a UIDVALIDITY change). */
  progressAt?: number | undefined;
  /** The oldest moment an open probe may have been sent; null when no probe is open (asked only without progress). */
  oldestOpenAt?: number | null | undefined;
}

export type ScanPlan =
  /** Nothing to read; the store is already right. */
  | { kind: 'nothing' }
  /** Nothing to read; record this UID as seen. */
  | { kind: 'mark'; lastUid: number }
  /** Nothing to read; record the UID of the folder's last message (UIDNEXT is only current right after SELECT). */
  | { kind: 'mark-last' }
  /** List UIDs from `fromUid`, keeping those received at or after `since` when set. */
  | { kind: 'scan'; fromUid: number; since: number | undefined; known: boolean };

/** The stored last UID is usable: same UIDVALIDITY. */
export function knowsFolder(stored: FolderProgress | undefined, uidValidity: number): stored is FolderProgress {
  return stored !== undefined && stored.uidvalidity === uidValidity;
}

/**
 * Without a usable last UID the folder's whole history is not read: after a UIDVALIDITY change only mail since the
 * last recorded progress (copies are recognised by hash), on a first run only mail that may answer an open probe.
 */
export function planScan(facts: FolderFacts): ScanPlan {
  const known = knowsFolder(facts.stored, facts.uidValidity);
  const from = known ? undefined : (facts.progressAt ?? facts.oldestOpenAt ?? null);
  const since = from === undefined || from === null ? from : from - historySlackMs;
  if (facts.exists === 0) return known ? { kind: 'nothing' } : { kind: 'mark', lastUid: Math.max(0, facts.uidNext - 1) };
  if (since === null) return { kind: 'mark-last' };
  return { kind: 'scan', fromUid: (known ? (facts.stored?.last_uid ?? 0) : 0) + 1, since, known };
}

/** One message as the listing FETCH (UID, RFC822.SIZE, INTERNALDATE when asked) returned it. */
export interface ListedMessage {
  uid: number;
  size?: number | undefined;
  internalDate?: number | undefined;
}

interface FetchPlan {
  /** UIDs in ascending order, in batches bounded by count and by the bytes each brings. */
  batches: number[][];
  /** Nothing new in a folder not known before: record its last UID so the next catch-up starts there. */
  markLast: boolean;
  sizes: Map<number, number>;
}

/** The batches to fetch from a listing; each message costs its size, cut at maxMessageBytes (a partial fetch). */
export function planFetch(
  scan: Extract<ScanPlan, { kind: 'scan' }>,
  listed: readonly ListedMessage[],
  maxMessageBytes: number,
  budget = fetchBudgetBytes,
  count = fetchBatch,
): FetchPlan {
  const uids: number[] = [];
  const sizes = new Map<number, number>();
  for (const message of listed) {
    if (message.uid < scan.fromUid) continue;
    if (scan.since !== undefined && message.internalDate !== undefined && message.internalDate < scan.since) continue;
    uids.push(message.uid);
    if (message.size !== undefined) sizes.set(message.uid, message.size);
  }
  uids.sort((a, b) => a - b);
  return { batches: byteBatches(uids, sizes, maxMessageBytes, budget, count), markLast: uids.length === 0 && !scan.known, sizes };
}

/** UIDs in fetch batches bounded by count and by the bytes each will bring (its size, cut at maxBytes). */
export function byteBatches(
  uids: readonly number[],
  sizes: ReadonlyMap<number, number>,
  maxBytes: number,
  budget = fetchBudgetBytes,
  count = fetchBatch,
): number[][] {
  const batches: number[][] = [];
  let batch: number[] = [];
  let bytes = 0;
  for (const uid of uids) {
    const cost = Math.min(sizes.get(uid) ?? maxBytes, maxBytes);
    if (batch.length > 0 && (batch.length >= count || bytes + cost > budget)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(uid);
    bytes += cost;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
