// Vendor page: per channel a TTFHR scatter (log), the Kaplan–Meier curve, the hour-of-week heatmap, SLA and history tables.
import {
  pageData,
  t,
  esc,
  duration,
  when,
  percent,
  estimate,
  ciHtml,
  tierVerdict,
  logTicks,
  dateTicks,
  labelCells,
  channelStatusHtml,
  footer,
  palette,
  markRendered,
  viewerZone,
  lang,
} from './common.js';

const { report, probes, window: current, windows } = pageData;
const vendor = report.vendors[0];
const root = document.getElementById('vendor');
const uPlot = globalThis.uPlot;
const charts = [];
// A phone shows shorter charts and the latest few probes (the rest one tap away): the page stays a few screens long.
const phone = matchMedia('(max-width: 640px)');
const chartHeight = () => (phone.matches ? 190 : 240);
const dayKeys = ['day.mon', 'day.tue', 'day.wed', 'day.thu', 'day.fri', 'day.sat', 'day.sun'];

function windowPills() {
  const items = windows
    .map((w) => `<li><a href="?window=${encodeURIComponent(w)}"${w === current ? ' aria-current="page"' : ''}>${esc(t(`window.${w}`))}</a></li>`)
    .join('');
  return `<div class="controls"><span>${esc(t('vendor.window'))}:</span><ul class="pills">${items}</ul><span class="muted">${esc(t('vendor.timezone', { tz: vendor.vendor.timezone }))}</span></div>`;
}

function figuresOf(channel) {
  const median = estimate(channel.human.median);
  const slaN = channel.sla.reduce((a, r) => a + r.n, 0);
  const slaMet = channel.sla.reduce((a, r) => a + r.met, 0);
  const fig = (cls, value, label, extra = '', under = '') =>
    `<div class="${cls}"><div class="figure-num">${esc(value)}</div>${under}<div class="figure-label">${esc(label)}${extra}</div></div>`;
  return `<div class="figures">
${fig('fig-median', median.value, t('col.median'), '', ciHtml(median))}
${fig('fig-n', String(channel.human.n), t('col.sample'))}
${fig('fig-noreply', percent(channel.human.noEventShare), t('cross.noReply'))}
${fig('fig-sla', slaN > 0 ? percent(slaMet / slaN) : t('value.none'), t('col.sla'), slaN > 0 ? ` · ${esc(t('value.slaOf', { met: slaMet, n: slaN }))}` : '')}
</div>`;
}

/** A tier's median time to first human reply with its interval, and, while too wide, how many more answers it needs. */
function tierMedianHtml(channel, tier) {
  const row = (channel.tiers ?? []).find((r) => r.tier === tier);
  if (!row) return esc(t('value.none'));
  const x = estimate(row.median);
  const more = row.sufficient
    ? ''
    : `<span class="small insufficient" title="${esc(t('tiers.probes', { probes: row.needed?.probes ?? 0 }))}">${esc(tierVerdict(row))}</span>`;
  return `${esc(x.value)}${ciHtml(x)}<span class="small">${esc(t('tiers.answered', { events: row.events, n: row.n }))}</span>${more}`;
}

