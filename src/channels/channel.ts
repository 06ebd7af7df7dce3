// The Channel interface every channel kind implements; the registry maps kind → module.
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { ChannelDefOf, ChannelKind, Settings, Template, Vendor } from '../config/schema.ts';
import type { ProbeView } from '../store/probes.ts';
import type { Store } from '../store/db.ts';

/** The probe message as rendered for this send. */
export interface OutgoingMessage {
  token: string;
  subject: string;
  body: string;
  /** Our Message-ID for e-mail (`<…@…>`), also a stable reference for other kinds. */
  messageId: string;
  /** Where replies should go (the probe mailbox, plus-addressed when it supports it). */
  replyTo?: string;
}

/** Long-lived things a channel may need, made once by the composition root. */
export interface ChannelServices {
  store: Store;
  settings: Settings;
  clock: Clock;
  evidenceDir: string;
  /** Lazily started browser pool (web form, chat). */
  browser?: unknown;
}

export interface SendContext<K extends ChannelKind> {
  probe: ProbeView;
  vendor: Vendor;
  channel: ChannelDefOf<K>;
  template: Template;
  message: OutgoingMessage;
  services: ChannelServices;
  logger: Logger;
  signal: AbortSignal;
}

export interface SendResult {
  /** The trustworthy moment the channel accepted the message (DESIGN §4 sent_at). */
  sentAt: number;
  ticketRef?: string;
  evidence?: string[];
  /** Copies kept after sent_at is stored, in order (evidence file, then the Sent folder); each is best effort. */
  copies?: SentCopy[];
  /** Work that continues after `sent` (a chat transcript watch); the runner tracks it and aborts `shutdown` when it stops. */
  followUp?: (shutdown: AbortSignal) => Promise<void>;
}

/** One copy of a sent probe, kept after the acceptance is stored; resolves with an evidence path when it made one. */
export interface SentCopy {
  /** Names the step ('evidence', 'append'); fault points are `after-<name>`. */
  name: string;
  keep(): Promise<string | undefined>;
}

export type ReconcileResult = { outcome: 'sent'; sentAt: number; note: string } | { outcome: 'unknown'; note: string };

export interface ChannelModule<K extends ChannelKind> {
  kind: K;
  /** Acts on the outside world once. Throws ProbeError with a stable code on failure. */
  send(ctx: SendContext<K>): Promise<SendResult>;
  /** After a crash in `sending`: find out whether the send happened, never by sending again. */
  reconcile(ctx: SendContext<K>): Promise<ReconcileResult>;
  /** After a restart: keeps a sent probe's copies that a crash or a failure left unkept, never twice. */
  keepCopies?(ctx: SendContext<K>): Promise<SentCopy[]>;
}

export type ChannelRegistry = { [K in ChannelKind]: ChannelModule<K> };
