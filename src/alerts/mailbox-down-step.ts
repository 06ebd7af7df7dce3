// The mailbox_down step: one operator alert per mailbox we cannot read, resolved when the outage ends.
import type { Catalog } from '../config/schema.ts';
import type { Store } from '../store/db.ts';
import type { AlertRow, DeliveryEvent } from '../store/alerts.ts';
import { mailboxDown, ruleAudience, ruleTitles, type MailboxOutage, type Verdict } from './rules.ts';
import type { AlertNotice } from './notifiers/notifier.ts';
import { everyVendor, noticeOf, targetWants, type AlertStep, type EvaluationReport } from './notices.ts';

/** "vendor/channel" of every channel whose replies go to `mailbox`: they pause while it is down. */
const channelsOfMailbox = (catalog: Catalog, mailbox: string): string[] =>
  catalog.vendors.flatMap((v) => v.channels.filter((c) => 'mailbox' in c && c.mailbox === mailbox && c.enabled).map((c) => `${v.slug}/${c.id}`));

const outagePoint = (row: NonNullable<ReturnType<Store['outages']['get']>>): MailboxOutage => ({
  id: row.id,
  mailbox: row.mailbox,
  startedAt: row.started_at,
  endedAt: row.ended_at,
  code: row.code,
  cause: row.cause,
  detail: row.detail,
});

/**
 * One operator alert per mailbox while it cannot be read (channel column: the mailbox), with the cause in words;
 * resolved with a notice when the outage ends. Vendor silences do not apply: this is our fault, not a vendor's.
 */
export function applyMailboxDown(step: AlertStep, now: number, report: EvaluationReport): void {
  const { store, catalog, config, logger } = step;
  const open = store.outages.allOpen();
  const alerts = store.alerts.open().filter((a) => a.rule === 'mailbox_down');
  const log = logger.child({ rule: 'mailbox_down' });
  const mailboxNotice = (alert: AlertRow, event: DeliveryEvent, verdict: Verdict): AlertNotice =>
    noticeOf(
      alert,
      { title: ruleTitles.mailbox_down, vendor: everyVendor, vendorName: `mailbox "${alert.channel ?? ''}"`, channel: null, url: catalog.settings.public_url },
      event,
      verdict,
      now,
    );
  const queueAll = (alert: AlertRow, event: DeliveryEvent, seq: number, verdict: Verdict): void => {
    const notice = JSON.stringify(mailboxNotice(alert, event, verdict));
    for (const [name, target] of Object.entries(config.targets)) {
      if (!targetWants(name, target, alert, config)) continue;
      if (store.alerts.enqueue({ alertId: alert.id, target: name, kind: target.kind, event, seq, notice })) report.queued++;
    }
  };
  for (const row of open) {
    const outage = outagePoint(row);
    const verdict = mailboxDown(outage, now, channelsOfMailbox(catalog, row.mailbox), store.outages.hiddenProbes(row.id));
    const details = JSON.stringify({ facts: verdict.facts, numbers: verdict.numbers });
    store.transaction(() => {
      const existing = store.alerts.openFor('mailbox_down', everyVendor, row.mailbox);
      if (!existing) {
        const alert = store.alerts.insertOpen({
          rule: 'mailbox_down',
          vendor: everyVendor,
          channel: row.mailbox,
          severity: verdict.severity,
          audience: ruleAudience.mailbox_down,
          summary: verdict.summary,
          details,
          probeId: null,
        });
        if (!alert) return;
        report.opened++;
        log.error({ alert: alert.id, mailbox: row.mailbox }, `alert opened: ${verdict.summary}`);
        queueAll(alert, 'opened', 0, verdict);
        store.alerts.markNotified(alert.id, 0);
        return;
      }
      store.alerts.refresh(existing.id, { summary: verdict.summary, details, severity: verdict.severity });
      const reminderDue = config.reminder_every > 0 && existing.last_notified_at !== null && now - existing.last_notified_at >= config.reminder_every;
      if (reminderDue) {
        queueAll(store.alerts.get(existing.id) ?? existing, 'reminder', existing.reminders + 1, verdict);
        store.alerts.markNotified(existing.id, existing.reminders + 1);
      }
    });
  }
  for (const alert of alerts) {
    if (alert.channel === null || open.some((o) => o.mailbox === alert.channel)) continue;
    const last = store.outages.recent(50).find((o) => o.mailbox === alert.channel && o.ended_at !== null);
    const verdict = last
      ? mailboxDown(outagePoint(last), now, channelsOfMailbox(catalog, last.mailbox), store.outages.hiddenProbes(last.id))
      : { firing: false, severity: alert.severity, summary: `mailbox "${alert.channel}" is reachable again`, facts: [], numbers: {}, probeId: null };
    store.transaction(() => {
      if (!store.alerts.resolve(alert.id, JSON.stringify({ facts: verdict.facts, numbers: verdict.numbers }))) return;
      report.resolved++;
      log.info({ alert: alert.id, mailbox: alert.channel }, verdict.summary);
      queueAll(store.alerts.get(alert.id) ?? alert, 'resolved', 0, verdict);
    });
  }
}
