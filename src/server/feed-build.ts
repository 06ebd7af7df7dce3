// Pure: the Atom feed's text — subscriber alerts, operator notes and each channel's current status, newest first.
import { escapeHtml } from './html.ts';
import { messages } from './i18n.ts';
import type { ChannelStatusEntry } from './document-build.ts';
import type { PublicAlertRow } from '../store/public-probes.ts';
import type { NoteRow } from '../store/vendors.ts';

interface FeedEntry {
  id: string;
  title: string;
  summary: string;
  updated: number;
  link: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

function atomFeed(base: string, updated: number, entries: FeedEntry[]): string {
  const body = entries
    .map(
      (e) => `<entry>
<id>${escapeHtml(e.id)}</id>
<title>${escapeHtml(e.title)}</title>
<updated>${iso(e.updated)}</updated>
<link rel="alternate" type="text/html" href="${escapeHtml(e.link)}"/>
<summary>${escapeHtml(e.summary)}</summary>
</entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>${escapeHtml(`${base}/feed.atom`)}</id>
<title>firstreply: SLA breaches, regressions and status changes</title>
<updated>${iso(updated)}</updated>
<link rel="self" type="application/atom+xml" href="${escapeHtml(`${base}/feed.atom`)}"/>
<link rel="alternate" type="text/html" href="${escapeHtml(`${base}/`)}"/>
<author><name>firstreply</name></author>
${body}
</feed>
`;
}

/** A note of a vendor the reader may see, as a feed entry (its stored row, wherever it came from). */
export type FeedNote = Omit<NoteRow, 'source'>;

const noteKindTitle: Record<string, string> = { maintenance: 'Maintenance', paused: 'Probes paused', method_change: 'Method change', other: 'Note' };

/** `statuses`: the list's channel statuses, newest first (its builder keeps the newest 200); `vendorName`: of a listed vendor. */
function feedEntries(
  base: string,
  alerts: PublicAlertRow[],
  statuses: readonly ChannelStatusEntry[],
  vendorName: (slug: string) => string | undefined,
  notes: readonly FeedNote[] = [],
): FeedEntry[] {
  const status = messages.en;
  const entries: FeedEntry[] = alerts.map((a) => ({
    id: `${base}/feed/alert/${a.id}/${a.state}`,
    title: `${a.state === 'open' ? '' : '[resolved] '}${a.vendor_name}${a.channel ? ` / ${a.channel}` : ''}: ${a.summary}`,
    summary: `${a.rule} (${a.severity}): ${a.summary}`,
    updated: a.resolved_at ?? a.opened_at,
    link: `${base}/vendor/${encodeURIComponent(a.vendor)}`,
  }));
  for (const note of notes) {
    const name = vendorName(note.vendor);
    if (name === undefined) continue;
    const channels = note.channels === null ? '' : ` / ${note.channels.replace(/[[\]"]/g, '').replace(/,/g, ', ')}`;
    entries.push({
      id: `${base}/feed/note/${encodeURIComponent(note.id)}/${note.until_at ?? 'open'}`,
      title: `${name}${channels}: ${noteKindTitle[note.kind] ?? 'Note'} — ${note.title}`,
      summary: `${note.title}${note.text ? `: ${note.text}` : ''} (from ${iso(note.from_at)}${note.until_at === null ? '' : ` until ${iso(note.until_at)}`})`,
      updated: Math.max(note.from_at, note.created_at),
      link: `${base}/vendor/${encodeURIComponent(note.vendor)}`,
    });
  }
  for (const channel of statuses) {
    const label = status[`status.${channel.status}`];
    entries.push({
      id: `${base}/feed/status/${channel.slug}/${channel.channel}/${channel.status}`,
      title: `${channel.name} / ${channel.channel}: ${label}`,
      summary: `${channel.name} (${channel.channel}) is now "${label}" over the last 90 days: ${channel.met} of ${channel.known} probes within SLA${channel.noReplyShare === null ? '' : `, ${Math.round(channel.noReplyShare * 100)}% of ${channel.n} without a human reply`}.`,
      updated: channel.lastProbeAt,
      link: `${base}/vendor/${encodeURIComponent(channel.slug)}`,
    });
  }
  return entries.sort((a, b) => b.updated - a.updated).slice(0, 200);
}

/** What the feed is made of: `statuses` newest first (the list's builder keeps the newest 200); `generatedAt`: the list's. */
export interface FeedInput {
  base: string;
  alerts: PublicAlertRow[];
  statuses: readonly ChannelStatusEntry[];
  vendorName: (slug: string) => string | undefined;
  notes: readonly FeedNote[];
  generatedAt: number;
}

export function feedText(input: FeedInput): string {
  const entries = feedEntries(input.base, input.alerts, input.statuses, input.vendorName, input.notes);
  return atomFeed(input.base, entries[0]?.updated ?? input.generatedAt, entries);
}

/** Alerts and notes the feed shows at most (each). */
export const feedReads = 100;
