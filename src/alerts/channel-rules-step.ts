// The per-channel rules step of the alert engine: which rules judge a channel (SLA breach, regression, channel broken,
// thresholds; regressions in business time where the vendor declares support hours), and what a verdict does to its
// alert (open, update, remind, resolve) and to the notice queue.
import type { ChannelDef, Vendor } from '../config/schema.ts';
import type { Store } from '../store/db.ts';
import type { AlertRow, DeliveryEvent } from '../store/alerts.ts';
import { businessCalendar } from '../metrics/business-time.ts';
import {
  channelBroken,
  clearStreakAt,
  decide,
  regression,
  regressionFires,
  regressionPersists,
  regressionTest,
  ruleAudience,
  ruleTitles,
  slaBreach,
  threshold,
  thresholdFires,
  thresholdValue,
  type ProbePoint,
  type RuleKind,
  type Verdict,
} from './rules.ts';
import { silencedBy } from './silences.ts';
import type { AlertNotice } from './notifiers/notifier.ts';
import { noticeOf, targetWants, vendorPageUrl, type AlertStep, type EvaluationReport } from './notices.ts';
import { evidenceOf, frozenBaselineOf, toProbePoint } from './alert-rows.ts';

type Elapsed = (from: number, ms: number) => number;

export interface ChannelRuleStep extends AlertStep {
  /** How far back a channel's probes are read for its rules. */
  lookbackMs: number;
  /** Each vendor's business-time clock, made once. */
  calendars: Map<string, Elapsed>;
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

function elapsedFor(step: ChannelRuleStep, vendor: Vendor, businessHours: boolean): Elapsed {
  if (!businessHours || !vendor.support_hours) return (_from, ms) => ms;
  let elapsed = step.calendars.get(vendor.slug);
  if (!elapsed) {
    const calendar = businessCalendar(vendor.support_hours, vendor.timezone);
    elapsed = (from, ms) => calendar.elapsed(from, from + ms);
    step.calendars.set(vendor.slug, elapsed);
  }
  return elapsed;
}

/** The rules to judge one channel with now, each ready to judge knowing the alert already open for it. */
function ruleRunsFor(step: ChannelRuleStep, vendor: Vendor, channel: ChannelDef, channelId: number, now: number): RuleRun[] {
  const { store, config, lookbackMs } = step;
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
      rule: 'sla_breach',
      kind: 'sla_breach',
      judge: () => {
        const verdict = slaBreach(probes, now, config.sla_breach.tiers);
        return { verdict, clearStreak: () => verdict.clearStreak };
      },
    });
  }
  if (config.regression.enabled) {
    const cfg = config.regression;
    // Vendors with declared support hours are judged in business time: closing for the night is not a slowdown.
    const elapsed = vendor.support_hours ? elapsedFor(step, vendor, true) : undefined;
    runs.push({
      rule: 'regression',
      kind: 'regression',
      judge: (open) => {
        const frozen = open ? frozenBaselineOf(open) : undefined;
        const series = frozen ? probesSince(frozen.from) : probes;
        return {
          verdict: regression(series, now, cfg, frozen, elapsed),
          clearStreak: () =>
            clearStreakAt(series, now, n, (at) => {
              const test = regressionTest(series, at, cfg, frozen, elapsed);
              return frozen ? regressionPersists(test, cfg) : regressionFires(test, cfg);
            }),
        };
      },
    });
  }
  if (config.channel_broken.enabled) {
    runs.push({
      rule: 'channel_broken',
      kind: 'channel_broken',
      judge: () => {
        const attempts = store.alerts.lastAttempts(channelId, Math.max(config.channel_broken.consecutive_failures, n) + 1).map(toProbePoint);
        const verdict = channelBroken(attempts, config.channel_broken.consecutive_failures);
        return { verdict, clearStreak: () => verdict.clearStreak };
      },
    });
  }
  for (const t of config.thresholds) {
    if (t.vendor !== vendor.slug || (t.channel !== undefined && t.channel !== channel.id)) continue;
    const elapsed = elapsedFor(step, vendor, t.business_hours);
    runs.push({
      rule: `threshold:${t.id}`,
      kind: 'threshold',
      judge: (open) => ({
        verdict: threshold(probes, now, t, elapsed, open !== undefined),
        clearStreak: () => clearStreakAt(probes, now, n, (at) => thresholdFires(thresholdValue(probes, at, t, elapsed), t, open !== undefined)),
      }),
    });
  }
  return runs;
}

function noticeFor(step: ChannelRuleStep, alert: AlertRow, event: DeliveryEvent, verdict: Verdict, vendor: Vendor, now: number): AlertNotice {
  const named = {
    title: ruleTitles[kindOf(alert.rule)],
    vendor: alert.vendor,
    vendorName: vendor.name,
    channel: alert.channel,
    url: vendorPageUrl(step.catalog.settings.public_url, alert.vendor),
  };
  return noticeOf(alert, named, event, verdict, now);
}

