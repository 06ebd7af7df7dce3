// PagerDuty Events API v2: an opened or reminded alert triggers, a recovery resolves, both under one dedup_key per alert.
import type { AlertNotice, NotifierModule } from './notifier.ts';
import { notifierSettingsSchemas } from './settings.ts';
import { linkLabel, noticeTitle } from './render.ts';
import { clip, postJson } from './http.ts';

/** Stable for the alert's whole life, so a reminder joins its incident and the recovery resolves it. */
function dedupKey(notice: AlertNotice): string {
  const a = notice.alert;
  return a.id === null ? `firstreply/test/${a.rule}/${notice.at}` : `firstreply/${a.vendor}/${a.rule}/${a.id}`;
}

function pagerdutyEvent(notice: AlertNotice, routingKey: string): Record<string, unknown> {
  const a = notice.alert;
  if (notice.event === 'resolved') return { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey(notice) };
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey(notice),
    client: 'firstreply',
    client_url: notice.url,
    payload: {
      summary: clip(`${noticeTitle(notice)}: ${notice.headline}`, 1024),
      source: 'firstreply',
      severity: notice.event === 'test' ? 'info' : a.severity,
      timestamp: new Date(notice.at).toISOString(),
      component: a.vendor,
      ...(a.channel ? { group: a.channel } : {}),
      class: a.rule,
      custom_details: {
        headline: notice.headline,
        opened: a.summary,
        opened_at: new Date(a.openedAt).toISOString(),
        audience: a.audience,
        alert: a.id,
        ...Object.fromEntries(notice.facts.map((f) => [f.label, f.value])),
        numbers: notice.numbers,
      },
    },
    links: [{ href: notice.url, text: linkLabel(notice) }],
  };
}

export const pagerdutyNotifier: NotifierModule<'pagerduty'> = {
  kind: 'pagerduty',
  settings: notifierSettingsSchemas.pagerduty,
  async send(target, notice, ctx) {
    await postJson(target.url, pagerdutyEvent(notice, target.routing_key), {}, ctx.signal);
  },
};
