// The classifier's contract: what a parsed reply looks like, what context it is judged in, and what comes out.
import type { MessageLabel } from '../core/labels.ts';
import type { TemplateMemory } from '../store/fingerprints.ts';

/** A reply after MIME parsing (src/classify/parse.ts); parsing never throws, problems land in `parseError`. */
export interface ParsedMail {
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  subject: string;
  from?: { address: string; name?: string };
  to: string[];
  /** The sender's Date: header (kept, not trusted). */
  headerDate?: number;
  /** Lower-cased header name → values, every header kept. */
  headers: Record<string, string[]>;
  /** Plain text (from text/plain, or converted from HTML), decoded to UTF-8. */
  text: string;
  html?: string;
  contentType: string;
  size: number;
  parseError?: string;
  /** Media types of every MIME part, root first (multipart/report, message/delivery-status…). */
  partTypes?: string[];
  /** The text of a message/delivery-status part, when the mail is a DSN. */
  deliveryStatus?: string;
  /** True when the message or its text was cut at the size caps. */
  truncated?: boolean;
}

/** What the classifier may know besides the mail itself. */
export interface ReplyContext {
  /** When our probe was sent (ms UTC), if the reply was matched to a probe. */
  sentAt?: number;
  /** When the reply arrived (IMAP INTERNALDATE / chat observer time). */
  receivedAt: number;
  vendor?: string;
  /** Our probe's subject and body, for quoting analysis. */
  probeSubject?: string;
  probeBody?: string;
  /** Replies under this many ms after sentAt are unlikely to be human (settings.classifier.fast_reply_ms). */
  fastReplyMs: number;
  /** Whole-unit resolution of `receivedAt` (IMAP INTERNALDATE: 1000 ms); the true arrival lies within it after. */
  receivedResolutionMs?: number;
  /** Messages already recorded for this probe before this one (0: the first answer in the thread). */
  threadPosition?: number;
  /**
   * Text skeletons this vendor sent before (template memory): the label each last had (a person's after a review)
   * and how soon after our probes they came.
   */
  templates?: ReadonlyMap<string, TemplateMemory>;
}

/** One explainable rule's verdict. */
export interface Signal {
  rule: string;
  label: MessageLabel;
  weight: number;
  reason: string;
  /** Evidence that the mail is automatic without saying which kind (e.g. a null return path); `label` is a guess. */
  generic?: boolean;
}

export interface Classification {
  label: MessageLabel;
  /** 0..1, calibrated; conflicting signals give `unknown` rather than a confident guess. */
  confidence: number;
  reasons: string[];
  signals: Signal[];
  /** The text skeleton of this reply, stored so later replies can be recognised as the same template. */
  fingerprint?: string;
}
