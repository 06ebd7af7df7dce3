// Pure: the words every notice shares — title, subject, plain text and HTML (everything escaped); each notifier builds its payload from them.
import type { AlertNotice } from './notifier.ts';

const eventWords: Record<AlertNotice['event'], string> = {
  opened: '',
  reminder: 'Still open: ',
  resolved: 'Recovered: ',
  test: 'Test: ',
};

/** What the notice's link opens: the review page for the review digest, else the vendor's page. */
export function linkLabel(notice: AlertNotice): string {
  if (notice.alert.rule === 'mailbox_down') return 'Status page';
  return notice.alert.rule === 'review_needed' ? 'Review page' : 'Vendor page';
}

function where(notice: AlertNotice): string {
  return notice.alert.channel ? `${notice.alert.vendorName} · ${notice.alert.channel}` : notice.alert.vendorName;
}

export const utc = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** "Recovered: SLA breach — Acme · email": the event, the rule's title and where. */
export function noticeTitle(notice: AlertNotice): string {
  return `${eventWords[notice.event]}${notice.alert.title} — ${where(notice)}`;
}

/** "Alert #12" or "Alert (test)". */
export function alertRef(notice: AlertNotice): string {
  return notice.alert.id === null ? 'Alert (test)' : `Alert #${notice.alert.id}`;
}

export function noticeSubject(notice: AlertNotice): string {
  return `[firstreply] ${noticeTitle(notice)}`;
}

export function noticeText(notice: AlertNotice): string {
  const a = notice.alert;
  const lines = [
    `${eventWords[notice.event]}${a.title} — ${where(notice)}`,
    `Opened ${utc(a.openedAt)}${a.resolvedAt !== null ? `, recovered ${utc(a.resolvedAt)}` : ''} · ${a.severity} · for ${a.audience}s`,
    '',
    notice.headline,
  ];
  if (notice.event === 'resolved' || notice.event === 'reminder') lines.push('', `When it opened: ${a.summary}`);
  if (notice.facts.length > 0) lines.push('', ...notice.facts.map((f) => `${f.label}: ${f.value}`));
  lines.push('', `${linkLabel(notice)}: ${notice.url}`, `Alert ${a.id === null ? '(test)' : `#${a.id}`} · rule ${a.rule} · firstreply`);
  return `${lines.join('\n')}\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export function noticeHtml(notice: AlertNotice): string {
  const a = notice.alert;
  const colour = notice.event === 'resolved' ? '#1a7f37' : a.severity === 'critical' ? '#b42318' : '#9a6700';
  const rows = notice.facts
    .map(
      (f) =>
        `<tr><th style="text-align:left;padding:2px 12px 2px 0;vertical-align:top">${escapeHtml(f.label)}</th><td style="padding:2px 0">${escapeHtml(f.value)}</td></tr>`,
    )
    .join('');
  const opened = notice.event === 'resolved' || notice.event === 'reminder' ? `<p style="color:#555">When it opened: ${escapeHtml(a.summary)}</p>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(noticeSubject(notice))}</title></head>
<body style="font-family:system-ui,sans-serif;line-height:1.4;color:#111">
<h1 style="font-size:18px;color:${colour}">${escapeHtml(`${eventWords[notice.event]}${a.title}`)} — ${escapeHtml(where(notice))}</h1>
<p style="color:#555">Opened ${escapeHtml(utc(a.openedAt))}${a.resolvedAt !== null ? `, recovered ${escapeHtml(utc(a.resolvedAt))}` : ''} · ${escapeHtml(a.severity)} · for ${escapeHtml(a.audience)}s</p>
<p><strong>${escapeHtml(notice.headline)}</strong></p>
${opened}
<table style="border-collapse:collapse;font-size:14px">${rows}</table>
<p><a href="${escapeHtml(notice.url)}">Open the ${linkLabel(notice).toLowerCase()}</a></p>
<p style="color:#777;font-size:12px">Alert ${a.id === null ? '(test)' : `#${a.id}`} · rule ${escapeHtml(a.rule)} · firstreply</p>
</body></html>
`;
}
