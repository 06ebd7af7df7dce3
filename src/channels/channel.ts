// The Channel interface every channel kind implements: how it sends, and what it needs and declares; the registry maps kind → module.
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { ReplySource } from '../core/instant.ts';
import type { ChannelBase, ChannelDefOf, ChannelKind, ChannelSettingsSchema, Catalog, Settings, Template, Vendor } from '../config/schema.ts';
import type { channelSettingsSchemas } from './settings.ts';
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

/** Types a follow-up into an open chat session; resolves with the moment it shows in the transcript as ours. */
type ChatSay = (text: string, signal: AbortSignal) => Promise<number>;

/** The chat sessions open now, by probe id: a follow-up goes into its probe's session while it is open. */
export type OpenChats = Map<number, ChatSay>;

/** Long-lived things a channel may need, made once by the composition root. */
export interface ChannelServices {
  store: Store;
  settings: Settings;
  clock: Clock;
  evidenceDir: string;
  /** Lazily started browser pool (web form, chat). */
  browser?: unknown;
  /** Without it, chats take no follow-ups. */
  openChats?: OpenChats;
}

/** A registered kind's settings schema (channels/settings.ts); a kind outside the registry (a test's) brings its own. */
export type SettingsSchemaOf<K extends string> = K extends ChannelKind ? (typeof channelSettingsSchemas)[K] : ChannelSettingsSchema;

/** A channel as its vendor file defines it; a kind outside the registry (a test's) gets the shared fields only. */
export type ChannelOf<K extends string> = K extends ChannelKind ? ChannelDefOf<K> : ChannelBase & { kind: K };

export interface SendContext<K extends string> {
  probe: ProbeView;
  vendor: Vendor;
  channel: ChannelOf<K>;
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

/** The vendor's message a follow-up answers, as stored. */
export interface AnsweredMessage {
  messageId: string | null;
  subject: string | null;
  from: string | null;
  /** The stored header map (JSON), for Reply-To and References. */
  headers: string | null;
  text: string | null;
  receivedAt: number;
}

/** A scripted answer in a probe's thread: conversation round `round`, carrying our own Message-ID. */
export interface AnswerContext<K extends string> extends Omit<SendContext<K>, 'message'> {
  question: AnsweredMessage;
  text: string;
  round: number;
  messageId: string;
  /** Domains the vendor's replies come from: a reply address outside them is not written to. */
  replyDomains: readonly string[];
}

/** A follow-up composed but not yet sent: the runner stores it first, then calls `send` once. */
export interface ComposedAnswer {
  to: string;
  subject: string;
  body: string;
  send(signal: AbortSignal): Promise<{ sentAt: number; copies: SentCopy[] }>;
}

export type ReconcileResult = { outcome: 'sent'; sentAt: number; note: string } | { outcome: 'unknown'; note: string };

/** What the composition root must provide for a kind: a browser pool; a watcher on the mailbox its replies go to (its `mailbox` setting). */
export interface ChannelNeeds {
  browser: boolean;
  mailbox: boolean;
}

/** A long-lived watcher of one channel, started after reconcile and stopped before the store closes. */
export interface ChannelWatcher {
  stop(): Promise<void>;
}

export interface WatchContext<K extends string> {
  vendor: Vendor;
  channel: ChannelOf<K>;
  catalog: Catalog;
  services: ChannelServices;
  logger: Logger;
}

export interface ChannelModule<K extends string> {
  kind: K;
  /** Its settings in a vendor file (kept in channels/settings.ts, the config layer, which builds the union from them). */
  settings: SettingsSchemaOf<K>;
  needs: ChannelNeeds;
  /** Sent by the scheduler; false for channels a person observes (`firstreply record`). */
  scheduled: boolean;
  /** messages.source of its replies (e-mail replies to a web form are `imap`). */
  replySource: ReplySource;
  /** Its own watcher per enabled channel, when its replies do not arrive through a mailbox or its send. */
  watch?(ctx: WatchContext<K>): Promise<ChannelWatcher>;
  /** Acts on the outside world once. Throws ProbeError with a stable code on failure. */
  send(ctx: SendContext<K>): Promise<SendResult>;
  /** After a crash in `sending`: find out whether the send happened, never by sending again. */
  reconcile(ctx: SendContext<K>): Promise<ReconcileResult>;
  /** Composes a follow-up in the probe's thread (e-mail: In-Reply-To/References kept); kinds that cannot answer leave it out. */
  answer?(ctx: AnswerContext<K>): Promise<ComposedAnswer>;
  /** After a crash while a follow-up was `sending`: whether it went out, never by sending again. */
  reconcileAnswer?(ctx: AnswerContext<K>): Promise<ReconcileResult>;
  /** After a restart: keeps a sent probe's copies that a crash or a failure left unkept, never twice. */
  keepCopies?(ctx: SendContext<K>): Promise<SentCopy[]>;
}

export type ChannelRegistry = { [K in ChannelKind]: ChannelModule<K> };

/** The shape a registry must have: each entry registered under its own kind. */
export type ChannelModules<R> = { [K in keyof R]: K extends string ? ChannelModule<K> : never };
