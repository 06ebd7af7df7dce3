// The alert engine: runs the rules per vendor × channel, keeps alerts in the store (deduplicated, reminded, silenced) and queues notices.
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import { FirstReplyError } from '../core/errors.ts';
import type { Catalog, ChannelDef, Vendor } from '../config/schema.ts';
import type { Store } from '../store/db.ts';
import type { AlertProbeRow, AlertRow, DeliveryEvent } from '../store/alerts.ts';
import { businessCalendar } from '../metrics/business-time.ts';
import {
  channelBroken, clearStreakAt, decide, regression, regressionFires, regressionPersists, regressionTest, ruleAudience, ruleTitles, slaBreach, threshold,
  thresholdFires, thresholdValue, type FrozenBaseline, type ProbePoint, type RuleKind, type Verdict,
} from './rules.ts';
import { silencedBy } from './silences.ts';
import { createDelivery, type DeliveryReport } from './delivery.ts';
import type { AlertNotice, NotifierRegistry } from './notifiers/notifier.ts';
import { notifiers as defaultNotifiers } from './notifiers/registry.ts';
import { targetWants, vendorPageUrl, type AlertStep, type EvaluationReport } from './notices.ts';
import { applyReviewDigest } from './review-digest-step.ts';
import { applyMailboxDown } from './mailbox-down-step.ts';

export interface AlertEngineDeps {
  store: Store;
  catalog: Catalog;
  clock: Clock;
  logger: Logger;
  /** Replaces registry entries (tests, extra transports). */
  notifiers?: Partial<NotifierRegistry>;
}

export function toProbePoint(row: AlertProbeRow): ProbePoint {
  return {
    id: row.id, tier: row.tier, failed: row.state === 'send_failed', errorCode: row.error_code, errorText: row.error_text,
    scheduledAt: row.scheduled_at, sentAt: row.sent_at, deadlineAt: row.deadline_at, expiresAt: row.expires_at, firstHumanAt: row.first_human_at,
    awaitingReview: row.review_since !== null,
  };
}

interface Judgement {
  verdict: Verdict;
  /** Outcomes in a row the rule is clear for (computed only when an open alert may recover). */
  clearStreak: () => number;
}

interface RuleRun {
  rule: string;
  kind: RuleKind;
  /** Judges the channel now, knowing the alert already open for this rule (if any). */
  judge: (open: AlertRow | undefined) => Judgement;
}

/** The baseline an open regression alert was opened against, from its stored numbers. */
export function frozenBaselineOf(alert: AlertRow): FrozenBaseline | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(alert.details);
  } catch {
    return undefined; // not our JSON: judge it against a sliding baseline instead
  }
  const numbers = parsed !== null && typeof parsed === 'object' && 'numbers' in parsed ? parsed.numbers : undefined;
  if (numbers === null || typeof numbers !== 'object') return undefined;
  const from = 'baseline_from' in numbers ? numbers.baseline_from : undefined;
  const to = 'baseline_to' in numbers ? numbers.baseline_to : undefined;
  return typeof from === 'number' && typeof to === 'number' ? { from, to } : undefined;
}

/** The facts an alert said while it fired (its stored evidence, or its facts from before evidence was kept). */
export function evidenceOf(alert: AlertRow): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(alert.details);
  } catch {
    return undefined; // not our JSON: nothing to carry over
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  if ('evidence' in parsed && parsed.evidence !== undefined) return parsed.evidence;
  return 'facts' in parsed && !('recovering' in parsed) ? parsed.facts : undefined;
}

