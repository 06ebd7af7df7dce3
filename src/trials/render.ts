// Pure: a trial report as a self-contained HTML page (inline CSS, print stylesheet, no script), as CSV (one row per probe) and as JSON.
import { stringify } from 'csv-stringify/sync';
import { formatDuration } from '../core/clock.ts';
import type { Estimate } from '../metrics/report-types.ts';
import type { TrialReport, TrialVendor, TierSla } from './report.ts';
import { trialDimensions } from '../config/trial.ts';

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => escapes[c] ?? c);

export interface RenderOptions {
  /** The link to an evidence file (a path relative to the evidence directory); default: that path under "evidence/". */
  evidenceHref?: (file: string) => string;
}

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());
const dur = (ms: number | null) => (ms === null ? '–' : formatDuration(ms));
const pct = (share: number | null) => (share === null ? '–' : `${Math.round(share * 100)} %`);

function estimate(e: Estimate): string {
  if (e.value === null) return 'not reached';
  return `${formatDuration(e.value)} (95 % CI ${e.low === null ? '?' : formatDuration(e.low)} – ${e.high === null ? 'open' : formatDuration(e.high)})`;
}

function sla(s: TierSla | null): string {
  if (s === null) return '–';
  return `${s.met}/${s.n} ${pct(s.share)} within ${formatDuration(s.targetMs)} (${s.source})${s.pending > 0 ? `, ${s.pending} pending` : ''}`;
}

