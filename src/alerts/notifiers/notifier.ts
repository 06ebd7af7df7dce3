// The NotifierModule every notifier kind implements (its settings, its payload, its delivery), and the notice it delivers.
import type { Settings } from '../../config/schema.ts';
import type { Logger } from '../../core/logger.ts';
import type { AlertTargetBase, AlertTargetOf, NotifierSettingsSchema } from '../../config/alerts.ts';
import type { NotifierKind, notifierSettingsSchemas } from './settings.ts';
import type { AlertAudience, AlertSeverity, DeliveryEvent } from '../../store/alerts.ts';

/** One labelled figure of a notice ("Median", "4 h 10 min"). */
export interface Fact {
  label: string;
  value: string;
}

/** What one notice says, frozen when it is queued so every retry says the same. */
export interface AlertNotice {
  event: DeliveryEvent;
  /** Moment the notice was made (ms). */
  at: number;
  alert: {
    id: number | null;
    rule: string;
    title: string;
    vendor: string;
    vendorName: string;
    channel: string | null;
    audience: AlertAudience;
    severity: AlertSeverity;
    /** The alert's opening summary. */
    summary: string;
    openedAt: number;
    resolvedAt: number | null;
  };
  /** What is true now (for a recovery: why it cleared). */
  headline: string;
  facts: Fact[];
  numbers: Record<string, unknown>;
  /** The vendor's page on the status site. */
  url: string;
}

export interface NotifierContext {
  settings: Settings;
  signal: AbortSignal;
  logger: Logger;
}

/** A registered kind's settings schema (notifiers/settings.ts); a kind outside the registry (a test's) brings its own. */
export type NotifierSettingsOf<K extends string> = K extends NotifierKind ? (typeof notifierSettingsSchemas)[K] : NotifierSettingsSchema;

/** A target as settings.yaml defines it; a kind outside the registry (a test's) gets the shared fields and its own, unchecked. */
export type TargetOf<K extends string> = K extends NotifierKind ? AlertTargetOf<K> : AlertTargetBase & { kind: K } & Record<string, unknown>;

export interface NotifierModule<K extends string> {
  kind: K;
  /** Its fields in `alerts.targets` (kept in notifiers/settings.ts, the config layer, which builds the union from them). */
  settings: NotifierSettingsOf<K>;
  /** Renders its payload and delivers once; throws FirstReplyError('NOTIFIER_FAILED') when the peer refuses or cannot be reached. */
  send(target: TargetOf<K>, notice: AlertNotice, ctx: NotifierContext): Promise<void>;
}

export type NotifierRegistry = { [K in NotifierKind]: NotifierModule<K> };

/** The shape a registry must have: each entry registered under its own kind. */
export type NotifierModules<R> = { [K in keyof R]: K extends string ? NotifierModule<K> : never };
