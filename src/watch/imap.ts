// The reply watcher: one IMAP connection per mailbox, IDLE for new mail, UID catch-up after every (re)connect, every message stored.
import type { ImapFlow } from 'imapflow';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import { errorMessage } from '../core/errors.ts';
import type { MailboxSettings, Settings } from '../config/schema.ts';
import type { Store } from '../store/db.ts';
import type { MessageLabel } from '../core/labels.ts';
import type { ProbeView } from '../store/probes.ts';
import { mailLookupQueries } from '../store/mail-lookup.ts';
import type { Classification, ParsedMail, ReplyContext } from '../classify/types.ts';
import { parseMail } from '../classify/parse.ts';
import { classifyEmail } from '../classify/classify-email.ts';
import { recordMessage } from '../replies/record.ts';
import { newMessage } from '../replies/message.ts';
import { judgedVerdict, senderTrust } from './sender-trust.ts';
import { createImapClient } from './imap-client.ts';
import type { ConnectionEvent } from './mailbox-health.ts';
import { saveEvidence } from './evidence.ts';
import { findTicketRef, helpdeskRefs, judgeMatch, matchProbe, normalizeMessageId, teachingMethods, type MatchLookups } from './match.ts';

/** Synchronous in tests; main passes one that classifies on a worker thread. */
export type ClassifyEmail = (mail: ParsedMail, ctx: ReplyContext) => Classification | Promise<Classification>;
export type ParseEmail = (raw: Buffer) => Promise<ParsedMail>;

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
}

