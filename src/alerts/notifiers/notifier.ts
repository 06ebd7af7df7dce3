// The Notifier interface every notifier kind implements, and the notice it delivers.
import type { Settings } from '../../config/schema.ts';
import type { Logger } from '../../core/logger.ts';
import type { AlertTargetOf } from '../../config/alerts.ts';
import type { NotifierKind } from './settings.ts';
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

export interface Notifier<K extends NotifierKind> {
  kind: K;
  /** Delivers once; throws FirstReplyError('NOTIFIER_FAILED') when the peer refuses or cannot be reached. */
  send(target: AlertTargetOf<K>, notice: AlertNotice, ctx: NotifierContext): Promise<void>;
}

export type NotifierRegistry = { [K in NotifierKind]: Notifier<K> };
