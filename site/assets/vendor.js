// Vendor page: per channel a TTFHR scatter (log), the Kaplan–Meier curve, the hour-of-week heatmap, SLA and history tables.
import { pageData, t, esc, duration, when, percent, estimate, channelStatusHtml, footer, palette, markRendered, viewerZone, lang } from './common.js';

const { report, probes, window: current, windows } = pageData;
const vendor = report.vendors[0];
const root = document.getElementById('vendor');
const uPlot = globalThis.uPlot;
const charts = [];
const dayKeys = ['day.mon', 'day.tue', 'day.wed', 'day.thu', 'day.fri', 'day.sat', 'day.sun'];

function windowPills() {
  const items = windows.map((w) => `<li><a href="?window=${encodeURIComponent(w)}"${w === current ? ' aria-current="page"' : ''}>${esc(t(`window.${w}`))}</a></li>`).join('');
  return `<div class="controls"><span>${esc(t('vendor.window'))}:</span><ul class="pills">${items}</ul><span class="muted">${esc(t('vendor.timezone', { tz: vendor.vendor.timezone }))}</span></div>`;
}

function figuresOf(channel) {
  const median = estimate(channel.human.median);
  const slaN = channel.sla.reduce((a, r) => a + r.n, 0);
  const slaMet = channel.sla.reduce((a, r) => a + r.met, 0);
  const fig = (cls, value, label, extra = '') => `<div class="${cls}"><div class="figure-num">${esc(value)}</div><div class="figure-label">${esc(label)}${extra}</div></div>`;
  return `<div class="figures">
${fig('fig-median', median.value, t('col.median'), median.ci ? ` · ${esc(median.ci)}` : '')}
${fig('fig-n', String(channel.human.n), t('col.sample'))}
${fig('fig-noreply', percent(channel.human.noEventShare), t('cross.noReply'))}
${fig('fig-sla', slaN > 0 ? percent(slaMet / slaN) : t('value.none'), t('col.sla'), slaN > 0 ? ` · ${esc(t('value.slaOf', { met: slaMet, n: slaN }))}` : '')}
</div>`;
}

function slaTable(channel) {
  const rows = channel.sla.map((r) => `<tr><th scope="row">${esc(r.tier)}</th><td>${esc(duration(r.targetMs))}${r.businessHours ? esc(t('sla.businessHours')) : ''}</td><td>${esc(t(`sla.source.${r.source}`))}</td><td class="num">${r.n > 0 ? `${esc(percent(r.share))} <span class="small">${esc(t('value.slaOf', { met: r.met, n: r.n }))}</span>` : esc(t('value.none'))}</td></tr>`).join('');
  return `<div class="scroll" tabindex="0" role="region" aria-label="${esc(t('vendor.sla'))} ${esc(channel.channel)}"><table class="sla-table"><caption class="visually-hidden">${esc(t('vendor.sla'))}</caption><thead><tr><th scope="col">${esc(t('sla.tier'))}</th><th scope="col">${esc(t('sla.target'))}</th><th scope="col">${esc(t('sla.source'))}</th><th scope="col" class="num">${esc(t('sla.measured'))}</th></tr></thead><tbody>${rows}</tbody></table></div>`;
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
  const hours = Array.from({ length: 24 }, (_, h) => `<th scope="col">${h % 3 === 0 ? h : ''}<span class="visually-hidden">${h % 3 === 0 ? '' : h}</span></th>`).join('');
  const rows = dayKeys.map((key, d) => {
    const tds = Array.from({ length: 24 }, (_, h) => {
      const cell = cells[d * 24 + h];
      const label = cell.n === 0 ? `${t(key)} ${h}:00 — ${t('heat.none')}` : t('heat.cell', { day: t(key), hour: h, n: cell.n, answered: cell.answered, median: cell.medianMs === null ? t('value.notReached') : duration(cell.medianMs) });
      return `<td title="${esc(label)}" data-colour="${esc(heatColour(cell, colours))}"><span class="visually-hidden">${esc(label)}</span></td>`;
    }).join('');
    return `<tr><th scope="row">${esc(t(key))}</th>${tds}</tr>`;
  }).join('');
  return `<table class="heatmap"><thead><tr><td></td>${hours}</tr></thead><tbody>${rows}</tbody></table>`;
}

