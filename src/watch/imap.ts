// The reply watcher: one IMAP connection per mailbox (imap-session.ts), UID catch-up after every (re)connect planned by
// catch-up.ts, every fetched message ingested (ingest.ts).
import type { ImapFlow } from 'imapflow';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { MailboxSettings, Settings } from '../config/schema.ts';
import type { Store } from '../store/db.ts';
import type { ProbeView } from '../store/probes.ts';
import { mailLookupQueries } from '../store/mail-lookup.ts';
import { parseMail } from '../classify/parse.ts';
import { classifyEmail } from '../classify/classify-email.ts';
import type { ConnectionEvent } from './mailbox-health.ts';
import { knowsFolder, planFetch, planScan, type ListedMessage } from './catch-up.ts';
import { createImapSession } from './imap-session.ts';
import type { DNSResolver } from './dkim.ts';
import { createIngest, type ClassifyEmail, type FetchedMessage, type ParseEmail } from './ingest.ts';

export type { ClassifyEmail, ParseEmail } from './ingest.ts';

export interface MailWatcherOptions {
  store: Store;
  settings: Settings;
  /** A key of settings.mailboxes. */
  mailbox: string;
  clock: Clock;
  logger: Logger;
  classify?: ClassifyEmail;
  /** parseMail on this thread by default; main passes one that parses on a worker thread. */
  parse?: ParseEmail;
  /** The subject and body a probe was sent with (rendered from its template), so a reply is read against them. */
  probeText?: (probe: ProbeView) => { subject: string; body: string } | undefined;
  /** Called after each stored message, with its probe (null when unmatched). */
  onMessage?: (probeId: number | null, messageId: number) => void;
  /** Reconnect backoff: first wait and ceiling (ms); the ceiling is 10 s so a fixed mailbox is read again at once. */
  backoff?: { initialMs: number; maxMs: number };
  /** Told of every failed or lost connection and every good one (the mailbox's health: outages, paused channels). */
  onConnection?: (event: ConnectionEvent) => void;
  /** How often folders other than the first (e.g. Junk) are checked; the first folder is watched with IDLE. */
  pollIntervalMs?: number;
  /** Where raw messages go; settings.evidence_dir by default. */
  evidenceDir?: string;
  /** Looks up signers' DKIM keys when a reply is received; the system's DNS by default. */
  dkimResolver?: DNSResolver;
}

