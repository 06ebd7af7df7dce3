// Pure: a trial report as a self-contained HTML page (inline CSS, print stylesheet, no script), as CSV (one row per probe) and as JSON.
import { stringify } from 'csv-stringify/sync';
import type { TrialReport, TrialVendor, TierSla } from './report.ts';
import { trialDimensions } from '../config/trial.ts';
import {
  caveatText,
  decisionTableHtml,
  dimensionName,
  escapeHtml,
  fill,
  leftOutText,
  methodTexts,
  reportFigures,
  type ReportFigures,
  type ReportLanguage,
} from './report-text.ts';

interface RenderOptions {
  /** The link to an evidence file (a path relative to the evidence directory); default: that path under "evidence/". */
  evidenceHref?: (file: string, probeId: number) => string;
  /** The language of every fixed text, number and date (default English); the data (names, notes) stays as written. */
  lang?: ReportLanguage;
}

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

function sla(f: ReportFigures, s: TierSla | null): string {
  if (s === null) return '–';
  const text = fill(f.x.slaText, {
    met: f.count(s.met),
    n: f.count(s.n),
    share: f.percent(s.share),
    target: f.duration(s.targetMs),
    source: f.word('source', s.source),
  });
  return `${text}${s.pending > 0 ? fill(f.x.slaPending, { pending: f.count(s.pending) }) : ''}`;
}

