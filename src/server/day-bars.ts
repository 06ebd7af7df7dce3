// Pure: the home page's 90-day bars as inline SVG drawn by the server, so print and full-page captures show every one.
import { escapeHtml } from './html.ts';
import type { DaySeries, VendorsDocument } from './views.ts';

const HEIGHT = 28;
const STEP = 4;
const WIDTH = 3;
/** Stacked top to bottom, as the legend reads: no reply, slower than SLA, open, within SLA. */
const order = [
  ['n', 'noReply'],
  ['s', 'missedSla'],
  ['o', 'open'],
  ['g', 'withinSla'],
] as const;

const num = (x: number): string => String(Math.round(x * 100) / 100);

/** One <path> per outcome (and one for days without probes): a few elements per bar whatever the number of days. */
export function dayBarSvg(days: DaySeries): string {
  const count = days.withinSla.length;
  const paths: Record<'n' | 's' | 'o' | 'g' | 'e', string[]> = { n: [], s: [], o: [], g: [], e: [] };
  for (let i = 0; i < count; i++) {
    const x = i * STEP;
    const total = order.reduce((sum, [, field]) => sum + (days[field][i] ?? 0), 0);
    if (total === 0) {
      paths.e.push(`M${x} ${num(HEIGHT * 0.35)}h${WIDTH}v${num(HEIGHT * 0.3)}h-${WIDTH}z`);
      continue;
    }
    let y = 0;
    for (const [code, field] of order) {
      const part = days[field][i] ?? 0;
      if (part === 0) continue;
      const h = (part / total) * HEIGHT;
      paths[code].push(`M${x} ${num(y)}h${WIDTH}v${num(h)}h-${WIDTH}z`);
      y += h;
    }
  }
  const body = (['e', 'n', 's', 'o', 'g'] as const)
    .filter((c) => paths[c].length > 0)
    .map((c) => `<path class="${c}" d="${paths[c].join('')}"/>`)
    .join('');
  return `<svg class="day-bar" viewBox="0 0 ${Math.max(1, count) * STEP - 1} ${HEIGHT}" preserveAspectRatio="none" aria-hidden="true" focusable="false">${body}</svg>`;
}

/** Every channel's bar, keyed by vendor and channel, in a hidden holder the page script moves into its rows. */
export function dayBarsHolder(doc: VendorsDocument): string {
  const bars = doc.vendors.flatMap((v) =>
    v.channels.map((c) => dayBarSvg(c.days).replace('<svg ', `<svg data-vendor="${escapeHtml(v.slug)}" data-channel="${escapeHtml(c.channel)}" `)),
  );
  return `<div id="day-bars" hidden>${bars.join('')}</div>`;
}
