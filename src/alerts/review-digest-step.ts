// The review_needed step: one digest alert for every vendor while replies await a person's label.
import type { DeliveryEvent } from '../store/alerts.ts';
import { digestKey, digestVerdict, reviewDigest, reviewLink, ruleAudience, ruleTitles, type PendingReview } from './rules.ts';
import type { AlertNotice } from './notifiers/notifier.ts';
import { digestMemoryOf, everyVendor, reviewPageUrl, targetWants, type AlertStep, type EvaluationReport } from './notices.ts';

/**
 * One digest for every vendor: opened when a probe first awaits review, a notice whenever something is new (at
 * most once per review_needed.every), resolved without a notice once nothing awaits review.
 */
export function applyReviewDigest(step: AlertStep, now: number, report: EvaluationReport): void {
  const { store, catalog, config, logger } = step;
  const names = new Map(catalog.vendors.map((v) => [v.slug, v.name]));
  const pending: PendingReview[] = store.probes.awaitingReview().flatMap((row) => {
    const vendorName = names.get(row.vendor);
    return vendorName === undefined
      ? []
      : [{ probeId: row.id, vendor: row.vendor, vendorName, channel: row.channel, since: row.review_since, messageId: row.message_id }];
  });
  const open = store.alerts.openFor('review_needed', everyVendor, null);
  // "At most once per `every`" holds across alerts: a queue emptied and refilled does not send at once.
  const previous = open ? undefined : store.alerts.list({ vendor: everyVendor, limit: 10 }).find((a) => a.rule === 'review_needed');
  const memory = { ...digestMemoryOf(open), sentAt: open?.last_notified_at ?? previous?.last_notified_at ?? null };
  const decision = reviewDigest(pending, memory, now, config.review_needed.every);
  const reviewUrl = reviewPageUrl(catalog.settings.public_url);
  const verdict = digestVerdict(pending, decision.fresh, now, reviewUrl);
  const listed = decision.send ? pending.map(digestKey) : memory.listed;
  const details = JSON.stringify({ facts: verdict.facts, numbers: verdict.numbers, listed });
  const log = logger.child({ rule: 'review_needed' });
  store.transaction(() => {
    if (pending.length === 0) {
      if (open && store.alerts.resolve(open.id, details)) {
        report.resolved++;
        log.info({ alert: open.id }, 'nothing awaits review any more');
      }
      return;
    }
    let alert = open;
    if (!alert) {
      alert = store.alerts.insertOpen({
        rule: 'review_needed',
        vendor: everyVendor,
        channel: null,
        severity: verdict.severity,
        audience: ruleAudience.review_needed,
        summary: verdict.summary,
        details,
        probeId: null,
      });
      if (!alert) return;
      report.opened++;
      log.info({ alert: alert.id }, `alert opened: ${verdict.summary}`);
    } else {
      store.alerts.refresh(alert.id, { summary: verdict.summary, details, severity: verdict.severity });
    }
    if (!decision.send) return;
    const seq = alert.last_notified_at !== null ? alert.reminders + 1 : 0;
    const event: DeliveryEvent = seq === 0 ? 'opened' : 'reminder';
    const current = store.alerts.get(alert.id) ?? alert;
    for (const [name, target] of Object.entries(config.targets)) {
      if (!targetWants(name, target, current, config)) continue;
      // A target limited to some vendors hears of theirs only, and only when one of theirs is new.
      const mine = target.vendors ? pending.filter((p) => target.vendors?.includes(p.vendor)) : pending;
      const mineFresh = target.vendors ? decision.fresh.filter((p) => target.vendors?.includes(p.vendor)) : decision.fresh;
      if (mineFresh.length === 0) continue;
      const words = target.vendors ? digestVerdict(mine, mineFresh, now, reviewUrl) : verdict;
      const notice: AlertNotice = {
        event,
        at: now,
        alert: {
          id: current.id,
          rule: current.rule,
          title: ruleTitles.review_needed,
          vendor: everyVendor,
          vendorName: 'all vendors',
          channel: null,
          audience: current.audience,
          severity: current.severity,
          summary: current.summary,
          openedAt: current.opened_at,
          resolvedAt: null,
        },
        headline: words.summary,
        facts: words.facts,
        numbers: {
          ...words.numbers,
          items: mine.map((p) => ({
            probe: p.probeId,
            vendor: p.vendor,
            vendor_name: p.vendorName,
            channel: p.channel,
            since: new Date(p.since).toISOString(),
            message: p.messageId,
            url: reviewLink(reviewUrl, p),
            new: mineFresh.includes(p),
          })),
        },
        url: reviewUrl,
      };
      if (store.alerts.enqueue({ alertId: current.id, target: name, kind: target.kind, event, seq, notice: JSON.stringify(notice) })) report.queued++;
    }
    store.alerts.markNotified(current.id, seq);
    log.info({ alert: current.id, awaiting: pending.length, new: decision.fresh.length }, 'review digest queued');
  });
}