export interface MailWatcher {
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface FetchedMessage {
  uid: number;
  /** IMAP INTERNALDATE (ms): the receiving server's clock. */
  internalDate: number;
  /** The first max_message_bytes of the message. */
  raw: Buffer;
  /** The whole message's size on the server (RFC822.SIZE). */
  size: number;
  truncated: boolean;
  detectedAt: number;
}

/** A fetch asks for at most this many messages and, by their sizes, about this many bytes (at least one message). */
const fetchBatch = 50;
const fetchBudgetBytes = 8 * 1024 * 1024;
const bodyTextLimit = 20_000;
const headerValueLimit = 2_000;
const headersJsonLimit = 64 * 1024;
const subjectLimit = 2_000;

/** UIDs in fetch batches bounded by count and by the bytes each will bring (its size, cut at maxBytes). */
export function byteBatches(uids: readonly number[], sizes: ReadonlyMap<number, number>, maxBytes: number, budget = fetchBudgetBytes, count = fetchBatch): number[][] {
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

/** The header JSON as stored: each value cut, and whole headers left out past the limit. */
function headersJson(headers: Record<string, string[]>): string {
  const kept: Record<string, string[]> = {};
  let length = 2;
  for (const [name, values] of Object.entries(headers)) {
    const cut = values.map((v) => v.slice(0, headerValueLimit));
    const entryLength = JSON.stringify(name).length + JSON.stringify(cut).length + 2;
    if (length + entryLength > headersJsonLimit) continue;
    kept[name] = cut;
    length += entryLength;
  }
  return JSON.stringify(kept);
}

/** UIDs arrive as numbers, UIDVALIDITY as bigint: both become plain numbers for the store. */
const asNumber = (value: number | bigint | undefined): number => Number(value ?? 0);

export function createMailWatcher(options: MailWatcherOptions): MailWatcher {
  const { store, settings, clock } = options;
  const logger = options.logger.child({ mailbox: options.mailbox });
  const mailbox: MailboxSettings | undefined = Object.hasOwn(settings.mailboxes, options.mailbox) ? settings.mailboxes[options.mailbox] : undefined;
  if (!mailbox) throw new Error(`no mailbox "${options.mailbox}" in settings`);
  const folders = mailbox.folders.length > 0 ? mailbox.folders : ['INBOX'];
  const primary = folders[0] ?? 'INBOX';
  const extraFolders = folders.slice(1);
  const classify = options.classify ?? classifyEmail;
  const parse = options.parse ?? parseMail;
  const maxMessageBytes = mailbox.max_message_bytes;
  const evidenceDir = options.evidenceDir ?? settings.evidence_dir;
  const backoff = options.backoff ?? { initialMs: 500, maxMs: 10_000 };
  const lookup = mailLookupQueries(store.db);
  const trust = senderTrust(store, settings);
  const lookups: MatchLookups = {
    byMessageId: (id) => store.probes.byMessageId(id),
    byToken: (token) => store.probes.byToken(token),
    byTicket: (ticket) => store.probes.byTicket(ticket),
    byRef: (kind, value, domain) => store.probes.byRef(kind, value, domain),
    probeOfReply: (id) => {
      const probeId = lookup.probeOfMessage(id);
      return probeId === undefined ? undefined : store.probes.get(probeId);
    },
  };

  let client: ImapFlow | undefined;
  let stopping = false;
  let attempt = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  /** Catch-ups run one at a time; a request during a run makes it run once more. */
  let work: Promise<void> = Promise.resolve();
  const wanted = new Set<string>();

  function schedule(folder: string): Promise<void> {
    if (wanted.has(folder)) return work;
    wanted.add(folder);
    work = work.then(async () => {
      wanted.delete(folder);
      const current = client;
      if (!current || stopping || !current.usable) return;
      try {
        await catchUp(current, folder);
      } catch (err) {
        logger.error({ folder, err }, 'catch-up failed');
        if (current.usable) current.close();
      }
    });
    return work;
  }

  /** Fetches every message after the last UID seen in `folder` and stores it. */
  async function catchUp(imap: ImapFlow, folder: string): Promise<void> {
    const lock = await imap.getMailboxLock(folder, { readOnly: true });
    try {
      const opened = imap.mailbox;
      if (!opened) return;
      const uidValidity = asNumber(opened.uidValidity);
      const state = store.mailboxState.get(options.mailbox, folder);
      const known = state !== undefined && state.uidvalidity === uidValidity;
      if (state && !known) logger.warn({ folder, was: state.uidvalidity, now: uidValidity }, 'UIDVALIDITY changed: rescanning the folder');
      const lastUid = known ? state.last_uid : 0;
      // Without a usable last UID, the folder's whole history is not read: after a UIDVALIDITY change only mail since
      // the last recorded progress (copies are recognised by hash), on a first run only mail that may answer an open probe.
      const progressAt = state ? lookup.progressAt(options.mailbox, folder) : undefined;
      const since = known ? undefined : progressAt !== undefined ? progressAt - 60_000 : oldestOpenProbeAt();
      if (opened.exists === 0) {
        if (!known) store.mailboxState.put(options.mailbox, folder, uidValidity, Math.max(0, asNumber(opened.uidNext) - 1));
        return;
      }
      if (since === null) {
        // UIDNEXT is only current right after SELECT; the last message's UID always is.
        const last = await imap.fetchOne('*', { uid: true });
        store.mailboxState.put(options.mailbox, folder, uidValidity, last ? last.uid : 0);
        return;
      }
      const uids: number[] = [];
      const sizes = new Map<number, number>();
      for await (const message of imap.fetch(`${lastUid + 1}:*`, { uid: true, size: true, internalDate: since !== undefined }, { uid: true })) {
        if (message.uid <= lastUid) continue;
        if (since !== undefined && message.internalDate && new Date(message.internalDate).getTime() < since) continue;
        uids.push(message.uid);
        if (message.size !== undefined) sizes.set(message.uid, message.size);
      }
      if (uids.length === 0 && !known) {
        const last = await imap.fetchOne('*', { uid: true });
        store.mailboxState.put(options.mailbox, folder, uidValidity, last ? last.uid : 0);
      }
      uids.sort((a, b) => a - b);
      // Memory is bounded by bytes, not by a count: a batch brings about fetchBudgetBytes, each message at most
      // maxMessageBytes (a partial fetch, BODY.PEEK[]<0.N>; the rest stays on the server and the message is flagged).
      for (const batch of byteBatches(uids, sizes, maxMessageBytes)) {
        const fetched: FetchedMessage[] = [];
        const query = { uid: true, internalDate: true, size: true, source: { start: 0, maxLength: maxMessageBytes } };
        for await (const message of imap.fetch(batch.join(','), query, { uid: true })) {
          const detectedAt = clock.now();
          const internalDate = message.internalDate ? new Date(message.internalDate).getTime() : detectedAt;
          const raw = message.source ?? Buffer.alloc(0);
          const size = message.size ?? sizes.get(message.uid) ?? raw.length;
          fetched.push({ uid: message.uid, internalDate, raw, size, truncated: size > raw.length, detectedAt });
        }
        fetched.sort((a, b) => a.uid - b.uid);
        while (fetched.length > 0) {
          // Each source is dropped once ingested, so a batch's memory shrinks as it is stored.
          const message = fetched.shift();
          if (!message) break;
          await ingestSafely(folder, uidValidity, message, !known);
          store.mailboxState.put(options.mailbox, folder, uidValidity, message.uid);
        }
      }
    } finally {
      lock.release();
    }
  }

  /** Oldest moment an open probe may have been sent; null when no probe is open. */
  function oldestOpenProbeAt(): number | null {
    let oldest: number | null = null;
    for (const probe of store.probes.open()) {
      const at = probe.sending_at ?? probe.scheduled_at;
      if (oldest === null || at < oldest) oldest = at;
    }
    // INTERNALDATE has whole seconds; a minute of slack keeps a reply from the first second.
    return oldest === null ? null : oldest - 60_000;
  }

  /** A message that cannot be ingested is still recorded (raw, unknown) so one bad mail never blocks the folder. */
  async function ingestSafely(folder: string, uidValidity: number, message: FetchedMessage, checkCopies: boolean): Promise<void> {
    try {
      await ingest(folder, uidValidity, message, checkCopies);
    } catch (err) {
      logger.error({ folder, uid: message.uid, err }, 'could not ingest a message; recording it raw');
      recordMessage(store, newMessage({
        source: 'imap', mailbox: options.mailbox, folder, uidvalidity: uidValidity, uid: message.uid,
        received_at: message.internalDate, detected_at: message.detectedAt, size: message.size,
        label: 'unknown', confidence: 0, reasons: ['not ingested'], parse_error: errorMessage(err),
        truncated: message.truncated ? 1 : 0,
      }));
    }
  }

  async function ingest(folder: string, uidValidity: number, message: FetchedMessage, checkCopies: boolean): Promise<void> {
    const log = logger.child({ folder, uid: message.uid });
    let rawPath: string | null = null;
    let rawSha: string | null = null;
    try {
      const stored = await saveEvidence(evidenceDir, message.raw);
      rawPath = stored.path;
      rawSha = stored.sha256;
    } catch (err) {
      log.error({ err }, 'could not store the raw message');
    }
    if (checkCopies && rawSha && lookup.storedCopy(options.mailbox, rawSha) !== undefined) {
      log.debug('already stored before the UIDVALIDITY change');
      return;
    }
    const mail = await parseSafely(message, log);
    const ownId = normalizeMessageId(mail.messageId);
    const match = matchProbe(mail, lookups, { plusAddressing: mailbox?.plus_addressing ?? false, raw: message.raw });
    // Our own copy is `system`; a doubtful match is held for review unclassified, so it teaches no template memory.
    const judged = match ? judgeMatch(mail, match, lookups, trust) : undefined;
    const decided = judgedVerdict(judged);
    const probe = match?.probe;
    // The classifier gets what the evaluation gives it: the probe's own text, its send time, the thread so far.
    const context: ReplyContext = {
      sentAt: probe?.sent_at ?? undefined,
      receivedAt: message.internalDate,
      receivedResolutionMs: 1000,
      vendor: probe?.vendor,
      fastReplyMs: settings.classifier.fast_reply_ms,
    };
    if (probe) {
      const sent = options.probeText?.(probe);
      if (sent) { context.probeSubject = sent.subject; context.probeBody = sent.body; }
      context.threadPosition = store.messages.forProbe(probe.id).length;
    }
    let verdict: { label: MessageLabel; confidence: number; reasons: string[] };
    try {
      verdict = decided ?? await classify(mail, context);
    } catch (err) {
      log.error({ err }, 'classifier failed');
      verdict = { label: 'unknown', confidence: 0, reasons: [`classifier failed: ${errorMessage(err)}`] };
    }
    const id = recordMessage(store, newMessage({
      probe_id: probe?.id ?? null,
      source: 'imap',
      mailbox: options.mailbox,
      folder,
      uidvalidity: uidValidity,
      uid: message.uid,
      message_id: ownId ?? null,
      in_reply_to: normalizeMessageId(mail.inReplyTo) ?? null,
      subject: mail.subject.slice(0, subjectLimit),
      from_addr: mail.from?.address ?? null,
      received_at: message.internalDate,
      detected_at: message.detectedAt,
      header_date: mail.headerDate ?? null,
      raw_path: rawPath,
      raw_sha256: rawSha,
      size: message.size,
      headers: headersJson(mail.headers),
      body_text: mail.text.slice(0, bodyTextLimit),
      label: verdict.label,
      confidence: verdict.confidence,
      reasons: verdict.reasons,
      match_method: match?.method ?? null,
      parse_error: mail.parseError ?? null,
      truncated: message.truncated ? 1 : 0,
    }), { provesDelivery: judged?.kind === 'reply' && judged.provesDelivery });
    if (id === undefined) return;
    if (probe && match && judged?.kind === 'reply' && teachingMethods.has(match.method)) {
      if (!probe.ticket_ref) {
        const ticket = findTicketRef(mail.subject);
        if (ticket) store.probes.setTicket(probe.id, ticket);
      }
      // The helpdesk's references come from the probe's first reply that carries any (usually the acknowledgement).
      if (store.probes.refs(probe.id).length === 0) store.probes.addRefs(probe.id, helpdeskRefs(mail));
    }
    log.info({ message: id, probe: probe?.id ?? null, method: match?.method, label: verdict.label, lagMs: message.detectedAt - message.internalDate }, 'reply stored');
    try {
      options.onMessage?.(probe?.id ?? null, id);
    } catch (err) {
      log.error({ err }, 'onMessage failed');
    }
  }

  /** A message the parser cannot read in time is still matched (by its raw bytes) and stored, unknown. */
  async function parseSafely(message: FetchedMessage, log: Logger): Promise<ParsedMail> {
    try {
      return await parse(message.raw);
    } catch (err) {
      log.error({ err }, 'could not parse the message');
      return { references: [], subject: '', to: [], headers: {}, text: '', contentType: 'application/octet-stream', size: message.raw.length, parseError: `not parsed: ${errorMessage(err)}` };
    }
  }

  async function session(): Promise<void> {
    if (!mailbox) return;
    const imap = createImapClient(mailbox, { autoIdleDelay: 200 });
    client = imap;
    let connected = false;
    let lastError: unknown = new Error('connection closed');
    const report = (event: ConnectionEvent): void => {
      try {
        options.onConnection?.(event);
      } catch (err) {
        logger.error({ err }, 'onConnection failed');
      }
    };
    let endSession = (): void => undefined;
    const ended = new Promise<void>((resolve) => {
      endSession = resolve;
      imap.once('close', () => resolve());
    });
    void ended.then(() => {
      clearInterval(pollTimer);
      if (client === imap) client = undefined;
      if (connected && !stopping) report({ state: 'down', at: clock.now(), error: lastError });
      if (!stopping) reconnectLater();
    });
    imap.on('error', (err: unknown) => {
      lastError = err;
      logger.warn({ err }, 'imap connection error');
    });
    imap.on('exists', (event: { path: string }) => {
      void schedule(event.path);
    });
    try {
      await imap.connect();
    } catch (err) {
      report({ state: 'down', at: clock.now(), error: err });
      endSession();
      throw err;
    }
    connected = true;
    report({ state: 'up', at: clock.now() });
    attempt = 0;
    logger.info({ folders }, 'watching mailbox');
    for (const folder of extraFolders) await schedule(folder);
    // The primary folder last: it stays selected, so IDLE announces its new mail.
    await schedule(primary);
    if (extraFolders.length > 0) {
      pollTimer = setInterval(() => {
        for (const folder of extraFolders) void schedule(folder);
        void schedule(primary);
      }, options.pollIntervalMs ?? 30_000);
    }
  }

  function reconnectLater(): void {
    const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt);
    attempt++;
    logger.warn({ delayMs: delay, attempt }, 'imap connection closed, reconnecting');
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      if (stopping) return;
      session().catch((err: unknown) => logger.warn({ err }, 'imap reconnect failed'));
    }, delay);
  }

  return {
    async start() {
      stopping = false;
      try {
        await session();
      } catch (err) {
        // The watcher keeps trying in the background; firstreply still starts.
        logger.error({ err }, 'imap connection failed');
      }
    },
    async stop() {
      stopping = true;
      clearTimeout(reconnectTimer);
      clearInterval(pollTimer);
      const current = client;
      await work;
      if (current?.usable) {
        await current.logout().catch((err: unknown) => {
          logger.debug({ err }, 'logout failed, closing');
          current.close();
        });
      }
      client = undefined;
    },
  };
}
