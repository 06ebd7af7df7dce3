// Slack-compatible incoming webhook (also Mattermost, Rocket.Chat): text with mrkdwn blocks.
import type { Notifier } from './notifier.ts';
import { slackPayload } from './render.ts';
import { postJson } from './http.ts';

export const slackNotifier: Notifier<'slack'> = {
  kind: 'slack',
  async send(target, notice, ctx) {
    await postJson(target.url, slackPayload(notice, target.channel), {}, ctx.signal);
  },
};