function slaTable(channel) {
  const rows = channel.sla
    .map(
      (r) =>
        `<tr data-tier="${esc(r.tier)}"><th scope="row">${esc(r.tier)}</th><td>${esc(duration(r.targetMs))}${r.businessHours ? esc(t('sla.businessHours')) : ''}</td><td>${esc(t(`sla.source.${r.source}`))}</td><td class="num">${r.n > 0 ? `${esc(percent(r.share))} <span class="small">${esc(t('value.slaOf', { met: r.met, n: r.n }))}</span>` : esc(t('value.none'))}</td><td class="num tier-median">${tierMedianHtml(channel, r.tier)}</td></tr>`,
    )
    .join('');
  return `<div class="scroll" tabindex="0" role="region" aria-label="${esc(t('vendor.sla'))} ${esc(channel.channel)}"><table class="sla-table cards"><caption class="visually-hidden">${esc(t('vendor.sla'))}</caption><thead><tr><th scope="col">${esc(t('sla.tier'))}</th><th scope="col">${esc(t('sla.target'))}</th><th scope="col">${esc(t('sla.source'))}</th><th scope="col" class="num">${esc(t('sla.measured'))}</th><th scope="col" class="num">${esc(t('tiers.median'))}</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function heatColour(cell, colours) {
  if (cell.n === 0) return '';
  if (cell.medianMs === null) return colours.n;
  const minutes = Math.max(1, cell.medianMs / 60_000);
  const x = Math.min(1, Math.log(minutes) / Math.log(3 * 24 * 60));
  return `hsl(${Math.round(130 * (1 - x))} 65% 42%)`;
}

function viewerShift() {
  return Math.round(-new Date().getTimezoneOffset() / 60);
}

function heatmapTable(channel, mode, colours) {
  const cells = new Array(168).fill(null).map((_, hour) => ({ hour, n: 0, answered: 0, medianMs: null }));
  if (mode === 'vendor') {
    for (const c of channel.coverage.vendorTz) cells[c.hour] = c;
  } else {
    const shift = viewerShift();
    for (const c of channel.coverage.utc) cells[(((c.hour + shift) % 168) + 168) % 168] = c;
  }
  const hours = Array.from(
    { length: 24 },
    (_, h) => `<th scope="col"${h % 6 === 0 ? '' : ' class="h-minor"'}><span${h % 3 === 0 ? '' : ' class="visually-hidden"'}>${h}</span></th>`,
  ).join('');
  const rows = dayKeys
    .map((key, d) => {
      const tds = Array.from({ length: 24 }, (_, h) => {
        const cell = cells[d * 24 + h];
        const label =
          cell.n === 0
            ? `${t(key)} ${h}:00 — ${t('heat.none')}`
            : t('heat.cell', {
                day: t(key),
                hour: h,
                n: cell.n,
                answered: cell.answered,
                median: cell.medianMs === null ? t('value.notReached') : duration(cell.medianMs),
              });
        return `<td title="${esc(label)}" data-colour="${esc(heatColour(cell, colours))}"><span class="visually-hidden">${esc(label)}</span></td>`;
      }).join('');
      return `<tr><th scope="row">${esc(t(key))}</th>${tds}</tr>`;
    })
    .join('');
  return `<table class="heatmap"><thead><tr><td></td>${hours}</tr></thead><tbody>${rows}</tbody></table>${heatLegend(colours)}`;
}

/** What the colours mean: the median from 1 min (green) to 3 d (red), no human reply, no probe. */
function heatLegend(colours) {
  const stops = [60_000, 600_000, 3_600_000, 36_000_000, 259_200_000];
  const key = (colour, text) => `<li><span class="swatch" data-colour="${esc(colour)}"></span>${esc(text)}</li>`;
  return `<ul class="heat-scale" aria-label="${esc(t('heat.legend'))}"><li>${esc(t('heat.legend'))}:</li>${stops.map((ms) => key(heatColour({ n: 1, medianMs: ms }, colours), duration(ms))).join('')}${key(colours.n, t('heat.noReply'))}<li><span class="swatch e"></span>${esc(t('heat.none'))}</li></ul>`;
}

function paintHeatmap(container) {
  for (const el of container.querySelectorAll('[data-colour]')) el.style.background = el.dataset.colour;
}

/** How many of this channel's reply labels no person has confirmed yet (the classifier's alone). */
function unconfirmedNote(channel) {
  const n = channel.unconfirmedLabels ?? 0;
  const text = lang === 'zh-CN' ? `${n} 个标签尚未经人工确认` : `${n} label${n === 1 ? '' : 's'} not yet confirmed by a person`;
  return `<p class="small unconfirmed" data-unconfirmed="${esc(n)}">${esc(text)}</p>`;
}

/** Probes left out of every figure until a person labels their first reply. */
function awaitingNote(channel) {
  const n = channel.awaitingReview ?? 0;
  if (n === 0) return '';
  return `<p class="small awaiting" data-awaiting="${esc(n)}">${esc(t('vendor.awaitingReview', { n }))}</p>`;
}

/** SLA breaches and regressions of this vendor, open and resolved, each with what its alert said. */
function incidentsSection() {
  const incidents = vendor?.incidents ?? [];
  if (incidents.length === 0) return '';
  const items = incidents
    .map((i) => {
      const span =
        i.resolvedAt === null
          ? t('vendor.incidentOpen', { since: when(i.since) })
          : t('vendor.incidentResolved', { since: when(i.since), until: when(i.resolvedAt) });
      const evidence = i.evidence.map((f) => `<li>${esc(f.label)}: ${esc(f.value)}</li>`).join('');
      return `<li class="incident${i.resolvedAt === null ? ' open' : ''}" data-incident="${esc(i.id)}"><strong>${esc(i.channel)} · ${esc(t(`incident.${i.kind}`))}</strong> <span class="small">${esc(span)}</span>
<p>${esc(i.summary)}</p>${evidence ? `<details><summary>${esc(t('vendor.incidentEvidence'))}</summary><ul class="small">${evidence}</ul></details>` : ''}</li>`;
    })
    .join('');
  return `<section class="incidents" aria-labelledby="incidents-h"><h2 id="incidents-h">${esc(t('vendor.incidents'))}</h2><ul>${items}</ul></section>`;
}

/** Operator notes: maintenance, probes paused at the vendor's request, changes to how we measure. */
function notesSection() {
  const notes = vendor?.notes ?? [];
  if (notes.length === 0) return '';
  const items = notes
    .map((n) => {
      const span =
        n.until === null ? t('vendor.incidentOpen', { since: when(n.from) }) : t('vendor.incidentResolved', { since: when(n.from), until: when(n.until) });
      return `<li class="note" data-note="${esc(n.id)}" data-kind="${esc(n.kind)}"><strong>${esc(t(`note.${n.kind}`))}: ${esc(n.title)}</strong> <span class="small">${esc(n.channels.join(', '))} · ${esc(span)}</span>${n.text ? `<p>${esc(n.text)}</p>` : ''}</li>`;
    })
    .join('');
  return `<section class="notes" aria-labelledby="notes-h"><h2 id="notes-h">${esc(t('vendor.notes'))}</h2><ul>${items}</ul></section>`;
}

function kindName(kind) {
  const name = t(`kind.${kind}`);
  return name === `kind.${kind}` ? kind : name;
}

/** "Channel: e-mail" when the channel is named after its kind, else "Channel support-desk (e-mail)". */
function channelTitle(channel) {
  const kind = kindName(channel.kind);
  return channel.channel === channel.kind ? t('vendor.channelOnly', { kind }) : t('vendor.channel', { channel: channel.channel, kind });
}

function channelSection(channel, index) {
  const id = `ch-${index}`;
  return `<section class="channel" aria-labelledby="${id}">
<h2 id="${id}">${esc(channelTitle(channel))} ${channelStatusHtml(channel)}</h2>
${figuresOf(channel)}
${awaitingNote(channel)}
${unconfirmedNote(channel)}
<div class="charts">
<figure><figcaption id="${id}-scatter-cap">${esc(t('vendor.scatter'))}</figcaption><p class="small">${esc(t('vendor.scatterDesc'))}</p><div class="chart" id="${id}-scatter" role="img" aria-labelledby="${id}-scatter-cap"></div></figure>
<figure><figcaption id="${id}-km-cap">${esc(t('vendor.km'))}</figcaption><p class="small">${esc(t('chart.answeredNote'))}</p><div class="chart" id="${id}-km" role="img" aria-labelledby="${id}-km-cap"></div></figure>
</div>
<h3 id="${id}-heat-h">${esc(t('vendor.heatmap'))}</h3>
<ul class="pills" data-heat="${index}"><li><button type="button" data-mode="vendor" aria-pressed="true">${esc(t('vendor.heatmapVendor', { tz: vendor.vendor.timezone }))}</button></li><li><button type="button" data-mode="viewer" aria-pressed="false">${esc(t('vendor.heatmapViewer', { tz: viewerZone }))}</button></li></ul>
<div class="scroll" tabindex="0" role="region" aria-labelledby="${id}-heat-h" id="${id}-heat"></div>
<h3>${esc(t('vendor.sla'))}</h3>
${slaTable(channel)}
</section>`;
}

function crossTable() {
  if (vendor.comparison.length === 0) return '';
  const botMedian = (name) => vendor.channels.find((ch) => ch.channel === name)?.bot?.median.value ?? null;
  const rows = vendor.comparison
    .map(
      (c) =>
        `<tr><th scope="row">${esc(c.channel)}${c.channel === c.kind ? '' : ` <span class="small">${esc(kindName(c.kind))}</span>`}</th><td class="num">${esc(duration(c.medianMs))}</td><td class="num">${esc(duration(c.p90Ms))}</td><td class="num">${esc(duration(c.ackMedianMs))}</td><td class="num" data-bot="${esc(botMedian(c.channel) ?? '')}">${esc(duration(botMedian(c.channel)))}</td><td class="num">${esc(percent(c.noReplyShare))}</td><td class="num">${esc(percent(c.slaShare))}</td><td class="num">${esc(c.n)}</td><td class="num">${esc(c.awaitingReview ?? 0)}</td></tr>`,
    )
    .join('');
  return `<h2 id="cross-h">${esc(t('vendor.cross'))}</h2><div class="scroll" tabindex="0" role="region" aria-labelledby="cross-h"><table class="cross-table cards"><thead><tr><th scope="col">${esc(t('col.channel'))}</th><th scope="col" class="num">${esc(t('cross.median'))}</th><th scope="col" class="num">${esc(t('cross.p90'))}</th><th scope="col" class="num">${esc(t('cross.ack'))}</th><th scope="col" class="num">${esc(t('cross.bot'))}</th><th scope="col" class="num">${esc(t('cross.noReply'))}</th><th scope="col" class="num">${esc(t('col.sla'))}</th><th scope="col" class="num">${esc(t('col.sample'))}</th><th scope="col" class="num">${esc(t('cross.awaitingReview'))}</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** Speed beside resolution, a row per channel: the brief's point that a fast reply that solves nothing means little. */
function qualitySection() {
  const channels = vendor ? vendor.channels : [];
  if (channels.length === 0) return '';
  const ofN = (p) =>
    p.n > 0 ? `${esc(percent(p.count / p.n))} <span class="small">${esc(t('quality.ofN', { count: p.count, n: p.n }))}</span>` : esc(t('quality.notMeasured'));
  const rows = channels
    .map((c) => {
      const r = c.resolution;
      const resolution = r.n > 0 ? `${esc(duration(r.time.median.value))} <span class="small">n = ${esc(r.n)}</span>` : esc(t('quality.notMeasured'));
      return `<tr data-quality="${esc(c.channel)}"><th scope="row">${esc(c.channel)} <span class="small">${esc(c.kind)}</span></th><td class="num">${esc(duration(c.human.median.value))} <span class="small">n = ${esc(c.human.n)}</span></td><td class="num">${resolution}</td><td class="num">${ofN(r.firstContact)}</td><td class="num">${ofN(r.canned)}</td></tr>`;
    })
    .join('');
  const points = resolutionPoints();
  const unresolved = probes.probes.filter((p) => p.firstHumanAt !== null && p.sentAt !== null && p.resolvedAt === null).length;
  const pointRows = points
    .map((p) => `<tr><td>${esc(p.channel)}</td><td class="num">${esc(duration(p.firstMs))}</td><td class="num">${esc(duration(p.resolvedMs))}</td></tr>`)
    .join('');
  return `<section class="quality" aria-labelledby="quality-h"><h2 id="quality-h">${esc(t('quality.heading'))}</h2><p class="small">${esc(t('quality.desc'))}</p>
<div class="scroll" tabindex="0" role="region" aria-labelledby="quality-h"><table class="quality-table cards"><thead><tr><th scope="col">${esc(t('col.channel'))}</th><th scope="col" class="num">${esc(t('quality.firstReply'))}</th><th scope="col" class="num">${esc(t('quality.resolution'))}</th><th scope="col" class="num">${esc(t('quality.firstContact'))}</th><th scope="col" class="num">${esc(t('quality.canned'))}</th></tr></thead><tbody>${rows}</tbody></table></div>
<figure><figcaption id="quality-scatter-cap">${esc(t('quality.scatter'))}</figcaption>${points.length === 0 ? '' : `<p class="small">${esc(t('quality.scatterDesc'))}</p><div class="chart" id="quality-scatter" role="img" aria-labelledby="quality-scatter-cap" data-points="${esc(points.length)}"></div>`}
<p class="small" data-unresolved="${esc(unresolved)}">${esc(t('quality.unresolved', { n: unresolved }))}</p>
<details><summary>${esc(t('quality.scatter'))}</summary><table class="quality-points"><thead><tr><th scope="col">${esc(t('col.channel'))}</th><th scope="col" class="num">${esc(t('quality.axisFirst'))}</th><th scope="col" class="num">${esc(t('quality.axisResolution'))}</th></tr></thead><tbody>${pointRows}</tbody></table></details></figure></section>`;
}

/** Answered and resolved probes: time to the first human reply and to resolution, fastest first reply first. */
function resolutionPoints() {
  return probes.probes
    .filter((p) => p.sentAt !== null && p.firstHumanAt !== null && p.resolvedAt !== null)
    .map((p) => ({ channel: p.channel, firstMs: Math.max(0, p.firstHumanAt - p.sentAt), resolvedMs: Math.max(0, p.resolvedAt - p.sentAt) }))
    .sort((a, b) => a.firstMs - b.firstMs);
}

function resolutionScatter(el, colours) {
  const points = resolutionPoints();
  const seconds = (ms) => Math.max(1, ms / 1000);
  const xs = points.map((p) => seconds(p.firstMs));
  const ys = points.map((p) => seconds(p.resolvedMs));
  // One range on both axes, so a probe resolved by its first reply sits on the diagonal.
  const all = [...xs, ...ys];
  const range = all.length === 0 ? [60, 3600] : [Math.min(...all) / 1.5, Math.max(...all) * 1.5];
  const point = (stroke, size) => ({ show: true, size, stroke, fill: stroke, width: 1 });
  const summary = t('series.count', { n: points.length });
  return new uPlot(
    {
      width: el.clientWidth || 500,
      height: chartHeight(),
      scales: { x: { time: false, distr: 3, range: () => range }, y: { distr: 3, range: () => range } },
      series: [
        { label: t('quality.axisFirst'), value: (_u, _v, _s, idx) => (idx === null ? summary : duration(points[idx].firstMs)) },
        {
          label: t('quality.axisResolution'),
          stroke: colours.g,
          paths: () => null,
          points: point(colours.g, 6),
          value: (_u, _v, _s, idx) => (idx === null ? '' : duration(points[idx].resolvedMs)),
        },
      ],
      axes: [logAxis(colours), { ...logAxis(colours), size: 70 }],
    },
    [xs, ys],
    el,
  );
}

function historyTable(all = false) {
  const shown = all ? probes.probes : probes.probes.slice(0, phone.matches ? 5 : 50);
  const since = (p, at) => (at === null || p.sentAt === null ? t('value.none') : duration(at - p.sentAt));
  const rows = shown
    .map((p) => {
      const chips = p.timeline
        .map(
          (m) =>
            `<span class="chip ${esc(m.label)}"${m.reviewed ? ` title="${esc(t('label.reviewed'))}"` : ''}>${esc(t(`label.${m.label}`))}${p.sentAt === null ? '' : ` +${esc(duration(m.receivedAt - p.sentAt))}`}${m.reviewed ? ' ✓' : ''}</span>`,
        )
        .join('');
      return `<tr data-probe="${esc(p.id)}"><td>${esc(when(p.sentAt ?? p.scheduledAt))}</td><td>${esc(p.channel)}</td><td>${esc(p.tier)}</td><td>${esc(t(p.awaitingReviewSince ? 'state.awaiting_review' : `state.${p.state}`))}</td><td class="num">${esc(since(p, p.firstAckAt))}</td><td class="num">${esc(since(p, p.firstHumanAt))}</td><td><div class="chips">${chips}</div></td></tr>`;
    })
    .join('');
  return `<div id="history"><h2 id="history-h" tabindex="-1">${esc(t('vendor.history'))}</h2><p class="small">${esc(t('history.more', { n: shown.length }))}${shown.length < probes.probes.length ? ` <button type="button" id="history-all">${esc(t('history.showAll', { n: probes.probes.length }))}</button>` : ''}</p><div class="scroll" tabindex="0" role="region" aria-labelledby="history-h"><table class="history-table cards"><thead><tr><th scope="col">${esc(t('history.sent'))}</th><th scope="col">${esc(t('history.channel'))}</th><th scope="col">${esc(t('history.tier'))}</th><th scope="col">${esc(t('history.state'))}</th><th scope="col" class="num">${esc(t('history.ack'))}</th><th scope="col" class="num">${esc(t('history.human'))}</th><th scope="col">${esc(t('history.timeline'))}</th></tr></thead><tbody>${rows}</tbody></table></div></div>`;
}

/** A log axis of durations in seconds with ticks at 1 s, 10 s, 1 min, 10 min, 1 h, 1 d (finer on short ranges). */
function logAxis(colours, lane = false) {
  return {
    stroke: colours.muted,
    grid: { stroke: colours.line },
    ticks: { stroke: colours.line },
    splits: (_u, _axis, min, max) => [...(lane ? [LANE] : []), ...logTicks(min, max)],
    // uPlot's default filter keeps only powers of ten on a log axis; these ticks are already chosen.
    filter: (_u, splits) => splits,
    values: (_u, values) => values.map((v) => (v === null ? '' : v === LANE && lane ? t('value.instant') : duration(v * 1000))),
  };
}

/** Replies within half a second ("0 s") sit on a lane of their own below the 1 s tick instead of on a floor value. */
const LANE = 0.3;
const LANE_EDGE = 0.45;
const laneSeconds = (ms) => (ms === null ? null : ms < 500 ? LANE : Math.max(0.5, ms / 1000));

function shadeLane(colour) {
  return (u) => {
    const top = u.valToPos(LANE_EDGE, 'y', true);
    const { left, width, top: plotTop, height } = u.bbox;
    if (top >= plotTop + height) return;
    u.ctx.save();
    u.ctx.fillStyle = colour;
    u.ctx.fillRect(left, top, width, plotTop + height - top);
    u.ctx.restore();
  };
}

function scatter(el, channel, colours) {
  const own = probes.probes.filter((p) => p.channel === channel.channel && p.sentAt !== null).sort((a, b) => a.sentAt - b.sentAt);
  const xs = own.map((p) => p.sentAt / 1000);
  const after = (at, p) => (at === null || at === undefined ? null : Math.max(0, at - p.sentAt));
  const raw = { human: own.map((p) => after(p.firstHumanAt, p)), ack: own.map((p) => after(p.firstAckAt, p)), bot: own.map((p) => after(p.firstBotAt, p)) };
  const plotted = { human: raw.human.map(laneSeconds), ack: raw.ack.map(laneSeconds), bot: raw.bot.map(laneSeconds) };
  const lane = Object.values(plotted).some((list) => list.includes(LANE));
  const values = [...plotted.human, ...plotted.ack, ...plotted.bot].filter((v) => v !== null);
  const top = values.length === 0 ? 3600 : Math.max(...values) * 2;
  const bottom = lane ? 0.2 : values.length === 0 ? 1 : Math.max(0.5, Math.min(...values) / 2);
  const point = (stroke, fill, size) => ({ show: true, size, stroke, fill, width: 1.5 });
  // The legend shows the hovered probe's values; away from the chart, each series' median over the window.
  const legendValue = (list, summary, missing) => (_u, _v, _s, idx) => (idx === null ? summary : list[idx] === null ? missing : duration(list[idx]));
  const medianOf = (summary) =>
    summary && summary.median.value !== null ? t('series.summaryHuman', { value: duration(summary.median.value) }) : t('value.notReached');
  return new uPlot(
    {
      width: el.clientWidth || 500,
      height: chartHeight(),
      scales: { x: { time: true }, y: { distr: 3, range: () => [bottom, top] } },
      series: [
        { label: t('axis.time'), value: (_u, v) => (v === null ? t('series.count', { n: own.length }) : when(v * 1000)) },
        {
          label: t('series.human'),
          stroke: colours.g,
          paths: () => null,
          points: point(colours.g, colours.g, 7),
          value: legendValue(raw.human, medianOf(channel.human), t('series.noReply')),
        },
        {
          label: t('series.ack'),
          stroke: colours.muted,
          paths: () => null,
          points: point(colours.muted, 'transparent', 6),
          value: legendValue(raw.ack, medianOf(channel.ack), t('value.none')),
        },
        {
          label: t('series.bot'),
          stroke: colours.bot,
          paths: () => null,
          points: point(colours.bot, colours.bot, 4),
          value: legendValue(raw.bot, medianOf(channel.bot), t('value.none')),
        },
      ],
      axes: [
        {
          stroke: colours.muted,
          grid: { stroke: colours.line },
          ticks: { stroke: colours.line },
          values: (_u, splits, _axis, _space, incr) => dateTicks(splits, incr),
        },
        { ...logAxis(colours, lane), size: 70 },
      ],
      hooks: lane ? { drawAxes: [shadeLane(colours.panel)] } : {},
    },
    [xs, plotted.human, plotted.ack, plotted.bot],
    el,
  );
}

/**
 * "% of probes answered by a person within t", counting every probe of the window, so the line levels off at the
 * answered share and the gap above it to 100 % is the no-reply share the figures show. Probes still waiting count as
 * not answered yet. Without the channel's full probe list (over the page's limit) the Kaplan–Meier curve stands in.
 */
function answeredSteps(own, field, summary) {
  if (own.length !== summary.n) return summary.curve.filter((p) => p.t > 0).map((p) => [Math.max(1, p.t / 1000), p.share]);
  const times = own
    .map((p) => (p[field] === null ? null : Math.max(0, p[field] - p.sentAt)))
    .filter((v) => v !== null)
    .sort((a, b) => a - b);
  const steps = [];
  times.forEach((ms, i) => {
    const x = Math.max(1, ms / 1000);
    if (steps.length > 0 && steps.at(-1)[0] === x) steps.at(-1)[1] = (i + 1) / own.length;
    else steps.push([x, (i + 1) / own.length]);
  });
  return steps;
}

function kmCurve(el, channel, colours) {
  const own = probes.probes.filter(
    (p) => p.channel === channel.channel && p.sentAt !== null && !p.awaitingReviewSince && ['sent', 'answered', 'expired'].includes(p.state),
  );
  const human = answeredSteps(own, 'firstHumanAt', channel.human);
  const ack = answeredSteps(own, 'firstAckAt', channel.ack);
  const last = Math.max(60, ...human.map((p) => p[0]), ...ack.map((p) => p[0]));
  const end = last * 3;
  const xs = [...new Set([1, ...human.map((p) => p[0]), ...ack.map((p) => p[0]), end])].sort((a, b) => a - b);
  // A step function has a value at every x: filled forward, the legend always shows both lines at the cursor.
  const fill = (steps) => {
    let share = 0;
    let j = 0;
    return xs.map((x) => {
      while (j < steps.length && steps[j][0] <= x) share = steps[j++][1];
      return share * 100;
    });
  };
  const humanY = fill(human);
  const plateau = humanY.at(-1) ?? 0;
  const noReply = channel.human.noEventShare;
  const gapLabel = noReply === null ? '' : t('chart.noReplyGap', { share: percent(Math.max(0, 1 - plateau / 100)) });
  const stepped = uPlot.paths.stepped({ align: 1 });
  const drawGap = (u) => {
    if (plateau >= 99.5) return;
    const { left, width } = u.bbox;
    const y0 = u.valToPos(100, 'y', true);
    const y1 = u.valToPos(plateau, 'y', true);
    const ctx = u.ctx;
    ctx.save();
    ctx.fillStyle = colours.n;
    ctx.globalAlpha = 0.14;
    ctx.fillRect(left, y0, width, y1 - y0);
    ctx.globalAlpha = 1;
    ctx.fillStyle = colours.fg;
    ctx.font = `${Math.round(12 * devicePixelRatio)}px system-ui, sans-serif`;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'top';
    if (y1 - y0 > 14 * devicePixelRatio) ctx.fillText(gapLabel, left + width - 6 * devicePixelRatio, y0 + 3 * devicePixelRatio);
    ctx.restore();
  };
  const shareValue = (final) => (_u, v, _s, idx) => (idx === null ? `${final.toFixed(0)}%` : `${(v ?? 0).toFixed(0)}%`);
  const ackY = fill(ack);
  return new uPlot(
    {
      width: el.clientWidth || 500,
      height: chartHeight(),
      scales: { x: { time: false, distr: 3, range: () => [1, end] }, y: { range: [0, 100] } },
      series: [
        { label: t('axis.elapsed'), value: (_u, v) => (v === null ? gapLabel : duration(v * 1000)) },
        { label: t('series.human'), stroke: colours.g, width: 2, paths: stepped, value: shareValue(plateau) },
        { label: t('series.ack'), stroke: colours.muted, width: 1, dash: [4, 4], paths: stepped, value: shareValue(ackY.at(-1) ?? 0) },
      ],
      axes: [
        logAxis(colours),
        {
          stroke: colours.muted,
          grid: { stroke: colours.line },
          ticks: { stroke: colours.line },
          splits: () => [0, 25, 50, 75, 100],
          values: (_u, vals) => vals.map((v) => `${v}%`),
        },
      ],
      hooks: { drawAxes: [drawGap] },
    },
    [xs, humanY, ackY],
    el,
  );
}

function render() {
  const colours = palette();
  const channels = vendor ? vendor.channels : [];
  root.innerHTML = `${windowPills()}${channels.length === 0 ? `<p>${esc(t('vendor.noChannels'))}</p>` : ''}${notesSection()}${incidentsSection()}${qualitySection()}${channels.map(channelSection).join('')}${crossTable()}${historyTable()}`;
  channels.forEach((channel, index) => {
    const heat = document.getElementById(`ch-${index}-heat`);
    const draw = (mode) => {
      heat.innerHTML = heatmapTable(channel, mode, colours);
      paintHeatmap(heat);
    };
    draw('vendor');
    const pills = root.querySelector(`[data-heat="${index}"]`);
    pills.addEventListener('click', (e) => {
      const button = /** @type {HTMLElement | null} */ (/** @type {Element} */ (e.target).closest('button[data-mode]'));
      if (!button) return;
      for (const b of pills.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b === button));
      draw(button.dataset.mode);
    });
    if (uPlot) {
      charts.push(scatter(document.getElementById(`ch-${index}-scatter`), channel, colours));
      charts.push(kmCurve(document.getElementById(`ch-${index}-km`), channel, colours));
    }
  });
  labelCells(root);
  const qualityChart = document.getElementById('quality-scatter');
  if (uPlot && qualityChart && resolutionPoints().length > 0) charts.push(resolutionScatter(qualityChart, colours));
  root.addEventListener('click', (e) => {
    if (!(/** @type {Element} */ (e.target).closest('#history-all'))) return;
    document.getElementById('history').outerHTML = historyTable(true);
    labelCells(document.getElementById('history'));
    document.getElementById('history-h').focus();
  });
  footer(report.generatedAt, report.demoTime);
  document.documentElement.lang = lang;
  markRendered();
}

addEventListener('resize', () => {
  for (const chart of charts) chart.setSize({ width: chart.root.parentElement.clientWidth, height: chartHeight() });
});
addEventListener('DOMContentLoaded', render);
