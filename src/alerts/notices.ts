// What every alert step shares: its dependencies, its tally, the target filter, the links notices carry, the digest's memory.
import type { Logger } from '../core/logger.ts';
import type { Catalog } from '../config/schema.ts';
import type { AlertsConfig, AlertTarget } from '../config/alerts.ts';
import type { Store } from '../store/db.ts';
import type { AlertRow, DeliveryEvent } from '../store/alerts.ts';
import type { DigestMemory, Verdict } from './rules.ts';
import type { AlertNotice } from './notifiers/notifier.ts';

/** What one evaluation step reads and writes. */
export interface AlertStep {
  store: Store;
  catalog: Catalog;
  config: AlertsConfig;
  logger: Logger;
}

export interface EvaluationReport {
  opened: number;
  resolved: number;
  queued: number;
}

export function vendorPageUrl(publicUrl: string, vendor: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/vendor/${encodeURIComponent(vendor)}`;
}

/** The admin review page of the status site. */
export function reviewPageUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/admin/review`;
}

/** The review digest is one alert for every vendor: this stands in its vendor column. */
export const everyVendor = '*';

/** What the open review_needed alert remembers of its last digest (kept in its details). */
export function digestMemoryOf(alert: AlertRow | undefined): DigestMemory {
  if (!alert) return { sentAt: null, listed: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(alert.details);
  } catch {
    parsed = null; // not our JSON: as if no digest had gone out
  }
  const listed =
    parsed !== null && typeof parsed === 'object' && 'listed' in parsed && Array.isArray(parsed.listed)
      ? parsed.listed.filter((k): k is string => typeof k === 'string')
      : [];
  return { sentAt: alert.last_notified_at, listed };
}

/** Does a target want this alert (audience, vendor filter, rule filter, a threshold's own `notify` list)? */
export function targetWants(name: string, target: AlertTarget, alert: Pick<AlertRow, 'rule' | 'vendor' | 'audience'>, config: AlertsConfig): boolean {
  if (!target.audience.includes(alert.audience)) return false;
  if (target.vendors && !target.vendors.includes(alert.vendor)) return false;
  const thresholdId = alert.rule.startsWith('threshold:') ? alert.rule.slice('threshold:'.length) : null;
  if (target.rules && !target.rules.some((r) => r === alert.rule || (thresholdId !== null && (r === thresholdId || r === 'threshold')))) return false;
  if (thresholdId !== null) {
    const notify = config.thresholds.find((t) => t.id === thresholdId)?.notify;
    if (notify && !notify.includes(name)) return false;
  }
  return true;
}

/** The notice of one alert's delivery event: the alert as stored, how it is named, and the verdict that fired or cleared it. */
export function noticeOf(
  alert: AlertRow,
  named: { title: string; vendor: string; vendorName: string; channel: string | null; url: string },
  event: DeliveryEvent,
  verdict: Pick<Verdict, 'summary' | 'facts' | 'numbers'>,
  now: number,
): AlertNotice {
  return {
    event,
    at: now,
    alert: {
      id: alert.id,
      rule: alert.rule,
      title: named.title,
      vendor: named.vendor,
      vendorName: named.vendorName,
      channel: named.channel,
      audience: alert.audience,
      severity: alert.severity,
      summary: alert.summary,
      openedAt: alert.opened_at,
      resolvedAt: alert.resolved_at,
    },
    headline: verdict.summary,
    facts: verdict.facts,
    numbers: verdict.numbers,
    url: named.url,
  };
}
