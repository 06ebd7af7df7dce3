// Sends queued notices from the outbox: one notifier call per row, retried with exponential backoff, never blocking evaluation.
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import { errorMessage } from '../core/errors.ts';
import type { Settings } from '../config/schema.ts';
import type { Store } from '../store/db.ts';
import type { DeliveryRow } from '../store/alerts.ts';
import type { AlertsConfig } from '../config/alerts.ts';
import type { NotifierKind } from './notifiers/settings.ts';
import type { AlertNotice, NotifierContext, NotifierRegistry, TargetOf } from './notifiers/notifier.ts';

export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
}

interface DeliveryDeps {
  store: Store;
  config: AlertsConfig;
  settings: Settings;
  notifiers: NotifierRegistry;
  clock: Clock;
  logger: Logger;
}

/** Wait before attempt `attempt + 1`: backoff, 2 × backoff, 4 × … capped at max_backoff. */
function backoffMs(attempt: number, delivery: AlertsConfig['delivery']): number {
  return Math.min(delivery.max_backoff, delivery.backoff * 2 ** Math.max(0, attempt - 1));
}

/** The registry's module for the target's kind: the registry's type pairs each kind with its own targets. */
function sendWith<K extends NotifierKind>(notifiers: NotifierRegistry, kind: K, target: TargetOf<K>, notice: AlertNotice, ctx: NotifierContext): Promise<void> {
  return notifiers[kind].send(target, notice, ctx);
}

export function createDelivery(deps: DeliveryDeps) {
  const { store, config, clock, logger } = deps;
  const shutdown = new AbortController();
  let running: Promise<DeliveryReport> | null = null;
  let again = false;

  const deliverOne = async (row: DeliveryRow, report: DeliveryReport): Promise<void> => {
    const target = Object.hasOwn(config.targets, row.target) ? config.targets[row.target] : undefined;
    const log = logger.child({ delivery: row.id, alert: row.alert_id, target: row.target, event: row.event });
    if (!target) {
      store.alerts.markFailed(row.id, `no target "${row.target}" in settings.yaml any more`);
      log.error('alert notice dropped: its target is no longer configured');
      report.failed++;
      return;
    }
    const notice: AlertNotice = JSON.parse(row.notice);
    const signal = AbortSignal.any([shutdown.signal, AbortSignal.timeout(config.delivery.timeout)]);
    try {
      await sendWith(deps.notifiers, target.kind, target, notice, { settings: deps.settings, signal, logger: log });
      store.alerts.markDelivered(row.id);
      log.info({ kind: target.kind, attempt: row.attempts + 1 }, 'alert notice delivered');
      report.sent++;
    } catch (err) {
      const attempt = row.attempts + 1;
      if (shutdown.signal.aborted) {
        store.alerts.markRetry(row.id, clock.now(), `interrupted by shutdown: ${errorMessage(err)}`);
        report.retrying++;
      } else if (attempt >= config.delivery.max_attempts) {
        store.alerts.markFailed(row.id, errorMessage(err));
        log.error({ kind: target.kind, attempt, err }, 'alert notice failed for good');
        report.failed++;
      } else {
        const next = clock.now() + backoffMs(attempt, config.delivery);
        store.alerts.markRetry(row.id, next, errorMessage(err));
        log.warn({ kind: target.kind, attempt, nextAttemptAt: new Date(next).toISOString(), err }, 'alert notice failed, will retry');
        report.retrying++;
      }
    }
  };

  const drain = async (): Promise<DeliveryReport> => {
    const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0 };
    do {
      again = false;
      const rows = store.alerts.due(clock.now(), 200);
      const byTarget = new Map<string, DeliveryRow[]>();
      for (const row of rows) byTarget.set(row.target, [...(byTarget.get(row.target) ?? []), row]);
      // Targets in parallel, each target's notices in order: one slow peer delays only its own notices.
      await Promise.all(
        [...byTarget.values()].map(async (queue) => {
          for (const row of queue) {
            if (shutdown.signal.aborted) return;
            await deliverOne(row, report);
          }
        }),
      );
    } while (again && !shutdown.signal.aborted);
    return report;
  };

  return {
    /** Sends every notice that is due; concurrent calls share one pass (and trigger one more after it). */
    deliverDue(): Promise<DeliveryReport> {
      if (running) {
        again = true;
        return running;
      }
      running = drain().finally(() => {
        running = null;
      });
      return running;
    },
    nextDue: () => store.alerts.nextDue(),
    async stop(): Promise<void> {
      shutdown.abort(new Error('alerts stopping'));
      if (running) await running;
    },
  };
}
