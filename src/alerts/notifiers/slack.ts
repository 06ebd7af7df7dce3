// Slack-compatible incoming webhook (also Mattermost, Rocket.Chat): text with mrkdwn blocks.
import type { AlertNotice, NotifierModule } from './notifier.ts';
import { notifierSettingsSchemas } from './settings.ts';
import { linkLabel, noticeTitle } from './render.ts';
import { postJson } from './http.ts';

/** Slack mrkdwn needs only &, < and > escaped; links are <url|label>. */
function escapeSlack(text: string): string {
  return text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? c);
}

function slackPayload(notice: AlertNotice, channel?: string): Record<string, unknown> {
  const a = notice.alert;
  const icon = notice.event === 'resolved' ? ':white_check_mark:' : a.severity === 'critical' ? ':rotating_light:' : ':warning:';
  const title = `${icon} *${escapeSlack(noticeTitle(notice))}*`;
  const facts = notice.facts.map((f) => `• *${escapeSlack(f.label)}:* ${escapeSlack(f.value)}`).join('\n');
  const text = `${title}\n${escapeSlack(notice.headline)}`;
  return {
    ...(channel ? { channel } : {}),
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      ...(facts ? [{ type: 'section', text: { type: 'mrkdwn', text: facts } }] : []),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `<${escapeSlack(notice.url)}|${linkLabel(notice)}> · alert ${a.id === null ? '(test)' : `#${a.id}`} · rule ${escapeSlack(a.rule)}`,
          },
        ],
      },
    ],
  };
}

export const slackNotifier: NotifierModule<'slack'> = {
  kind: 'slack',
  settings: notifierSettingsSchemas.slack,
  async send(target, notice, ctx) {
    await postJson(target.url, slackPayload(notice, target.channel), {}, ctx.signal);
  },
};
