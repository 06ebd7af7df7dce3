// ntfy: POSTs the notice as plain text to a topic URL, with its title, priority, tags and link in headers.
import type { AlertNotice, NotifierModule } from './notifier.ts';
import { notifierSettingsSchemas } from './settings.ts';
import { alertRef, noticeTitle, utc } from './render.ts';
import { postBody } from './http.ts';

/** HTTP header values are Latin-1 at most: other text goes as RFC 2047 encoded words, which ntfy decodes. */
function headerText(text: string): string {
  const oneLine = text.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(oneLine) ? oneLine : `=?UTF-8?B?${Buffer.from(oneLine, 'utf8').toString('base64')}?=`;
}

function ntfyMessage(notice: AlertNotice): string {
  const a = notice.alert;
  const lines = [notice.headline];
  if (notice.event === 'resolved' || notice.event === 'reminder') lines.push(`When it opened: ${a.summary}`);
  lines.push(...notice.facts.map((f) => `${f.label}: ${f.value}`));
  lines.push(`Opened ${utc(a.openedAt)}${a.resolvedAt !== null ? `, recovered ${utc(a.resolvedAt)}` : ''} · ${alertRef(notice)} · rule ${a.rule}`);
  return lines.join('\n');
}

interface NtfyOptions {
  priority?: number;
  tags: readonly string[];
  token?: string;
}

function ntfyHeaders(notice: AlertNotice, options: NtfyOptions): Record<string, string> {
  const a = notice.alert;
  const alarming = notice.event === 'opened' || notice.event === 'reminder';
  const priority = alarming ? (options.priority ?? (a.severity === 'critical' ? 5 : 4)) : 3;
  const icon =
    notice.event === 'resolved' ? 'white_check_mark' : notice.event === 'test' ? 'test_tube' : a.severity === 'critical' ? 'rotating_light' : 'warning';
  return {
    'content-type': 'text/plain; charset=utf-8',
    Title: headerText(noticeTitle(notice)),
    Priority: String(priority),
    Tags: headerText([icon, a.rule, a.vendor, ...options.tags].join(',')),
    Click: notice.url,
    ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
  };
}

export const ntfyNotifier: NotifierModule<'ntfy'> = {
  kind: 'ntfy',
  settings: notifierSettingsSchemas.ntfy,
  async send(target, notice, ctx) {
    await postBody(target.url, ntfyMessage(notice), ntfyHeaders(notice, target), ctx.signal);
  },
};