const css = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;color:#1b1f24;margin:2rem auto;max-width:70rem;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccd;padding-bottom:.2rem}h3{font-size:1.05rem}
table{border-collapse:collapse;width:100%;margin:.6rem 0;font-size:.9rem}th,td{border:1px solid #d4d8de;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f1f3f6}td.num{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#5b6470}.gap{background:#fff7e0;border:1px solid #e7c66b;padding:.4rem .6rem}
.private{font-size:.75rem;border:1px solid #8a5;border-radius:.3rem;padding:0 .3rem;margin-left:.4rem;color:#463}
ul.caveats li{margin:.2rem 0}a{color:#0b57d0}p.note{font-size:.85rem}
table.decision tbody th{font-weight:600;background:#f8f9fb}
@page{size:A4}
@media print{body{margin:0;max-width:none;font-size:9.5pt}h1,h2,h3{break-after:avoid}tr{break-inside:avoid}thead{display:table-header-group}
table{font-size:8.5pt}table.probes{font-size:7.5pt}table.probes td{padding:.1rem .3rem}th{background:#f1f3f6!important;print-color-adjust:exact;-webkit-print-color-adjust:exact}
a{color:inherit;text-decoration:none}.no-print{display:none}}
`;

function vendorSection(f: ReportFigures, v: TrialVendor, report: TrialReport, href: (file: string, probeId: number) => string): string {
  const e = escapeHtml;
  const { x } = f;
  const tierRows = v.tiers
    .map(
      (t) =>
        `<tr><th scope="row">${e(t.tier)}</th><td class="num">${f.count(t.human.n)}</td><td>${e(f.estimate(t.human.median))}</td><td class="num">${f.percent(t.human.noEventShare)}</td><td>${e(sla(f, t.sla))}</td></tr>`,
    )
    .join('');
  const cellRows = v.cells
    .map(
      (c) =>
        `<tr><td>${e(c.channel)} <span class="muted">(${e(f.word('kind', c.kind))})</span></td><th scope="row">${e(c.tier)}</th><td class="num">${f.count(c.human.n)}</td><td>${e(f.estimate(c.human.median))}</td><td>${e(sla(f, c.sla))}</td></tr>`,
    )
    .join('');
  const resolution =
    v.resolution === null
      ? `<p class="gap">${e(x.resolutionGap)}</p>`
      : `<table><thead><tr><th>${e(x.channel)}</th><th>${e(x.measured)}</th><th>${e(x.resolutionMedian)}</th><th>${e(x.firstContact)}</th></tr></thead><tbody>${v.resolution.map((r) => `<tr><td>${e(r.channel)}</td><td class="num">${f.count(r.n)}</td><td>${e(f.duration(r.medianMs))}</td><td>${f.percent(r.firstContactShare)} <span class="muted">${e(fill(x.ofN, { n: f.count(r.firstContactN) }))}</span></td></tr>`).join('')}</tbody></table>`;
  const probes = report.probes.filter((p) => p.vendor === v.slug);
  const probeRows = probes
    .map((p) => {
      const links = p.evidence
        .map(
          (file) =>
            `<a href="${e(href(file.file, p.id))}">${e(file.file.split('/').pop() ?? file.file)}</a>${file.sha256 ? ` <span class="muted">sha256 ${e(file.sha256.slice(0, 12))}…</span>` : ''}`,
        )
        .join('<br>');
      return `<tr><td class="num">${p.id}</td><td>${e(p.channel)}</td><td>${e(p.tier)}</td><td>${e(f.moment(p.sentAt))}</td><td>${e(p.awaitingReview ? x.awaiting : f.duration(p.firstHumanMs))}</td><td>${e(f.word('state', p.state))}</td><td><code>${e(p.token)}</code></td><td>${links || `<span class="muted">${e(x.noneKept)}</span>`}</td></tr>`;
    })
    .join('');
  const summary = fill(x.vendorSummary, {
    probes: f.count(v.probes),
    answered: f.count(v.answered),
    noReply: f.count(v.noReply),
    awaiting: f.count(v.awaitingReview),
    median: f.estimate(v.overallMedian),
  });
  return `<section id="vendor-${e(v.slug)}"><h2>${e(v.name)}${v.visibility === 'private' ? `<span class="private">${e(x.private)}</span>` : ''}</h2>
<p>${e(summary)}</p>
<h3>${e(x.perTier)}</h3><table><thead><tr><th>${e(x.tier)}</th><th>${e(x.n)}</th><th>${e(x.median)}</th><th>${e(x.noReply)}</th><th>${e(x.sla)}</th></tr></thead><tbody>${tierRows}</tbody></table>
<h3>${e(x.perChannel)}</h3><table><thead><tr><th>${e(x.channel)}</th><th>${e(x.tier)}</th><th>${e(x.n)}</th><th>${e(x.median)}</th><th>${e(x.sla)}</th></tr></thead><tbody>${cellRows}</tbody></table>
<h3>${e(x.resolutionHeading)}</h3>${resolution}
<h3>${e(x.probesHeading)}</h3><table class="probes"><thead><tr><th>${e(x.id)}</th><th>${e(x.channel)}</th><th>${e(x.tier)}</th><th>${e(x.sent)}</th><th>${e(x.firstHuman)}</th><th>${e(x.state)}</th><th>${e(x.token)}</th><th>${e(x.evidence)}</th></tr></thead><tbody>${probeRows}</tbody></table></section>`;
}

/** The report as one page: the decision summary first (the report's own decision rows), then the overview, ranking, caveats, each vendor and the method. */
export function renderTrialHtml(report: TrialReport, options: RenderOptions = {}): string {
  const e = escapeHtml;
  const lang = options.lang ?? 'en';
  const f = reportFigures(lang);
  const { x } = f;
  const href = options.evidenceHref ?? ((file: string) => `evidence/${file.split('/').map(encodeURIComponent).join('/')}`);
  const names = new Map(report.vendors.map((v) => [v.slug, v.name]));
  const dims = trialDimensions.filter((d) => report.ranking.weights[d] !== undefined);
  const decision = decisionTableHtml(f, report.decision, names);
  const ranking = report.ranking.vendors
    .map(
      (r) =>
        `<tr><td class="num">${f.count(r.rank)}</td><td><a href="#vendor-${e(r.vendor)}">${e(names.get(r.vendor) ?? r.vendor)}</a></td><td class="num">${f.decimal(r.score, 2)}</td>${dims.map((d) => `<td class="num">${f.decimal(r.scores[d] ?? 0, 2)}</td>`).join('')}</tr>`,
    )
    .join('');
  const overview = report.vendors
    .map(
      (v) =>
        `<tr><th scope="row">${e(v.name)}${v.visibility === 'private' ? `<span class="private">${e(x.private)}</span>` : ''}</th>${v.tiers.map((t) => `<td>${e(f.estimate(t.human.median))} <span class="muted">n=${f.count(t.human.n)}</span></td><td>${e(sla(f, t.sla))}</td>`).join('')}<td class="num">${f.count(v.noReply)}</td><td class="num">${f.count(v.awaitingReview)}</td><td>${v.resolution === null ? `<span class="muted">${e(x.notMeasured)}</span>` : e(v.resolution.map((r) => `${r.channel}: ${f.duration(r.medianMs)}`).join(', '))}</td></tr>`,
    )
    .join('');
  const tierHeads = report.trial.tiers.map((t) => `<th>${e(fill(x.tierMedian, { tier: t }))}</th><th>${e(fill(x.tierSla, { tier: t }))}</th>`).join('');
  const zone = report.trial.timezone;
  const caveats = report.caveatDetails.map((c) => caveatText(f, c, names));
  const method = lang === 'en' ? report.method : methodTexts[lang];
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${e(fill(x.reportTitle, { name: report.trial.name }))}</title><style>${css}</style></head><body>
<header><h1>${e(report.trial.name)}</h1><p class="muted">${e(x.trial)} <code>${e(report.trial.id)}</code> · ${e(x.window)} ${e(f.moment(report.trial.from, zone))} – ${e(f.moment(report.trial.to, zone))} (${e(fill(x.timeZone, { zone }))}) · ${e(x.tiers)} ${e(report.trial.tiers.join(', '))} · ${e(x.generated)} ${e(f.moment(report.generatedAt, zone))}</p>
${report.demoTime ? `<p class="gap">${e(x.demoBanner)}</p>` : ''}${report.trial.notes ? `<p>${e(report.trial.notes)}</p>` : ''}</header>
<main><section id="decision"><h2>${e(x.decision)}</h2>${decision.table}
<p class="muted note">${decision.note}</p></section>
<h2>${e(x.overview)}</h2><table><thead><tr><th>${e(x.vendor)}</th>${tierHeads}<th>${e(x.noReply)}</th><th>${e(x.awaiting)}</th><th>${e(x.resolution)}</th></tr></thead><tbody>${overview}</tbody></table>
<h2>${e(x.ranking)}</h2><table><thead><tr><th>${e(x.rank)}</th><th>${e(x.vendor)}</th><th>${e(x.score)}</th>${dims.map((d) => `<th>${e(fill(x.weight, { dimension: dimensionName(f, d), weight: f.count(report.ranking.weights[d] ?? 0) }))}</th>`).join('')}</tr></thead><tbody>${ranking}</tbody></table>
${report.ranking.leftOut.length > 0 ? `<p class="muted">${e(fill(x.notRanked, { list: report.ranking.leftOut.map((l) => leftOutText(f, l, names)).join('; ') }))}</p>` : ''}
<h2>${e(x.caveats)}</h2><ul class="caveats">${caveats.map((c) => `<li>${e(c)}</li>`).join('') || `<li>${e(x.none)}</li>`}</ul>
${report.vendors.map((v) => vendorSection(f, v, report, href)).join('\n')}
<h2>${e(x.method)}</h2><ul>${method.map((m) => `<li>${e(m)}</li>`).join('')}</ul></main></body></html>
`;
}

export const csvColumns = [
  'probe_id',
  'vendor',
  'vendor_name',
  'visibility',
  'channel',
  'kind',
  'tier',
  'template',
  'language',
  'state',
  'token',
  'ticket_ref',
  'sent_at',
  'deadline_at',
  'first_ack_at',
  'first_bot_at',
  'first_human_at',
  'resolved_at',
  'first_human_ms',
  'awaiting_review',
  'evidence',
  'evidence_sha256',
] as const;

/** One row per probe, every timestamp as ISO 8601 UTC; evidence paths are relative to the evidence directory, joined by " | ". */
export function renderTrialCsv(report: TrialReport): string {
  const vendors = new Map(report.vendors.map((v) => [v.slug, v]));
  const rows = report.probes.map((p) => [
    p.id,
    p.vendor,
    vendors.get(p.vendor)?.name ?? '',
    vendors.get(p.vendor)?.visibility ?? '',
    p.channel,
    p.kind,
    p.tier,
    p.template,
    p.language,
    p.state,
    p.token,
    p.ticketRef ?? '',
    iso(p.sentAt),
    iso(p.deadlineAt),
    iso(p.firstAckAt),
    iso(p.firstBotAt),
    iso(p.firstHumanAt),
    iso(p.resolvedAt),
    p.firstHumanMs ?? '',
    p.awaitingReview ? 'yes' : 'no',
    p.evidence.map((f) => f.file).join(' | '),
    p.evidence.map((f) => f.sha256 ?? '').join(' | '),
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
    case 'html':
      return renderTrialHtml(report, options);
    case 'csv':
      return renderTrialCsv(report);
    case 'json':
      return renderTrialJson(report);
  }
}