export interface MailWatcher {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** UIDs arrive as numbers, UIDVALIDITY as bigint: both become plain numbers for the store. */
const asNumber = (value: number | bigint | undefined): number => Number(value ?? 0);

/** Oldest moment an open probe may have been sent; null when no probe is open. */
function oldestOpenProbeAt(store: Store): number | null {
  let oldest: number | null = null;
  for (const probe of store.probes.open()) {
    const at = probe.sending_at ?? probe.scheduled_at;
    if (oldest === null || at < oldest) oldest = at;
  }
  return oldest;
}

export function createMailWatcher(options: MailWatcherOptions): MailWatcher {
  const { store, settings, clock } = options;
  const logger = options.logger.child({ mailbox: options.mailbox });
  const mailbox: MailboxSettings | undefined = Object.hasOwn(settings.mailboxes, options.mailbox) ? settings.mailboxes[options.mailbox] : undefined;
  if (!mailbox) throw new Error(`no mailbox "${options.mailbox}" in settings`);
  const maxMessageBytes = mailbox.max_message_bytes;
  const lookup = mailLookupQueries(store.db);
  const ingest = createIngest({
    store,
    settings,
    mailbox: options.mailbox,
    mailboxSettings: mailbox,
    logger,
    evidenceDir: options.evidenceDir ?? settings.evidence_dir,
    classify: options.classify ?? classifyEmail,
    parse: options.parse ?? parseMail,
    probeText: options.probeText,
    onMessage: options.onMessage,
    dkimResolver: options.dkimResolver,
  });
  const markSeen = (folder: string, uidValidity: number, uid: number) => store.mailboxState.put(options.mailbox, folder, uidValidity, uid);
  const lastUid = async (imap: ImapFlow): Promise<number> => {
    // UIDNEXT is only current right after SELECT; the last message's UID always is.
    const last = await imap.fetchOne('*', { uid: true });
    return last ? last.uid : 0;
  };

  /** Fetches every message after the last UID seen in `folder` (as planned) and ingests it. */
  async function catchUp(imap: ImapFlow, folder: string): Promise<void> {
    const lock = await imap.getMailboxLock(folder, { readOnly: true });
    try {
      const opened = imap.mailbox;
      if (!opened) return;
      const uidValidity = asNumber(opened.uidValidity);
      const stored = store.mailboxState.get(options.mailbox, folder);
      if (stored && stored.uidvalidity !== uidValidity)
        logger.warn({ folder, was: stored.uidvalidity, now: uidValidity }, 'UIDVALIDITY changed: rescanning the folder');
      const history = knowsFolder(stored, uidValidity)
        ? {}
        : {
            progressAt: stored ? lookup.progressAt(options.mailbox, folder) : undefined,
            oldestOpenAt: oldestOpenProbeAt(store),
          };
      const scan = planScan({ stored, uidValidity, exists: opened.exists, uidNext: asNumber(opened.uidNext), ...history });
      if (scan.kind === 'nothing') return;
      if (scan.kind === 'mark') return markSeen(folder, uidValidity, scan.lastUid);
      if (scan.kind === 'mark-last') return markSeen(folder, uidValidity, await lastUid(imap));
      const listed: ListedMessage[] = [];
      for await (const message of imap.fetch(`${scan.fromUid}:*`, { uid: true, size: true, internalDate: scan.since !== undefined }, { uid: true })) {
        listed.push({ uid: message.uid, size: message.size, internalDate: message.internalDate ? new Date(message.internalDate).getTime() : undefined });
      }
      const plan = planFetch(scan, listed, maxMessageBytes);
      if (plan.markLast) markSeen(folder, uidValidity, await lastUid(imap));
      // Memory is bounded by bytes, not by a count: a batch brings about the fetch budget, each message at most
      // maxMessageBytes (a partial fetch, BODY.PEEK[]<0.N>; the rest stays on the server and the message is flagged).
      const origin = { folder, uidValidity, checkCopies: !scan.known };
      for (const batch of plan.batches) {
        const fetched: FetchedMessage[] = [];
        const query = { uid: true, internalDate: true, size: true, source: { start: 0, maxLength: maxMessageBytes } };
        for await (const message of imap.fetch(batch.join(','), query, { uid: true })) {
          const detectedAt = clock.now();
          const internalDate = message.internalDate ? new Date(message.internalDate).getTime() : detectedAt;
          const raw = message.source ?? Buffer.alloc(0);
          const size = message.size ?? plan.sizes.get(message.uid) ?? raw.length;
          fetched.push({ uid: message.uid, internalDate, raw, size, truncated: size > raw.length, detectedAt });
        }
        fetched.sort((a, b) => a.uid - b.uid);
        while (fetched.length > 0) {
          // Each source is dropped once ingested, so a batch's memory shrinks as it is stored.
          const message = fetched.shift();
          if (!message) break;
          await ingest(origin, message);
          markSeen(folder, uidValidity, message.uid);
        }
      }
    } finally {
      lock.release();
    }
  }

  const session = createImapSession({
    mailbox,
    folders: mailbox.folders.length > 0 ? mailbox.folders : ['INBOX'],
    clock,
    logger,
    catchUp,
    backoff: options.backoff ?? { initialMs: 500, maxMs: 10_000 },
    pollIntervalMs: options.pollIntervalMs ?? 30_000,
    onConnection: options.onConnection,
  });

  return {
    async start() {
      try {
        await session.start();
      } catch (err) {
        // The watcher keeps trying in the background; firstreply still starts.
        logger.error({ err }, 'imap connection failed');
      }
    },
    stop: () => session.stop(),
  };
}