function paintHeatmap(container) {
  for (const td of container.querySelectorAll('td[data-colour]')) td.style.background = td.dataset.colour;
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
  const items = incidents.map((i) => {
    const span = i.resolvedAt === null ? t('vendor.incidentOpen', { since: when(i.since) }) : t('vendor.incidentResolved', { since: when(i.since), until: when(i.resolvedAt) });
    const evidence = i.evidence.map((f) => `<li>${esc(f.label)}: ${esc(f.value)}</li>`).join('');
    return `<li class="incident${i.resolvedAt === null ? ' open' : ''}" data-incident="${esc(i.id)}"><strong>${esc(i.channel)} · ${esc(t(`incident.${i.kind}`))}</strong> <span class="small">${esc(span)}</span>
<p>${esc(i.summary)}</p>${evidence ? `<details><summary>${esc(t('vendor.incidentEvidence'))}</summary><ul class="small">${evidence}</ul></details>` : ''}</li>`;
  }).join('');
  return `<section class="incidents" aria-labelledby="incidents-h"><h2 id="incidents-h">${esc(t('vendor.incidents'))}</h2><ul>${items}</ul></section>`;
}

/** Operator notes: maintenance, probes paused at the vendor's request, changes to how we measure. */
function notesSection() {
  const notes = vendor?.notes ?? [];
  if (notes.length === 0) return '';
  const items = notes.map((n) => {
    const span = n.until === null ? t('vendor.incidentOpen', { since: when(n.from) }) : t('vendor.incidentResolved', { since: when(n.from), until: when(n.until) });
    return `<li class="note" data-note="${esc(n.id)}" data-kind="${esc(n.kind)}"><strong>${esc(t(`note.${n.kind}`))}: ${esc(n.title)}</strong> <span class="small">${esc(n.channels.join(', '))} · ${esc(span)}</span>${n.text ? `<p>${esc(n.text)}</p>` : ''}</li>`;
  }).join('');
  return `<section class="notes" aria-labelledby="notes-h"><h2 id="notes-h">${esc(t('vendor.notes'))}</h2><ul>${items}</ul></section>`;
}

