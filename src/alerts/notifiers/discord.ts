// Discord channel webhook: a short `content` line and one embed with the facts; nobody is ever pinged.
import type { AlertNotice, NotifierModule } from './notifier.ts';
import { notifierSettingsSchemas } from './settings.ts';
import { alertRef, linkLabel, noticeTitle } from './render.ts';
import { clip, postJson } from './http.ts';

/** Discord renders markdown in content, titles and fields: a vendor's name must not turn into formatting or links. */
function escapeDiscord(text: string): string {
  return text.replace(/[\\*_~`|<[\]]/g, '\\$&').replace(/^([#>-])/gm, '\\$1');
}

const colours = { resolved: 0x1a7f37, critical: 0xb42318, warning: 0x9a6700 } as const;

/** Discord's limits: content 2000, title 256, description 4096, 25 fields of name 256 and value 1024. */
function discordPayload(notice: AlertNotice, username?: string): Record<string, unknown> {
  const a = notice.alert;
  const title = clip(noticeTitle(notice), 256);
  const description = notice.event === 'resolved' || notice.event === 'reminder' ? `${notice.headline}\n\nWhen it opened: ${a.summary}` : notice.headline;
  return {
    ...(username ? { username } : {}),
    content: clip(escapeDiscord(`[firstreply] ${noticeTitle(notice)}`), 2000),
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: escapeDiscord(title),
        description: clip(escapeDiscord(description), 4096),
        url: notice.url,
        color: notice.event === 'resolved' ? colours.resolved : colours[a.severity],
        timestamp: new Date(notice.at).toISOString(),
        fields: [
          ...notice.facts
            .slice(0, 24)
            .map((f) => ({ name: clip(escapeDiscord(f.label), 256), value: clip(escapeDiscord(f.value), 1024) || '—', inline: true })),
          { name: linkLabel(notice), value: notice.url, inline: false },
        ],
        footer: { text: `${alertRef(notice)} · rule ${a.rule} · ${a.severity} · for ${a.audience}s` },
      },
    ],
  };
}

export const discordNotifier: NotifierModule<'discord'> = {
  kind: 'discord',
  settings: notifierSettingsSchemas.discord,
  async send(target, notice, ctx) {
    await postJson(target.url, discordPayload(notice, target.username), {}, ctx.signal);
  },
};
