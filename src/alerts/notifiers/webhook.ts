// Generic JSON webhook: POSTs the notice as one JSON document.
import type { AlertNotice, NotifierModule } from './notifier.ts';
import { notifierSettingsSchemas } from './settings.ts';
import { noticeText } from './render.ts';
import { postJson } from './http.ts';

/** The generic webhook's JSON body: stable field names, times as ISO strings and ms. */
function webhookBody(notice: AlertNotice): Record<string, unknown> {
  const a = notice.alert;
  return {
    type: 'firstreply.alert',
    event: notice.event,
    at: new Date(notice.at).toISOString(),
    alert: {
      id: a.id,
      rule: a.rule,
      title: a.title,
      vendor: a.vendor,
      vendor_name: a.vendorName,
      channel: a.channel,
      audience: a.audience,
      severity: a.severity,
      state: a.resolvedAt === null ? 'open' : 'resolved',
      summary: a.summary,
      opened_at: new Date(a.openedAt).toISOString(),
      resolved_at: a.resolvedAt === null ? null : new Date(a.resolvedAt).toISOString(),
    },
    headline: notice.headline,
    facts: notice.facts,
    numbers: notice.numbers,
    url: notice.url,
    text: noticeText(notice),
  };
}

export const webhookNotifier: NotifierModule<'webhook'> = {
  kind: 'webhook',
  settings: notifierSettingsSchemas.webhook,
  async send(target, notice, ctx) {
    await postJson(target.url, webhookBody(notice), target.headers, ctx.signal);
  },
};