/** Queues the notice for every target that wants it; returns how many were queued. */
function queueNotice(step: ChannelRuleStep, alert: AlertRow, event: DeliveryEvent, seq: number, verdict: Verdict, vendor: Vendor, now: number): number {
  const { store, config } = step;
  const notice = JSON.stringify(noticeFor(step, alert, event, verdict, vendor, now));
  let queued = 0;
  for (const [name, target] of Object.entries(config.targets)) {
    if (!targetWants(name, target, alert, config)) continue;
    if (store.alerts.enqueue({ alertId: alert.id, target: name, kind: target.kind, event, seq, notice })) queued++;
  }
  return queued;
}

// `evidence` keeps the facts of the last firing verdict: the public incident history tells what the alert said.
function details(verdict: Verdict, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ facts: verdict.facts, numbers: verdict.numbers, evidence: verdict.firing ? verdict.facts : undefined, ...extra });
}

/** Judges one rule on one channel and opens, updates, reminds or resolves its alert, queueing the notices due. */
function applyRule(
  step: ChannelRuleStep,
  vendor: Vendor,
  channel: ChannelDef,
  run: RuleRun,
  silences: ReturnType<Store['alerts']['activeSilences']>,
  now: number,
  report: EvaluationReport,
): void {
  const { store, config, logger } = step;
  const open = store.alerts.openFor(run.rule, vendor.slug, channel.id);
  const silence = silencedBy(config.silences, silences, { vendor: vendor.slug, vendorTimezone: vendor.timezone, channel: channel.id, rule: run.rule, at: now });
  const { verdict, clearStreak } = run.judge(open);
  const streak = open && !verdict.firing ? clearStreak() : 0;
  const decision = decide(
    { open: open !== undefined, notified: open?.last_notified_at != null, lastNotifiedAt: open?.last_notified_at ?? null, reminders: open?.reminders ?? 0 },
    verdict.firing,
    streak,
    silence !== null,
    now,
    config,
  );
  const log = logger.child({ rule: run.rule, vendor: vendor.slug, channel: channel.id });
  if (decision.action === 'none') return;
  store.transaction(() => {
    if (decision.action === 'open') {
      const row = store.alerts.insertOpen({
        rule: run.rule,
        vendor: vendor.slug,
        channel: channel.id,
        severity: verdict.severity,
        audience: ruleAudience[run.kind],
        summary: verdict.summary,
        details: details(verdict),
        probeId: verdict.probeId,
      });
      if (!row) return;
      report.opened++;
      log.warn({ alert: row.id, silenced: silence }, `alert opened: ${verdict.summary}`);
      if (decision.notify) {
        report.queued += queueNotice(step, row, 'opened', 0, verdict, vendor, now);
        store.alerts.markNotified(row.id, 0);
      }
    } else if (decision.action === 'update' && open) {
      if (verdict.firing) store.alerts.refresh(open.id, { summary: verdict.summary, details: details(verdict), severity: verdict.severity });
      else
        store.alerts.refresh(open.id, {
          summary: open.summary,
          details: details(verdict, { recovering: { clear_in_a_row: streak, needed: config.recovery_probes }, evidence: evidenceOf(open) }),
          severity: open.severity,
        });
      const current = store.alerts.get(open.id) ?? open;
      if (decision.notify === 'opened') {
        report.queued += queueNotice(step, current, 'opened', 0, verdict, vendor, now);
        store.alerts.markNotified(open.id, open.reminders);
      } else if (decision.notify === 'reminder') {
        report.queued += queueNotice(step, current, 'reminder', open.reminders + 1, verdict, vendor, now);
        store.alerts.markNotified(open.id, open.reminders + 1);
      }
    } else if (decision.action === 'resolve' && open) {
      if (!store.alerts.resolve(open.id, details(verdict, { recovered_after: streak, evidence: evidenceOf(open) }))) return;
      report.resolved++;
      log.info({ alert: open.id }, `alert resolved after ${streak} clear probe(s)`);
      const resolved = store.alerts.get(open.id) ?? open;
      if (decision.notify) report.queued += queueNotice(step, resolved, 'resolved', 0, { ...verdict, summary: recoveryHeadline(verdict, streak) }, vendor, now);
    }
  });
}

function recoveryHeadline(verdict: Verdict, streak: number): string {
  return `recovered: the last ${streak} probe outcome(s) in a row were fine — ${verdict.summary}`;
}

/** Every rule on every channel of every vendor; a failing rule is logged and the others go on. */
export function applyChannelRules(step: ChannelRuleStep, now: number, report: EvaluationReport): void {
  const { store, catalog, logger } = step;
  const silences = store.alerts.activeSilences(now);
  for (const vendor of catalog.vendors) {
    for (const channel of vendor.channels) {
      const row = store.vendors.channel(vendor.slug, channel.id);
      if (!row) continue;
      for (const run of ruleRunsFor(step, vendor, channel, row.id, now)) {
        try {
          applyRule(step, vendor, channel, run, silences, now, report);
        } catch (err) {
          logger.error({ rule: run.rule, vendor: vendor.slug, channel: channel.id, err }, 'alert rule failed');
        }
      }
    }
  }
}

/** The rule kind of a stored rule name (`threshold:<id>` included). */
function kindOf(rule: string): RuleKind {
  if (rule.startsWith('threshold:')) return 'threshold';
  return rule === 'sla_breach' || rule === 'regression' || rule === 'channel_broken' || rule === 'review_needed' || rule === 'mailbox_down'
    ? rule
    : 'threshold';
}
