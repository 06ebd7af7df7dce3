// Microsoft Teams through a Workflows webhook ("post to a channel when a webhook request is received"): one Adaptive Card.
import type { AlertNotice, NotifierModule } from './notifier.ts';
import { notifierSettingsSchemas } from './settings.ts';
import { alertRef, linkLabel, noticeTitle, utc } from './render.ts';
import { postJson } from './http.ts';

/** The message a Workflows webhook expects: an attachment holding an Adaptive Card (1.4: what Teams renders today). */
function teamsPayload(notice: AlertNotice): Record<string, unknown> {
  const a = notice.alert;
  const colour = notice.event === 'resolved' ? 'Good' : a.severity === 'critical' ? 'Attention' : 'Warning';
  const opened = `Opened ${utc(a.openedAt)}${a.resolvedAt !== null ? `, recovered ${utc(a.resolvedAt)}` : ''} · ${a.severity} · for ${a.audience}s`;
  const body: Array<Record<string, unknown>> = [
    { type: 'TextBlock', text: noticeTitle(notice), weight: 'Bolder', size: 'Medium', color: colour, wrap: true },
    { type: 'TextBlock', text: opened, isSubtle: true, spacing: 'None', wrap: true },
    { type: 'TextBlock', text: notice.headline, wrap: true },
  ];
  if (notice.event === 'resolved' || notice.event === 'reminder')
    body.push({ type: 'TextBlock', text: `When it opened: ${a.summary}`, isSubtle: true, wrap: true });
  if (notice.facts.length > 0) body.push({ type: 'FactSet', facts: notice.facts.map((f) => ({ title: f.label, value: f.value })) });
  body.push({ type: 'TextBlock', text: `${alertRef(notice)} · rule ${a.rule} · firstreply`, isSubtle: true, size: 'Small', wrap: true });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body,
          actions: [{ type: 'Action.OpenUrl', title: linkLabel(notice), url: notice.url }],
        },
      },
    ],
  };
}

export const teamsNotifier: NotifierModule<'teams'> = {
  kind: 'teams',
  settings: notifierSettingsSchemas.teams,
  async send(target, notice, ctx) {
    await postJson(target.url, teamsPayload(notice), {}, ctx.signal);
  },
};