export function createAlertEngine(deps: AlertEngineDeps) {
  const { store, catalog, clock, logger } = deps;
  const config = catalog.settings.alerts;
  const registry: NotifierRegistry = { ...defaultNotifiers, ...deps.notifiers };
  const delivery = createDelivery({ store, config, settings: catalog.settings, notifiers: registry, clock, logger });
  const lookbackMs = Math.max(config.regression.recent + config.regression.baseline, ...config.thresholds.map((t) => t.window), 8 * 86_400_000);
  const calendars = new Map<string, (from: number, ms: number) => number>();
  const timers = new Set<NodeJS.Timeout>();
  let evaluating: Promise<EvaluationReport> | null = null;
  let deliveries: Promise<unknown> | null = null;
  let stopped = false;
  const step: AlertStep = { store, catalog, config, logger };

  const elapsedFor = (vendor: Vendor, businessHours: boolean): ((from: number, ms: number) => number) => {
    if (!businessHours || !vendor.support_hours) return (_from, ms) => ms;
    let elapsed = calendars.get(vendor.slug);
    if (!elapsed) {
      const calendar = businessCalendar(vendor.support_hours, vendor.timezone);
      elapsed = (from, ms) => calendar.elapsed(from, from + ms);
      calendars.set(vendor.slug, elapsed);
    }
    return elapsed;
  };

  const rulesFor = (vendor: Vendor, channel: ChannelDef, channelId: number, now: number): RuleRun[] => {
    const runs: RuleRun[] = [];
    let since = now - lookbackMs;
    let probes = store.alerts.channelProbes(channelId, since).map(toProbePoint);
    const probesSince = (from: number): ProbePoint[] => {
      if (from < since) {
        since = from;
        probes = store.alerts.channelProbes(channelId, since).map(toProbePoint);
      }
      return probes;
    };
    // A sparse channel stretches its recent window back to recent_min_probes: then the baseline needs older probes.
    const recentFrom = now - config.regression.recent;
    if (config.regression.enabled && probes.length > 0 && probes.filter((p) => p.scheduledAt > recentFrom).length < config.regression.recent_min_probes) {
      probesSince(now - 4 * lookbackMs);
    }
    const n = config.recovery_probes;
    if (config.sla_breach.enabled) {
      runs.push({
        rule: 'sla_breach', kind: 'sla_breach',
        judge: () => {
          const verdict = slaBreach(probes, now, config.sla_breach.tiers);
          return { verdict, clearStreak: () => verdict.clearStreak };
        },
      });
    }
    if (config.regression.enabled) {
      const cfg = config.regression;
      // Vendors with declared support hours are judged in business time: closing for the night is not a slowdown.
      const elapsed = vendor.support_hours ? elapsedFor(vendor, true) : undefined;
      runs.push({
        rule: 'regression', kind: 'regression',
        judge: (open) => {
          const frozen = open ? frozenBaselineOf(open) : undefined;
          const series = frozen ? probesSince(frozen.from) : probes;
          return {
            verdict: regression(series, now, cfg, frozen, elapsed),
            clearStreak: () => clearStreakAt(series, now, n, (at) => {
              const test = regressionTest(series, at, cfg, frozen, elapsed);
              return frozen ? regressionPersists(test, cfg) : regressionFires(test, cfg);
            }),
          };
        },
      });
    }
    if (config.channel_broken.enabled) {
      runs.push({
        rule: 'channel_broken', kind: 'channel_broken',
        judge: () => {
          const attempts = store.alerts.lastAttempts(channelId, Math.max(config.channel_broken.consecutive_failures, n) + 1).map(toProbePoint);
          const verdict = channelBroken(attempts, config.channel_broken.consecutive_failures);
          return { verdict, clearStreak: () => verdict.clearStreak };
        },
      });
    }
    for (const t of config.thresholds) {
      if (t.vendor !== vendor.slug || (t.channel !== undefined && t.channel !== channel.id)) continue;
      const elapsed = elapsedFor(vendor, t.business_hours);
      runs.push({
        rule: `threshold:${t.id}`, kind: 'threshold',
        judge: (open) => ({
          verdict: threshold(probes, now, t, elapsed, open !== undefined),
          clearStreak: () => clearStreakAt(probes, now, n, (at) => thresholdFires(thresholdValue(probes, at, t, elapsed), t, open !== undefined)),
        }),
      });
    }
    return runs;
  };

  const noticeFor = (alert: AlertRow, event: DeliveryEvent, verdict: Verdict, vendor: Vendor, now: number): AlertNotice => ({
    event, at: now,
    alert: {
      id: alert.id, rule: alert.rule, title: ruleTitles[kindOf(alert.rule)], vendor: alert.vendor, vendorName: vendor.name, channel: alert.channel,
      audience: alert.audience, severity: alert.severity, summary: alert.summary, openedAt: alert.opened_at, resolvedAt: alert.resolved_at,
    },
    headline: verdict.summary, facts: verdict.facts, numbers: verdict.numbers,
    url: vendorPageUrl(catalog.settings.public_url, alert.vendor),
  });

  /** Queues the notice for every target that wants it; returns how many were queued. */
  const queue = (alert: AlertRow, event: DeliveryEvent, seq: number, verdict: Verdict, vendor: Vendor, now: number): number => {
    const notice = JSON.stringify(noticeFor(alert, event, verdict, vendor, now));
    let queued = 0;
    for (const [name, target] of Object.entries(config.targets)) {
      if (!targetWants(name, target, alert, config)) continue;
      if (store.alerts.enqueue({ alertId: alert.id, target: name, kind: target.kind, event, seq, notice })) queued++;
    }
    return queued;
  };

  // `evidence` keeps the facts of the last firing verdict: the public incident history tells what the alert said.
  const details = (verdict: Verdict, extra: Record<string, unknown> = {}): string =>
    JSON.stringify({ facts: verdict.facts, numbers: verdict.numbers, evidence: verdict.firing ? verdict.facts : undefined, ...extra });

  const apply = (vendor: Vendor, channel: ChannelDef, run: RuleRun, silences: ReturnType<Store['alerts']['activeSilences']>, now: number, report: EvaluationReport): void => {
    const open = store.alerts.openFor(run.rule, vendor.slug, channel.id);
    const silence = silencedBy(config.silences, silences, { vendor: vendor.slug, vendorTimezone: vendor.timezone, channel: channel.id, rule: run.rule, at: now });
    const { verdict, clearStreak } = run.judge(open);
    const streak = open && !verdict.firing ? clearStreak() : 0;
    const decision = decide(
      { open: open !== undefined, notified: open?.last_notified_at != null, lastNotifiedAt: open?.last_notified_at ?? null, reminders: open?.reminders ?? 0 },
      verdict.firing, streak, silence !== null, now, config,
    );
    const log = logger.child({ rule: run.rule, vendor: vendor.slug, channel: channel.id });
    if (decision.action === 'none') return;
    store.transaction(() => {
      if (decision.action === 'open') {
        const row = store.alerts.insertOpen({
          rule: run.rule, vendor: vendor.slug, channel: channel.id, severity: verdict.severity, audience: ruleAudience[run.kind],
          summary: verdict.summary, details: details(verdict), probeId: verdict.probeId,
        });
        if (!row) return;
        report.opened++;
        log.warn({ alert: row.id, silenced: silence }, `alert opened: ${verdict.summary}`);
        if (decision.notify) {
          report.queued += queue(row, 'opened', 0, verdict, vendor, now);
          store.alerts.markNotified(row.id, 0);
        }
      } else if (decision.action === 'update' && open) {
        if (verdict.firing) store.alerts.refresh(open.id, { summary: verdict.summary, details: details(verdict), severity: verdict.severity });
        else store.alerts.refresh(open.id, { summary: open.summary, details: details(verdict, { recovering: { clear_in_a_row: streak, needed: config.recovery_probes }, evidence: evidenceOf(open) }), severity: open.severity });
        const current = store.alerts.get(open.id) ?? open;
        if (decision.notify === 'opened') {
          report.queued += queue(current, 'opened', 0, verdict, vendor, now);
          store.alerts.markNotified(open.id, open.reminders);
        } else if (decision.notify === 'reminder') {
          report.queued += queue(current, 'reminder', open.reminders + 1, verdict, vendor, now);
          store.alerts.markNotified(open.id, open.reminders + 1);
        }
      } else if (decision.action === 'resolve' && open) {
        if (!store.alerts.resolve(open.id, details(verdict, { recovered_after: streak, evidence: evidenceOf(open) }))) return;
        report.resolved++;
        log.info({ alert: open.id }, `alert resolved after ${streak} clear probe(s)`);
        const resolved = store.alerts.get(open.id) ?? open;
        if (decision.notify) report.queued += queue(resolved, 'resolved', 0, { ...verdict, summary: recoveryHeadline(verdict, streak) }, vendor, now);
      }
    });
  };

  const recoveryHeadline = (verdict: Verdict, streak: number): string =>
    `recovered: the last ${streak} probe outcome(s) in a row were fine — ${verdict.summary}`;

  const evaluateOnce = async (): Promise<EvaluationReport> => {
    const report: EvaluationReport = { opened: 0, resolved: 0, queued: 0 };
    if (!config.enabled) return report;
    const now = clock.now();
    const silences = store.alerts.activeSilences(now);
    for (const vendor of catalog.vendors) {
      for (const channel of vendor.channels) {
        const row = store.vendors.channel(vendor.slug, channel.id);
        if (!row) continue;
        for (const run of rulesFor(vendor, channel, row.id, now)) {
          try {
            apply(vendor, channel, run, silences, now, report);
          } catch (err) {
            logger.error({ rule: run.rule, vendor: vendor.slug, channel: channel.id, err }, 'alert rule failed');
          }
        }
      }
    }
    try {
      applyMailboxDown(step, now, report);
    } catch (err) {
      logger.error({ rule: 'mailbox_down', err }, 'alert rule failed');
    }
    if (config.review_needed.enabled) {
      try {
        applyReviewDigest(step, now, report);
      } catch (err) {
        logger.error({ rule: 'review_needed', err }, 'alert rule failed');
      }
    }
    return report;
  };

  const kickDelivery = (): void => {
    if (stopped || deliveries) return;
    deliveries = delivery.deliverDue()
      .catch((err: unknown) => logger.error({ err }, 'alert delivery pass failed'))
      .finally(() => { deliveries = null; });
  };

  const engine = {
    /** Runs every rule once and queues notices; delivery continues in the background. */
    evaluate(): Promise<EvaluationReport> {
      if (evaluating) return evaluating;
      evaluating = evaluateOnce().finally(() => { evaluating = null; });
      return evaluating.then((report) => {
        kickDelivery();
        return report;
      });
    },
    /** Sends the notices that are due now and waits for them (retries are scheduled by backoff). */
    async deliver(): Promise<DeliveryReport> {
      return delivery.deliverDue();
    },
    /** Queues a test notice to one target (by name, or the first target of a notifier kind) and delivers it. */
    async test(targetOrKind: string): Promise<DeliveryReport & { target: string }> {
      const entry = Object.entries(config.targets).find(([name]) => name === targetOrKind) ?? Object.entries(config.targets).find(([, t]) => t.kind === targetOrKind);
      if (!entry) throw new FirstReplyError('NOT_FOUND', `no alert target or notifier kind "${targetOrKind}" in settings.yaml alerts.targets (known: ${Object.keys(config.targets).join(', ') || 'none'})`);
      const [name, target] = entry;
      const now = clock.now();
      const vendor = catalog.vendors[0];
      const notice: AlertNotice = {
        event: 'test', at: now,
        alert: {
          id: null, rule: 'test', title: 'Test notice', vendor: vendor?.slug ?? 'example', vendorName: vendor?.name ?? 'Example vendor', channel: vendor?.channels[0]?.id ?? null,
          audience: 'operator', severity: 'warning', summary: 'a test notice from firstreply alerts test', openedAt: now, resolvedAt: null,
        },
        headline: `This is a test of the "${name}" ${target.kind} target. Real notices carry the numbers behind each alert.`,
        facts: [{ label: 'Example', value: 'median 9 h 10 m vs baseline 4 h 0 m (2.3×), log-rank p = 0.0012' }],
        numbers: {}, url: vendorPageUrl(catalog.settings.public_url, vendor?.slug ?? 'example'),
      };
      store.alerts.enqueue({ alertId: null, target: name, kind: target.kind, event: 'test', seq: now, notice: JSON.stringify(notice) });
      return { ...(await delivery.deliverDue()), target: name };
    },
    /** Evaluates every `intervalMs` (default: settings alerts.evaluate_every), at each SLA deadline, and when a retry is due. */
    start(intervalMs = config.evaluate_every): void {
      if (stopped || timers.size > 0) return;
      const tick = (): void => {
        engine.evaluate()
          .catch((err: unknown) => logger.error({ err }, 'alert evaluation failed'))
          .finally(() => { if (!stopped) armWake(intervalMs); });
      };
      const interval = setInterval(tick, intervalMs);
      interval.unref();
      timers.add(interval);
      tick();
    },
    async stop(): Promise<void> {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      if (evaluating) await evaluating.catch((err: unknown) => logger.error({ err }, 'alert evaluation failed while stopping'));
      await delivery.stop();
      if (deliveries) await deliveries;
    },
  };

  let wake: NodeJS.Timeout | undefined;
  /** Between interval ticks, wake up exactly at the next SLA deadline or delivery retry. */
  const armWake = (intervalMs: number): void => {
    if (wake) {
      clearTimeout(wake);
      timers.delete(wake);
    }
    const now = clock.now();
    const next = [store.alerts.nextDeadline(now), delivery.nextDue()].filter((t): t is number => t !== null).reduce((a, b) => Math.min(a, b), Infinity);
    const delay = next - now;
    if (!Number.isFinite(delay) || delay >= intervalMs) return;
    wake = setTimeout(() => {
      if (wake) timers.delete(wake);
      engine.evaluate()
        .then(() => engine.deliver())
        .catch((err: unknown) => logger.error({ err }, 'alert evaluation failed'));
    }, Math.max(0, delay) + 5);
    wake.unref();
    timers.add(wake);
  };

  return engine;
}

export type AlertEngine = ReturnType<typeof createAlertEngine>;

function kindOf(rule: string): RuleKind {
  if (rule.startsWith('threshold:')) return 'threshold';
  return rule === 'sla_breach' || rule === 'regression' || rule === 'channel_broken' || rule === 'review_needed' || rule === 'mailbox_down' ? rule : 'threshold';
}
