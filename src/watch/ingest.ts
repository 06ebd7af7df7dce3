// Ingest of one fetched message: raw evidence → parse → match to its probe → classify with the probe's context → record.
import type { Logger } from '../core/logger.ts';
import type { MessageLabel } from '../core/labels.ts';
import { errorMessage } from '../core/errors.ts';
import type { MailboxSettings, Settings } from '../config/schema.ts';
import type { Store } from '../store/db.ts';
import type { ProbeView } from '../store/probes.ts';
import { mailLookupQueries } from '../store/mail-lookup.ts';
import type { Classification, ParsedMail, ReplyContext } from '../classify/types.ts';
import { recordMessage } from '../replies/record.ts';
import { newMessage } from '../replies/message.ts';
import { saveEvidence } from './evidence.ts';
import { dkimQueries } from '../store/dkim.ts';
import { dnsResolver, notChecked, verifyDkim, type DNSResolver } from './dkim.ts';
import { judgedVerdict, senderTrust } from './sender-trust.ts';
import { findTicketRef, helpdeskRefs, judgeMatch, matchProbe, normalizeMessageId, teachingMethods, type MatchLookups } from './match.ts';

/** Synchronous in tests; main passes one that classifies on a worker thread. */
export type ClassifyEmail = (mail: ParsedMail, ctx: ReplyContext) => Classification | Promise<Classification>;
export type ParseEmail = (raw: Buffer) => Promise<ParsedMail>;

