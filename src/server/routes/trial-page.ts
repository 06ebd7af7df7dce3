// The trial page /trial/<id>, for a signed-in operator only: the decision summary first, then each vendor's detail and probes.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { formatDuration } from '../../core/clock.ts';
import type { Estimate } from '../../metrics/report-types.ts';
import { collectTrialReport } from '../../trials/collect.ts';
import { renderTrialHtml, renderTrialReport } from '../../trials/render.ts';
import { findTrial, type Trial } from '../../trials/load.ts';
import type { TierSla, TrialReport, TrialVendor } from '../../trials/report.ts';
import { caveatText, decisionTableHtml, reportFigures } from '../../trials/report-text.ts';
import { HttpError, pageLanguage, parseInput, slugParam, type ServerContext } from '../http.ts';
import { escapeHtml, pageShell } from '../html.ts';
import type { Language } from '../i18n.ts';
import { signOutForm } from './admin-session.ts';

const trialParams = z.object({ id: slugParam });
const langQuery = z.object({ lang: z.string().max(20).optional() });
const exportFormats = ['html', 'pdf', 'csv', 'json'] as const;
const exportQuery = z.object({ format: z.enum(exportFormats).default('html'), lang: z.string().max(20).optional() });

interface TrialPageOptions {
  trials: readonly Trial[];
  evidenceDir: string;
  /** Prints the report's HTML to PDF (Chromium); without it the PDF export answers 501. */
  printReport?: ((html: string, footer: string) => Promise<Buffer>) | undefined;
}

const exportTypes: Record<(typeof exportFormats)[number], string> = {
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

const texts = {
  en: {
    export: 'Export the report',
    window: 'Window',
    tiers: 'tiers',
    generated: 'generated',
    decision: 'Decision summary',
    ranking: 'Ranking',
    rank: 'rank',
    vendor: 'vendor',
    score: 'score',
    caveats: 'Caveats',
    method: 'Method',
    perTier: 'Per tier',
    perChannel: 'Per channel and tier',
    probes: 'Probes',
    tier: 'tier',
    channel: 'channel',
    n: 'n',
    median: 'median first human reply (95 % CI)',
    noReply: 'no reply',
    sla: 'SLA compliance',
    id: 'probe',
    sent: 'sent (UTC)',
    firstHuman: 'first human reply',
    state: 'state',
    evidence: 'evidence files',
    awaiting: 'awaiting review',
    notReached: 'not reached',
    open: 'open',
    private: 'private',
    none: 'none',
    summary: '{probes} probes · {answered} answered by a person · {noReply} without a human reply · {awaiting} awaiting review',
  },
  'zh-CN': {
    export: '导出报告',
    window: '时间窗',
    tiers: '级别',
    generated: '生成于',
    decision: '决策摘要',
    ranking: '排名',
    rank: '名次',
    vendor: '厂商',
    score: '得分',
    caveats: '注意事项',
    method: '方法',
    perTier: '按级别',
    perChannel: '按渠道与级别',
    probes: '探测',
    tier: '级别',
    channel: '渠道',
    n: 'n',
    median: '首次人工回复中位数（95% 置信区间）',
    noReply: '无回复',
    sla: 'SLA 达成',
    id: '探测',
    sent: '发送时间（UTC）',
    firstHuman: '首次人工回复',
    state: '状态',
    evidence: '证据文件',
    awaiting: '待复核',
    notReached: '未达到',
    open: '开放',
    private: '私有',
    none: '无',
    summary: '{probes} 个探测 · {answered} 个有人工回复 · {noReply} 个无人工回复 · {awaiting} 个待复核',
  },
} satisfies Record<Language, Record<string, string>>;

type Texts = (typeof texts)['en'];
const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));
const e = escapeHtml;
const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 16));
const pct = (share: number | null) => (share === null ? '–' : `${Math.round(share * 100)} %`);

function estimate(x: Texts, m: Estimate): string {
  if (m.value === null) return x.notReached;
  return `${formatDuration(m.value)} (${m.low === null ? '?' : formatDuration(m.low)} – ${m.high === null ? x.open : formatDuration(m.high)})`;
}

