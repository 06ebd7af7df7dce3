// The alert engine: runs the rules per vendor × channel, keeps alerts in the store (deduplicated, reminded, silenced) and queues notices.
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import { FirstReplyError } from '../core/errors.ts';
import type { Catalog } from '../config/schema.ts';
import type { Store } from '../store/db.ts';
import { createDelivery, type DeliveryReport } from './delivery.ts';
import type { AlertNotice, NotifierRegistry } from './notifiers/notifier.ts';
import { notifiers as defaultNotifiers } from './notifiers/registry.ts';
import { vendorPageUrl, type EvaluationReport } from './notices.ts';
import { applyReviewDigest } from './review-digest-step.ts';
import { applyMailboxDown } from './mailbox-down-step.ts';
import { applyChannelRules, type ChannelRuleStep } from './channel-rules-step.ts';

interface AlertEngineDeps {
  store: Store;
  catalog: Catalog;
  clock: Clock;
  logger: Logger;
  /** Replaces registry entries (tests, extra transports). */
  notifiers?: Partial<NotifierRegistry>;
}

export function createAlertEngine(deps: AlertEngineDeps) {
  const { store, catalog, clock, logger } = deps;
  const config = catalog.settings.alerts;
  const registry: NotifierRegistry = { ...defaultNotifiers, ...deps.notifiers };
  const delivery = createDelivery({ store, config, settings: catalog.settings, notifiers: registry, clock, logger });
  const lookbackMs = Math.max(config.regression.recent + config.regression.baseline, ...config.thresholds.map((t) => t.window), 8 * 86_400_000);
  const timers = new Set<NodeJS.Timeout>();
  let evaluating: Promise<EvaluationReport> | null = null;
  let deliveries: Promise<unknown> | null = null;
  let stopped = false;
  const step: ChannelRuleStep = { store, catalog, config, logger, lookbackMs, calendars: new Map() };

  const evaluateOnce = async (): Promise<EvaluationReport> => {
    const report: EvaluationReport = { opened: 0, resolved: 0, queued: 0 };
    if (!config.enabled) return report;
    const now = clock.now();
    applyChannelRules(step, now, report);
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
    deliveries = delivery
      .deliverDue()
      .catch((err: unknown) => logger.error({ err }, 'alert delivery pass failed'))
      .finally(() => {
        deliveries = null;
      });
  };

  const engine = {
    /** Runs every rule once and queues notices; delivery continues in the background. */
    evaluate(): Promise<EvaluationReport> {
      if (evaluating) return evaluating;
      evaluating = evaluateOnce().finally(() => {
        evaluating = null;
      });
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
      const entry =
        Object.entries(config.targets).find(([name]) => name === targetOrKind) ?? Object.entries(config.targets).find(([, t]) => t.kind === targetOrKind);
      if (!entry)
        throw new FirstReplyError(
          'NOT_FOUND',
          `no alert target or notifier kind "${targetOrKind}" in settings.yaml alerts.targets (known: ${Object.keys(config.targets).join(', ') || 'none'})`,
        );
      const [name, target] = entry;
      const now = clock.now();
      const vendor = catalog.vendors[0];
      const notice: AlertNotice = {
        event: 'test',
        at: now,
        alert: {
          id: null,
          rule: 'test',
          title: 'Test notice',
          vendor: vendor?.slug ?? 'example',
          vendorName: vendor?.name ?? 'Example vendor',
          channel: vendor?.channels[0]?.id ?? null,
          audience: 'operator',
          severity: 'warning',
          summary: 'a test notice from firstreply alerts test',
          openedAt: now,
          resolvedAt: null,
        },
        headline: `This is a test of the "${name}" ${target.kind} target. Real notices carry the numbers behind each alert.`,
        facts: [{ label: 'Example', value: 'median 9 h 10 min vs baseline 4 h (2.3×), log-rank p = 0.0012' }],
        numbers: {},
        url: vendorPageUrl(catalog.settings.public_url, vendor?.slug ?? 'example'),
      };
      store.alerts.enqueue({ alertId: null, target: name, kind: target.kind, event: 'test', seq: now, notice: JSON.stringify(notice) });
      return { ...(await delivery.deliverDue()), target: name };
    },
    /** Evaluates every `intervalMs` (default: settings alerts.evaluate_every), at each SLA deadline, and when a retry is due. */
    start(intervalMs = config.evaluate_every): void {
      if (stopped || timers.size > 0) return;
      const tick = (): void => {
        engine
          .evaluate()
          .catch((err: unknown) => logger.error({ err }, 'alert evaluation failed'))
          .finally(() => {
            if (!stopped) armWake(intervalMs);
          });
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
      engine
        .evaluate()
        .then(() => engine.deliver())
        .catch((err: unknown) => logger.error({ err }, 'alert evaluation failed'));
    }, Math.max(0, delay) + 5);
    wake.unref();
    timers.add(wake);
  };

  return engine;
}

export type AlertEngine = ReturnType<typeof createAlertEngine>;