export interface FetchedMessage {
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

/** Where a fetched message came from. */
interface FolderOrigin {
  folder: string;
  uidValidity: number;
  /** After a UIDVALIDITY change: a message stored before (same raw bytes) is skipped. */
  checkCopies: boolean;
}

interface IngestOptions {
  store: Store;
  settings: Settings;
  /** A key of settings.mailboxes. */
  mailbox: string;
  mailboxSettings: MailboxSettings;
  evidenceDir: string;
  logger: Logger;
  classify: ClassifyEmail;
  parse: ParseEmail;
  probeText?: ((probe: ProbeView) => { subject: string; body: string } | undefined) | undefined;
  onMessage?: ((probeId: number | null, messageId: number) => void) | undefined;
  /** Looks up signers' DKIM keys; the system's DNS by default. */
  dkimResolver?: DNSResolver | undefined;
}

const bodyTextLimit = 20_000;
const headerValueLimit = 2_000;
const headersJsonLimit = 64 * 1024;
const subjectLimit = 2_000;

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

/** Returns the ingest of one message; a message that cannot be ingested is still recorded (raw, unknown) so one bad mail never blocks the folder. */
export function createIngest(options: IngestOptions): (origin: FolderOrigin, message: FetchedMessage) => Promise<void> {
  const { store, settings, logger } = options;
  const lookup = mailLookupQueries(store.db);
  const trust = senderTrust(store, settings);
  const dkim = dkimQueries(store.db);
  const resolver = options.dkimResolver ?? dnsResolver();
  const lookups: MatchLookups = {
    byMessageId: (id) => {
      // Our follow-ups carry Message-IDs of their own: a reply threading on one belongs to its probe.
      const followedUp = store.rounds.probeOfMessageId(id);
      return store.probes.byMessageId(id) ?? (followedUp === undefined ? undefined : store.probes.get(followedUp));
    },
    byToken: (token) => store.probes.byToken(token),
    byTicket: (ticket) => store.probes.byTicket(ticket),
    byRef: (kind, value, domain) => store.probes.byRef(kind, value, domain),
    probeOfReply: (id) => {
      const probeId = lookup.probeOfMessage(id);
      return probeId === undefined ? undefined : store.probes.get(probeId);
    },
  };

  async function keepRaw(message: FetchedMessage, log: Logger): Promise<{ path: string | null; sha256: string | null }> {
    try {
      return await saveEvidence(options.evidenceDir, message.raw);
    } catch (err) {
      log.error({ err }, 'could not store the raw message');
      return { path: null, sha256: null };
    }
  }

  /** A message the parser cannot read in time is still matched (by its raw bytes) and stored, unknown. */
  async function parseSafely(message: FetchedMessage, log: Logger): Promise<ParsedMail> {
    try {
      return await options.parse(message.raw);
    } catch (err) {
      log.error({ err }, 'could not parse the message');
      return {
        references: [],
        subject: '',
        to: [],
        headers: {},
        text: '',
        contentType: 'application/octet-stream',
        size: message.raw.length,
        parseError: `not parsed: ${errorMessage(err)}`,
      };
    }
  }

  /** The classifier gets what the evaluation gives it: the probe's own text, its send time, the thread so far. */
  function replyContext(probe: ProbeView | undefined, message: FetchedMessage): ReplyContext {
    const context: ReplyContext = {
      sentAt: probe?.sent_at ?? undefined,
      receivedAt: message.internalDate,
      receivedResolutionMs: 1000,
      vendor: probe?.vendor,
      fastReplyMs: settings.classifier.fast_reply_ms,
    };
    if (probe) {
      const sent = options.probeText?.(probe);
      if (sent) {
        context.probeSubject = sent.subject;
        context.probeBody = sent.body;
      }
      context.threadPosition = store.messages.forProbe(probe.id).length;
    }
    return context;
  }

  /** The helpdesk's ticket number and references come from the probe's first reply that carries any (usually the acknowledgement). */
  function learnRefs(probe: ProbeView, mail: ParsedMail): void {
    if (!probe.ticket_ref) {
      const ticket = findTicketRef(mail.subject);
      if (ticket) store.probes.setTicket(probe.id, ticket);
    }
    if (store.probes.refs(probe.id).length === 0) store.probes.addRefs(probe.id, helpdeskRefs(mail));
  }

  async function ingest(origin: FolderOrigin, message: FetchedMessage): Promise<void> {
    const log = logger.child({ folder: origin.folder, uid: message.uid });
    const raw = await keepRaw(message, log);
    if (origin.checkCopies && raw.sha256 && lookup.storedCopy(options.mailbox, raw.sha256) !== undefined) {
      log.debug('already stored before the UIDVALIDITY change');
      return;
    }
    // Checked while the message is parsed and classified: the signer's key as published at receipt is the evidence.
    const signature = message.truncated
      ? Promise.resolve(notChecked(message.detectedAt, message.raw.length))
      : verifyDkim(message.raw, { resolver, receivedAt: message.internalDate, checkedAt: message.detectedAt });
    const mail = await parseSafely(message, log);
    const match = matchProbe(mail, lookups, { plusAddressing: options.mailboxSettings.plus_addressing, raw: message.raw });
    // Our own copy is `system`; a doubtful match is held for review unclassified, so it teaches no template memory.
    const judged = match ? judgeMatch(mail, match, lookups, trust) : undefined;
    const decided = judgedVerdict(judged);
    const probe = match?.probe;
    let verdict: { label: MessageLabel; confidence: number; reasons: string[] };
    try {
      verdict = decided ?? (await options.classify(mail, replyContext(probe, message)));
    } catch (err) {
      log.error({ err }, 'classifier failed');
      verdict = { label: 'unknown', confidence: 0, reasons: [`classifier failed: ${errorMessage(err)}`] };
    }
    const id = recordMessage(
      store,
      newMessage({
        probe_id: probe?.id ?? null,
        source: 'imap',
        mailbox: options.mailbox,
        folder: origin.folder,
        uidvalidity: origin.uidValidity,
        uid: message.uid,
        message_id: normalizeMessageId(mail.messageId) ?? null,
        in_reply_to: normalizeMessageId(mail.inReplyTo) ?? null,
        subject: mail.subject.slice(0, subjectLimit),
        from_addr: mail.from?.address ?? null,
        received_at: message.internalDate,
        detected_at: message.detectedAt,
        header_date: mail.headerDate ?? null,
        raw_path: raw.path,
        raw_sha256: raw.sha256,
        size: message.size,
        headers: headersJson(mail.headers),
        body_text: mail.text.slice(0, bodyTextLimit),
        label: verdict.label,
        confidence: verdict.confidence,
        reasons: verdict.reasons,
        match_method: match?.method ?? null,
        parse_error: mail.parseError ?? null,
        truncated: message.truncated ? 1 : 0,
      }),
      { provesDelivery: judged?.kind === 'reply' && judged.provesDelivery },
    );
    if (id === undefined) return;
    // The helpdesk's references are learnt at once, with the message: the next reply may need them to find its probe.
    if (probe && match && judged?.kind === 'reply' && teachingMethods.has(match.method)) learnRefs(probe, mail);
    const signed = await signature;
    dkim.record(id, signed);
    log.info(
      {
        message: id,
        probe: probe?.id ?? null,
        method: match?.method,
        label: verdict.label,
        dkim: signed.result,
        lagMs: message.detectedAt - message.internalDate,
      },
      'reply stored',
    );
    try {
      options.onMessage?.(probe?.id ?? null, id);
    } catch (err) {
      log.error({ err }, 'onMessage failed');
    }
  }

  return async function ingestSafely(origin, message) {
    try {
      await ingest(origin, message);
    } catch (err) {
      logger.error({ folder: origin.folder, uid: message.uid, err }, 'could not ingest a message; recording it raw');
      recordMessage(
        store,
        newMessage({
          source: 'imap',
          mailbox: options.mailbox,
          folder: origin.folder,
          uidvalidity: origin.uidValidity,
          uid: message.uid,
          received_at: message.internalDate,
          detected_at: message.detectedAt,
          size: message.size,
          label: 'unknown',
          confidence: 0,
          reasons: ['not ingested'],
          parse_error: errorMessage(err),
          truncated: message.truncated ? 1 : 0,
        }),
      );
    }
  };
}