function slaText(s: TierSla | null): string {
  if (s === null || s.n === 0) return '–';
  return `${s.met}/${s.n} (${pct(s.share)}) ≤ ${formatDuration(s.targetMs)}${s.pending > 0 ? ` · +${s.pending}` : ''}`;
}

function vendorSection(x: Texts, v: TrialVendor, report: TrialReport): string {
  const tierRows = v.tiers
    .map(
      (t) =>
        `<tr><th scope="row">${e(t.tier)}</th><td class="num">${t.human.n}</td><td>${e(estimate(x, t.human.median))}</td><td class="num">${pct(t.human.noEventShare)}</td><td>${e(slaText(t.sla))}</td></tr>`,
    )
    .join('');
  const cellRows = v.cells
    .map(
      (c) =>
        `<tr><td>${e(c.channel)} <span class="muted">${e(c.kind)}</span></td><th scope="row">${e(c.tier)}</th><td class="num">${c.human.n}</td><td>${e(estimate(x, c.human.median))}</td><td>${e(slaText(c.sla))}</td></tr>`,
    )
    .join('');
  const probes = report.probes
    .filter((p) => p.vendor === v.slug)
    .map(
      (p) =>
        `<tr><td class="num"><a href="/admin/probe/${p.id}">${p.id}</a></td><td>${e(p.channel)}</td><td>${e(p.tier)}</td><td>${e(iso(p.sentAt))}</td><td>${e(p.awaitingReview ? x.awaiting : p.firstHumanMs === null ? '–' : formatDuration(p.firstHumanMs))}</td><td>${e(p.state)}</td><td class="num">${p.evidence.length}</td></tr>`,
    )
    .join('');
  return `<section id="vendor-${e(v.slug)}" class="trial-vendor" aria-labelledby="vendor-${e(v.slug)}-heading">
<h2 id="vendor-${e(v.slug)}-heading">${e(v.name)}${v.visibility === 'private' ? ` <span class="muted">(${e(x.private)})</span>` : ''}</h2>
<p>${e(fill(x.summary, { probes: v.probes, answered: v.answered, noReply: v.noReply, awaiting: v.awaitingReview }))}</p>
<h3>${e(x.perTier)}</h3><div class="scroll"><table><thead><tr><th>${e(x.tier)}</th><th class="num">${e(x.n)}</th><th>${e(x.median)}</th><th class="num">${e(x.noReply)}</th><th>${e(x.sla)}</th></tr></thead><tbody>${tierRows}</tbody></table></div>
<h3>${e(x.perChannel)}</h3><div class="scroll"><table><thead><tr><th>${e(x.channel)}</th><th>${e(x.tier)}</th><th class="num">${e(x.n)}</th><th>${e(x.median)}</th><th>${e(x.sla)}</th></tr></thead><tbody>${cellRows}</tbody></table></div>
<h3>${e(x.probes)}</h3><div class="scroll"><table class="trial-probes"><thead><tr><th class="num">${e(x.id)}</th><th>${e(x.channel)}</th><th>${e(x.tier)}</th><th>${e(x.sent)}</th><th>${e(x.firstHuman)}</th><th>${e(x.state)}</th><th class="num">${e(x.evidence)}</th></tr></thead><tbody>${probes}</tbody></table></div>
</section>`;
}