const css = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;color:#1b1f24;margin:2rem auto;max-width:70rem;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccd;padding-bottom:.2rem}h3{font-size:1.05rem}
table{border-collapse:collapse;width:100%;margin:.6rem 0;font-size:.9rem}th,td{border:1px solid #d4d8de;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f1f3f6}td.num{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#5b6470}.gap{background:#fff7e0;border:1px solid #e7c66b;padding:.4rem .6rem}
.private{font-size:.75rem;border:1px solid #8a5;border-radius:.3rem;padding:0 .3rem;margin-left:.4rem;color:#463}
ul.caveats li{margin:.2rem 0}a{color:#0b57d0}
@page{size:A4}
@media print{body{margin:0;max-width:none;font-size:9.5pt}h1,h2,h3{break-after:avoid}tr{break-inside:avoid}thead{display:table-header-group}
table{font-size:8.5pt}table.probes{font-size:7.5pt}table.probes td{padding:.1rem .3rem}th{background:#f1f3f6!important;print-color-adjust:exact;-webkit-print-color-adjust:exact}
a{color:inherit;text-decoration:none}.no-print{display:none}}
`;

function vendorSection(v: TrialVendor, report: TrialReport, href: (file: string) => string): string {
  const e = escapeHtml;
  const tierRows = v.tiers.map((t) => `<tr><th scope="row">${e(t.tier)}</th><td class="num">${t.human.n}</td><td>${e(estimate(t.human.median))}</td><td class="num">${pct(t.human.noEventShare)}</td><td>${e(sla(t.sla))}</td></tr>`).join('');
  const cellRows = v.cells.map((c) => `<tr><td>${e(c.channel)} <span class="muted">(${e(c.kind)})</span></td><th scope="row">${e(c.tier)}</th><td class="num">${c.human.n}</td><td>${e(estimate(c.human.median))}</td><td>${e(sla(c.sla))}</td></tr>`).join('');
  const resolution = v.resolution === null
    ? '<p class="gap">Resolution: not measured for this vendor — no template of the trial says what a good answer contains (expect:) and no person marked a reply as resolving.</p>'
    : `<table><thead><tr><th>channel</th><th>measured</th><th>median time to resolution</th><th>first-contact resolution</th></tr></thead><tbody>${v.resolution.map((r) => `<tr><td>${e(r.channel)}</td><td class="num">${r.n}</td><td>${e(dur(r.medianMs))}</td><td>${pct(r.firstContactShare)} <span class="muted">of ${r.firstContactN}</span></td></tr>`).join('')}</tbody></table>`;
  const probes = report.probes.filter((p) => p.vendor === v.slug);
  const probeRows = probes.map((p) => {
    const links = p.evidence.map((f) => `<a href="${e(href(f.file))}">${e(f.file.split('/').pop() ?? f.file)}</a>${f.sha256 ? ` <span class="muted">sha256 ${e(f.sha256.slice(0, 12))}…</span>` : ''}`).join('<br>');
    return `<tr><td class="num">${p.id}</td><td>${e(p.channel)}</td><td>${e(p.tier)}</td><td>${e(iso(p.sentAt))}</td><td>${e(p.awaitingReview ? 'awaiting review' : dur(p.firstHumanMs))}</td><td>${e(p.state)}</td><td><code>${e(p.token)}</code></td><td>${links || '<span class="muted">none kept</span>'}</td></tr>`;
  }).join('');
  return `<section id="vendor-${e(v.slug)}"><h2>${e(v.name)}${v.visibility === 'private' ? '<span class="private">private</span>' : ''}</h2>
<p>${v.probes} probes · ${v.answered} answered by a person · ${v.noReply} without a human reply · ${v.awaitingReview} awaiting review · median ${e(estimate(v.overallMedian))}</p>
<h3>Per tier</h3><table><thead><tr><th>tier</th><th>n</th><th>median first human reply</th><th>no reply</th><th>SLA compliance</th></tr></thead><tbody>${tierRows}</tbody></table>
<h3>Per channel and tier</h3><table><thead><tr><th>channel</th><th>tier</th><th>n</th><th>median first human reply</th><th>SLA compliance</th></tr></thead><tbody>${cellRows}</tbody></table>
<h3>Resolution</h3>${resolution}
<h3>Probes and evidence</h3><table class="probes"><thead><tr><th>id</th><th>channel</th><th>tier</th><th>sent (UTC)</th><th>first human reply</th><th>state</th><th>token</th><th>evidence</th></tr></thead><tbody>${probeRows}</tbody></table></section>`;
}

export function renderTrialHtml(report: TrialReport, options: RenderOptions = {}): string {
  const e = escapeHtml;
  const href = options.evidenceHref ?? ((file: string) => `evidence/${file.split('/').map(encodeURIComponent).join('/')}`);
  const names = new Map(report.vendors.map((v) => [v.slug, v.name]));
  const dims = trialDimensions.filter((d) => report.ranking.weights[d] !== undefined);
  const ranking = report.ranking.vendors.map((r) => `<tr><td class="num">${r.rank}</td><td><a href="#vendor-${e(r.vendor)}">${e(names.get(r.vendor) ?? r.vendor)}</a></td><td class="num">${r.score.toFixed(2)}</td>${dims.map((d) => `<td class="num">${(r.scores[d] ?? 0).toFixed(2)}</td>`).join('')}</tr>`).join('');
  const summary = report.vendors.map((v) => `<tr><th scope="row">${e(v.name)}${v.visibility === 'private' ? '<span class="private">private</span>' : ''}</th>${v.tiers.map((t) => `<td>${e(estimate(t.human.median))} <span class="muted">n=${t.human.n}</span></td><td>${e(sla(t.sla))}</td>`).join('')}<td class="num">${v.noReply}</td><td class="num">${v.awaitingReview}</td><td>${v.resolution === null ? '<span class="muted">not measured</span>' : e(v.resolution.map((r) => `${r.channel}: ${dur(r.medianMs)}`).join(', '))}</td></tr>`).join('');
  const tierHeads = report.trial.tiers.map((t) => `<th>${e(t)} median first human reply</th><th>${e(t)} SLA</th>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${e(report.trial.name)} — trial report</title><style>${css}</style></head><body>
<header><h1>${e(report.trial.name)}</h1><p class="muted">Trial <code>${e(report.trial.id)}</code> · ${e(iso(report.trial.from))} – ${e(iso(report.trial.to))} (${e(report.trial.timezone)}) · tiers ${e(report.trial.tiers.join(', '))} · generated ${e(iso(report.generatedAt))}</p>
${report.demoTime ? '<p class="gap">Demo time: simulated clock, seconds stand for hours.</p>' : ''}${report.trial.notes ? `<p>${e(report.trial.notes)}</p>` : ''}</header>
<main><h2>Decision summary</h2><table><thead><tr><th>vendor</th>${tierHeads}<th>no reply</th><th>awaiting review</th><th>resolution</th></tr></thead><tbody>${summary}</tbody></table>
<h2>Ranking</h2><table><thead><tr><th>rank</th><th>vendor</th><th>score</th>${dims.map((d) => `<th>${e(d)} (weight ${report.ranking.weights[d] ?? 0})</th>`).join('')}</tr></thead><tbody>${ranking}</tbody></table>
${report.ranking.leftOut.length > 0 ? `<p class="muted">Not ranked on: ${e(report.ranking.leftOut.map((l) => `${l.dimension} (${l.reason})`).join('; '))}.</p>` : ''}
<h2>Caveats</h2><ul class="caveats">${report.caveats.map((c) => `<li>${e(c)}</li>`).join('') || '<li>none</li>'}</ul>
${report.vendors.map((v) => vendorSection(v, report, href)).join('\n')}
<h2>Method</h2><ul>${report.method.map((m) => `<li>${e(m)}</li>`).join('')}</ul></main></body></html>
`;
}

export const csvColumns = ['probe_id', 'vendor', 'vendor_name', 'visibility', 'channel', 'kind', 'tier', 'template', 'language', 'state', 'token', 'ticket_ref',
  'sent_at', 'deadline_at', 'first_ack_at', 'first_bot_at', 'first_human_at', 'resolved_at', 'first_human_ms', 'awaiting_review', 'evidence', 'evidence_sha256'] as const;

/** One row per probe, every timestamp as ISO 8601 UTC; evidence paths are relative to the evidence directory, joined by " | ". */
export function renderTrialCsv(report: TrialReport): string {
  const vendors = new Map(report.vendors.map((v) => [v.slug, v]));
  const rows = report.probes.map((p) => [
    p.id, p.vendor, vendors.get(p.vendor)?.name ?? '', vendors.get(p.vendor)?.visibility ?? '', p.channel, p.kind, p.tier, p.template, p.language, p.state, p.token, p.ticketRef ?? '',
    iso(p.sentAt), iso(p.deadlineAt), iso(p.firstAckAt), iso(p.firstBotAt), iso(p.firstHumanAt), iso(p.resolvedAt), p.firstHumanMs ?? '', p.awaitingReview ? 'yes' : 'no',
    p.evidence.map((f) => f.file).join(' | '), p.evidence.map((f) => f.sha256 ?? '').join(' | '),
  ]);
  return stringify(rows, { header: true, columns: [...csvColumns], escape_formulas: true });
}

export function renderTrialJson(report: TrialReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export const reportFormats = ['html', 'csv', 'json'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export function renderTrialReport(report: TrialReport, format: ReportFormat, options: RenderOptions = {}): string {
  switch (format) {
    case 'html': return renderTrialHtml(report, options);
    case 'csv': return renderTrialCsv(report);
    case 'json': return renderTrialJson(report);
  }
}