function channelSection(channel, index) {
  const id = `ch-${index}`;
  return `<section class="channel" aria-labelledby="${id}">
<h2 id="${id}">${esc(t('vendor.channel', { channel: channel.channel, kind: channel.kind }))} ${channelStatusHtml(channel)}</h2>
${figuresOf(channel)}
${awaitingNote(channel)}
${unconfirmedNote(channel)}
<div class="charts">
<figure><figcaption id="${id}-scatter-cap">${esc(t('vendor.scatter'))}</figcaption><p class="small">${esc(t('vendor.scatterDesc'))}</p><div class="chart" id="${id}-scatter" role="img" aria-labelledby="${id}-scatter-cap"></div></figure>
<figure><figcaption id="${id}-km-cap">${esc(t('vendor.km'))}</figcaption><div class="chart" id="${id}-km" role="img" aria-labelledby="${id}-km-cap"></div></figure>
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
  const rows = vendor.comparison.map((c) => `<tr><th scope="row">${esc(c.channel)} <span class="small">${esc(c.kind)}</span></th><td class="num">${esc(duration(c.medianMs))}</td><td class="num">${esc(duration(c.p90Ms))}</td><td class="num">${esc(duration(c.ackMedianMs))}</td><td class="num">${esc(percent(c.noReplyShare))}</td><td class="num">${esc(percent(c.slaShare))}</td><td class="num">${esc(c.n)}</td><td class="num">${esc(c.awaitingReview ?? 0)}</td></tr>`).join('');
  return `<h2 id="cross-h">${esc(t('vendor.cross'))}</h2><div class="scroll" tabindex="0" role="region" aria-labelledby="cross-h"><table class="cross-table"><thead><tr><th scope="col">${esc(t('col.channel'))}</th><th scope="col" class="num">${esc(t('cross.median'))}</th><th scope="col" class="num">${esc(t('cross.p90'))}</th><th scope="col" class="num">${esc(t('cross.ack'))}</th><th scope="col" class="num">${esc(t('cross.noReply'))}</th><th scope="col" class="num">${esc(t('col.sla'))}</th><th scope="col" class="num">${esc(t('col.sample'))}</th><th scope="col" class="num">${esc(t('cross.awaitingReview'))}</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** Speed beside resolution, a row per channel: the brief's point that a fast reply that solves nothing means little. */
function qualitySection() {
  const channels = vendor ? vendor.channels : [];
  if (channels.length === 0) return '';
  const ofN = (p) => (p.n > 0 ? `${esc(percent(p.count / p.n))} <span class="small">${esc(t('quality.ofN', { count: p.count, n: p.n }))}</span>` : esc(t('quality.notMeasured')));
  const rows = channels.map((c) => {
    const r = c.resolution;
    const resolution = r.n > 0 ? `${esc(duration(r.time.median.value))} <span class="small">n = ${esc(r.n)}</span>` : esc(t('quality.notMeasured'));
    return `<tr data-quality="${esc(c.channel)}"><th scope="row">${esc(c.channel)} <span class="small">${esc(c.kind)}</span></th><td class="num">${esc(duration(c.human.median.value))} <span class="small">n = ${esc(c.human.n)}</span></td><td class="num">${resolution}</td><td class="num">${ofN(r.firstContact)}</td><td class="num">${ofN(r.canned)}</td></tr>`;
  }).join('');
  const points = resolutionPoints();
  const unresolved = probes.probes.filter((p) => p.firstHumanAt !== null && p.sentAt !== null && p.resolvedAt === null).length;
  const pointRows = points.map((p) => `<tr><td>${esc(p.channel)}</td><td class="num">${esc(duration(p.firstMs))}</td><td class="num">${esc(duration(p.resolvedMs))}</td></tr>`).join('');
  return `<section class="quality" aria-labelledby="quality-h"><h2 id="quality-h">${esc(t('quality.heading'))}</h2><p class="small">${esc(t('quality.desc'))}</p>
<div class="scroll" tabindex="0" role="region" aria-labelledby="quality-h"><table class="quality-table"><thead><tr><th scope="col">${esc(t('col.channel'))}</th><th scope="col" class="num">${esc(t('quality.firstReply'))}</th><th scope="col" class="num">${esc(t('quality.resolution'))}</th><th scope="col" class="num">${esc(t('quality.firstContact'))}</th><th scope="col" class="num">${esc(t('quality.canned'))}</th></tr></thead><tbody>${rows}</tbody></table></div>
<figure><figcaption id="quality-scatter-cap">${esc(t('quality.scatter'))}</figcaption><p class="small">${esc(t('quality.scatterDesc'))}</p><div class="chart" id="quality-scatter" role="img" aria-labelledby="quality-scatter-cap" data-points="${esc(points.length)}"></div>
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
  const minutes = (ms) => Math.max(0.1, ms / 60_000);
  const xs = points.map((p) => minutes(p.firstMs));
  const ys = points.map((p) => minutes(p.resolvedMs));
  // One range on both axes, so a probe resolved by its first reply sits on the diagonal.
  const all = [...xs, ...ys];
  const range = all.length === 0 ? [1, 60] : [Math.min(...all) / 1.5, Math.max(...all) * 1.5];
  const point = (stroke, size) => ({ show: true, size, stroke, fill: stroke, width: 1 });
  return new uPlot({
    width: el.clientWidth || 500, height: 240,
    scales: { x: { time: false, distr: 3, range: () => range }, y: { distr: 3, range: () => range } },
    series: [
      { label: t('quality.axisFirst'), value: (u, v) => (v === null ? '' : duration(v * 60_000)) },
      { label: t('quality.axisResolution'), stroke: colours.g, paths: () => null, points: point(colours.g, 6), value: (u, v) => (v === null ? '—' : duration(v * 60_000)) },
    ],
    axes: [{ stroke: colours.muted, grid: { stroke: colours.line }, values: hoursAxis }, { stroke: colours.muted, grid: { stroke: colours.line }, values: hoursAxis, size: 70 }],
  }, [xs, ys], el);
}

function historyTable(all = false) {
  const shown = all ? probes.probes : probes.probes.slice(0, 50);
  const since = (p, at) => (at === null || p.sentAt === null ? t('value.none') : duration(at - p.sentAt));
  const rows = shown.map((p) => {
    const chips = p.timeline.map((m) => `<span class="chip ${esc(m.label)}"${m.reviewed ? ` title="${esc(t('label.reviewed'))}"` : ''}>${esc(t(`label.${m.label}`))}${p.sentAt === null ? '' : ` +${esc(duration(m.receivedAt - p.sentAt))}`}${m.reviewed ? ' ✓' : ''}</span>`).join('');
    return `<tr data-probe="${esc(p.id)}"><td>${esc(when(p.sentAt ?? p.scheduledAt))}</td><td>${esc(p.channel)}</td><td>${esc(p.tier)}</td><td>${esc(t(p.awaitingReviewSince ? 'state.awaiting_review' : `state.${p.state}`))}</td><td class="num">${esc(since(p, p.firstAckAt))}</td><td class="num">${esc(since(p, p.firstHumanAt))}</td><td><div class="chips">${chips}</div></td></tr>`;
  }).join('');
  return `<div id="history"><h2 id="history-h" tabindex="-1">${esc(t('vendor.history'))}</h2><p class="small">${esc(t('history.more', { n: shown.length }))}${shown.length < probes.probes.length ? ` <button type="button" id="history-all">${esc(t('history.showAll', { n: probes.probes.length }))}</button>` : ''}</p><div class="scroll" tabindex="0" role="region" aria-labelledby="history-h"><table class="history-table"><thead><tr><th scope="col">${esc(t('history.sent'))}</th><th scope="col">${esc(t('history.channel'))}</th><th scope="col">${esc(t('history.tier'))}</th><th scope="col">${esc(t('history.state'))}</th><th scope="col" class="num">${esc(t('history.ack'))}</th><th scope="col" class="num">${esc(t('history.human'))}</th><th scope="col">${esc(t('history.timeline'))}</th></tr></thead><tbody>${rows}</tbody></table></div></div>`;
}

const hoursAxis = (u, values) => values.map((v) => (v === null ? '' : duration(v * 60_000)));

function scatter(el, channel, colours) {
  const own = probes.probes.filter((p) => p.channel === channel.channel && p.sentAt !== null).sort((a, b) => a.sentAt - b.sentAt);
  const xs = own.map((p) => p.sentAt / 1000);
  const human = own.map((p) => (p.firstHumanAt === null ? null : Math.max(0.1, (p.firstHumanAt - p.sentAt) / 60_000)));
  const ack = own.map((p) => (p.firstAckAt === null ? null : Math.max(0.1, (p.firstAckAt - p.sentAt) / 60_000)));
  const point = (stroke, fill, size) => ({ show: true, size, stroke, fill, width: 1 });
  return new uPlot({
    width: el.clientWidth || 500, height: 240,
    scales: { x: { time: true }, y: { distr: 3 } },
    series: [
      { label: t('axis.time'), value: (u, v) => (v === null ? '' : when(v * 1000)) },
      { label: t('series.human'), stroke: colours.g, paths: () => null, points: point(colours.g, colours.g, 6), value: (u, v) => (v === null ? '—' : duration(v * 60_000)) },
      { label: t('series.ack'), stroke: colours.muted, paths: () => null, points: point(colours.muted, 'transparent', 5), value: (u, v) => (v === null ? '—' : duration(v * 60_000)) },
    ],
    axes: [{ stroke: colours.muted, grid: { stroke: colours.line } }, { stroke: colours.muted, grid: { stroke: colours.line }, values: hoursAxis, size: 70 }],
  }, [xs, human, ack], el);
}

function kmCurve(el, channel, colours) {
  const toTable = (curve) => {
    const points = curve.filter((p) => p.t > 0);
    return [points.map((p) => p.t / 60_000), points.map((p) => p.share * 100)];
  };
  const data = uPlot.join([toTable(channel.human.curve), toTable(channel.ack.curve)]);
  const stepped = uPlot.paths.stepped({ align: 1 });
  return new uPlot({
    width: el.clientWidth || 500, height: 240,
    scales: { x: { time: false, distr: 3 }, y: { range: [0, 100] } },
    series: [
      { label: t('axis.elapsed'), value: (u, v) => (v === null ? '' : duration(v * 60_000)) },
      { label: t('series.human'), stroke: colours.g, width: 2, paths: stepped, spanGaps: true, value: (u, v) => (v === null ? '—' : `${v.toFixed(0)}%`) },
      { label: t('series.ack'), stroke: colours.muted, width: 1, dash: [4, 4], paths: stepped, spanGaps: true, value: (u, v) => (v === null ? '—' : `${v.toFixed(0)}%`) },
    ],
    axes: [{ stroke: colours.muted, grid: { stroke: colours.line }, values: hoursAxis }, { stroke: colours.muted, grid: { stroke: colours.line }, values: (u, vals) => vals.map((v) => `${v}%`) }],
  }, data, el);
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
      const button = e.target.closest('button[data-mode]');
      if (!button) return;
      for (const b of pills.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b === button));
      draw(button.dataset.mode);
    });
    if (uPlot) {
      charts.push(scatter(document.getElementById(`ch-${index}-scatter`), channel, colours));
      charts.push(kmCurve(document.getElementById(`ch-${index}-km`), channel, colours));
    }
  });
  const qualityChart = document.getElementById('quality-scatter');
  if (uPlot && qualityChart) charts.push(resolutionScatter(qualityChart, colours));
  root.addEventListener('click', (e) => {
    if (!e.target.closest('#history-all')) return;
    document.getElementById('history').outerHTML = historyTable(true);
    document.getElementById('history-h').focus();
  });
  footer(report.generatedAt, report.demoTime);
  document.documentElement.lang = lang;
  markRendered();
}

addEventListener('resize', () => {
  for (const chart of charts) chart.setSize({ width: chart.root.parentElement.clientWidth, height: 240 });
});
addEventListener('DOMContentLoaded', render);