function trialPageMain(report: TrialReport, lang: Language): string {
  const x = texts[lang];
  const names = new Map(report.vendors.map((v) => [v.slug, v.name]));
  const ranking = report.ranking.vendors
    .map(
      (r) =>
        `<tr><td class="num">${r.rank}</td><td><a href="#vendor-${e(r.vendor)}">${e(names.get(r.vendor) ?? r.vendor)}</a></td><td class="num">${r.score.toFixed(2)}</td></tr>`,
    )
    .join('');
  const figures = reportFigures(lang);
  const decision = decisionTableHtml(figures, report.decision, names);
  const exportHref = (format: string) => `/trial/${encodeURIComponent(report.trial.id)}/report?format=${format}&amp;lang=${encodeURIComponent(lang)}`;
  return `<h1 id="page-heading">${e(report.trial.name)}</h1>
<nav class="trial-export" aria-label="${e(x.export)}"><span>${e(x.export)}:</span> ${exportFormats.map((format) => `<a href="${exportHref(format)}" download>${format.toUpperCase()}</a>`).join(' · ')}</nav>
<p class="note">${e(x.window)} ${e(iso(report.trial.from))} – ${e(iso(report.trial.to))} UTC (${e(report.trial.timezone)}) · ${e(x.tiers)} ${e(report.trial.tiers.join(', '))} · ${e(x.generated)} ${e(iso(report.generatedAt))}</p>
<section id="decision" aria-labelledby="decision-heading"><h2 id="decision-heading">${e(x.decision)}</h2>
<div class="scroll">${decision.table}</div>
<p class="small muted">${decision.note}</p></section>
<h2>${e(x.ranking)}</h2><div class="scroll"><table><thead><tr><th class="num">${e(x.rank)}</th><th>${e(x.vendor)}</th><th class="num">${e(x.score)}</th></tr></thead><tbody>${ranking}</tbody></table></div>
<h2>${e(x.caveats)}</h2><ul>${report.caveatDetails.map((c) => `<li>${e(caveatText(figures, c, names))}</li>`).join('') || `<li>${e(x.none)}</li>`}</ul>
${report.vendors.map((v) => vendorSection(x, v, report)).join('\n')}
<h2>${e(x.method)}</h2><ul>${report.method.map((m) => `<li>${e(m)}</li>`).join('')}</ul>`;
}

export function trialPageRoutes(app: FastifyInstance, ctx: ServerContext, options: TrialPageOptions): void {
  app.get('/trial/:id', { config: ctx.expensive }, async (request, reply) => {
    const { id } = parseInput(trialParams, request.params);
    const { lang: requested } = parseInput(langQuery, request.query);
    const lang = pageLanguage(request, reply, requested);
    const trial = findTrial(options.trials, id);
    // A visitor who is not signed in learns nothing, not even that the trial exists.
    if (!ctx.isOperator(request) || !trial) throw new HttpError(404, 'NOT_FOUND', `no trial "${id}"`);
    const report = collectTrialReport(ctx.store, trial, { now: ctx.clock.now(), evidenceDir: options.evidenceDir });
    reply.header('cache-control', 'private, no-store');
    reply.header('vary', 'Cookie, Authorization, Accept-Language');
    reply.header('x-robots-tag', 'noindex, nofollow');
    return reply.type('text/html; charset=utf-8').send(
      pageShell({
        lang,
        page: 'trial',
        title: report.trial.name,
        demoTime: ctx.demoTime,
        path: `/trial/${id}`,
        headerExtra: signOutForm(lang),
        main: trialPageMain(report, lang),
      }),
    );
  });

  // The report as the CLI exports it, in the language the page passes; evidence links point to the evidence viewer's downloads.
  app.get('/trial/:id/report', { config: ctx.expensive }, async (request, reply) => {
    const { id } = parseInput(trialParams, request.params);
    const { format, lang: requested } = parseInput(exportQuery, request.query);
    const lang = pageLanguage(request, reply, requested);
    const trial = findTrial(options.trials, id);
    if (!ctx.isOperator(request) || !trial) throw new HttpError(404, 'NOT_FOUND', `no trial "${id}"`);
    if (format === 'pdf' && !options.printReport) throw new HttpError(501, 'UNSUPPORTED', 'this server prints no PDF (no browser)');
    const report = collectTrialReport(ctx.store, trial, { now: ctx.clock.now(), evidenceDir: options.evidenceDir });
    const evidenceHref = (file: string, probeId: number) => `/admin/probe/${probeId}/file/${file.split('/').map(encodeURIComponent).join('/')}`;
    const body =
      format === 'pdf' && options.printReport
        ? await options.printReport(renderTrialHtml(report, { evidenceHref, lang }), `${trial.name} — ${trial.id}`)
        : renderTrialReport(report, format === 'pdf' ? 'html' : format, { evidenceHref, lang });
    reply.header('cache-control', 'private, no-store');
    reply.header('vary', 'Cookie, Authorization');
    reply.header('x-robots-tag', 'noindex, nofollow');
    reply.header('content-disposition', `attachment; filename="${trial.id}-report${lang === 'en' ? '' : `.${lang}`}.${format}"`);
    // The HTML report's own policy: inline styles, no script, nothing fetched.
    if (format === 'html') reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    return reply.type(exportTypes[format]).send(body);
  });
}
