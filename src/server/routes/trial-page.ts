// The trial page /trial/<id>, for a signed-in operator only: the decision summary first, then each vendor's detail and probes.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { formatDuration } from '../../core/clock.ts';
import type { Estimate } from '../../metrics/report-types.ts';
import { collectTrialReport } from '../../trials/collect.ts';
import { eventsNeeded, type DecisionRow } from '../../trials/decision.ts';
import { findTrial, type Trial } from '../../trials/load.ts';
import type { TierSla, TrialReport, TrialVendor } from '../../trials/report.ts';
import { HttpError, pageLanguage, parseInput, slugParam, type ServerContext } from '../http.ts';
import { escapeHtml, pageShell } from '../html.ts';
import type { Language } from '../i18n.ts';
import { signOutForm } from './admin-session.ts';

const trialParams = z.object({ id: slugParam });
const langQuery = z.object({ lang: z.string().max(20).optional() });

export interface TrialPageOptions {
  trials: readonly Trial[];
  evidenceDir: string;
}

const texts = {
  en: {
    window: 'Window', tiers: 'tiers', generated: 'generated', decision: 'Decision summary', dimension: 'Dimension', leader: 'Leads',
    margin: 'By how much', real: 'Is the gap real?', ranking: 'Ranking', rank: 'rank', vendor: 'vendor', score: 'score', caveats: 'Caveats',
    method: 'Method', perTier: 'Per tier', perChannel: 'Per channel and tier', probes: 'Probes', tier: 'tier', channel: 'channel', n: 'n',
    median: 'median first human reply (95 % CI)', noReply: 'no reply', sla: 'SLA compliance', id: 'probe', sent: 'sent (UTC)', firstHuman: 'first human reply',
    state: 'state', evidence: 'evidence files', awaiting: 'awaiting review', notReached: 'not reached', open: 'open', private: 'private',
    firstReply: 'First human reply', slaAll: 'SLA compliance, all tiers', coverage: '7×24: probes sent off-hours', consistency: 'Cross-channel consistency (slowest ÷ fastest channel median)',
    resolution: 'Time to resolution', faster: 'faster than', over: 'over', points: 'points', evener: 'more even than', noMargin: 'runner-up not reached',
    yes: 'Yes', single: 'Only one vendor has probes here', noData: 'No data yet', noDetectable: 'No detectable difference with n = {a} and {b}',
    needs: 'a gap this size needs about {events} answered probes in all', logrank: 'log-rank, permutation', fisher: 'Fisher exact', runnerUpChannels: 'runner-up’s fastest vs slowest channel',
    offHours: 'Off-hours: {what}.', testNote: 'A gap counts as real at p < {level} (two-sided). Times: the log-rank statistic under permutation of the probes between the two vendors (exact for small samples); shares: Fisher’s exact test. A gap that is not detectable may still exist: more probes decide it.',
    none: 'none', summary: '{probes} probes · {answered} answered by a person · {noReply} without a human reply · {awaiting} awaiting review',
  },
  'zh-CN': {
    window: '时间窗', tiers: '级别', generated: '生成于', decision: '决策摘要', dimension: '维度', leader: '领先者',
    margin: '领先幅度', real: '差异是否真实？', ranking: '排名', rank: '名次', vendor: '厂商', score: '得分', caveats: '注意事项',
    method: '方法', perTier: '按级别', perChannel: '按渠道与级别', probes: '探测', tier: '级别', channel: '渠道', n: 'n',
    median: '首次人工回复中位数（95% 置信区间）', noReply: '无回复', sla: 'SLA 达成', id: '探测', sent: '发送时间（UTC）', firstHuman: '首次人工回复',
    state: '状态', evidence: '证据文件', awaiting: '待复核', notReached: '未达到', open: '开放', private: '私有',
    firstReply: '首次人工回复', slaAll: 'SLA 达成（全部级别）', coverage: '7×24：非工作时间发送的探测', consistency: '跨渠道一致性（最慢 ÷ 最快渠道中位数）',
    resolution: '解决时间', faster: '快于', over: '高于', points: '个百分点', evener: '比以下更均衡：', noMargin: '第二名未达到中位数',
    yes: '是', single: '只有一家厂商在此有探测', noData: '尚无数据', noDetectable: '在 n = {a} 和 {b} 时未检测到差异',
    needs: '要检测这样的差距，总共约需 {events} 个有人工回复的探测', logrank: 'log-rank 置换检验', fisher: 'Fisher 精确检验', runnerUpChannels: '第二名最快与最慢渠道对比',
    offHours: '非工作时间：{what}。', testNote: '双侧 p < {level} 时差异视为真实。时间：在两家厂商之间置换探测得到的 log-rank 统计量（小样本时精确枚举）；比例：Fisher 精确检验。未检测到的差异仍可能存在：更多探测才能判定。',
    none: '无', summary: '{probes} 个探测 · {answered} 个有人工回复 · {noReply} 个无人工回复 · {awaiting} 个待复核',
  },
} satisfies Record<Language, Record<string, string>>;

type Texts = (typeof texts)['en'];
const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));
const e = escapeHtml;
const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 16));
const pct = (share: number | null) => (share === null ? '–' : `${Math.round(share * 100)} %`);
const pText = (p: number) => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(p < 0.01 ? 3 : 2)}`);

function estimate(x: Texts, m: Estimate): string {
  if (m.value === null) return x.notReached;
  return `${formatDuration(m.value)} (${m.low === null ? '?' : formatDuration(m.low)} – ${m.high === null ? x.open : formatDuration(m.high)})`;
}

function slaText(s: TierSla | null): string {
  if (s === null || s.n === 0) return '–';
  return `${s.met}/${s.n} (${pct(s.share)}) ≤ ${formatDuration(s.targetMs)}${s.pending > 0 ? ` · +${s.pending}` : ''}`;
}

function figureText(x: Texts, row: DecisionRow, vendor: string | null): string {
  const f = row.figures.find((g) => g.vendor === vendor);
  if (!f) return '';
  if (f.value === null) return x.notReached;
  if (row.dimension === 'sla') return `${pct(f.value)} (${f.events}/${f.n})`;
  if (row.dimension === 'consistency') return `×${f.value.toFixed(1)}`;
  return formatDuration(f.value);
}

function dimensionText(x: Texts, row: DecisionRow): string {
  switch (row.dimension) {
    case 'first_reply': return `${x.firstReply} · ${row.tier ?? ''} · ${row.kind ?? ''}`;
    case 'sla': return x.slaAll;
    case 'coverage': return x.coverage;
    case 'consistency': return x.consistency;
    case 'resolution': return x.resolution;
  }
}

function decisionRow(x: Texts, row: DecisionRow, names: Map<string, string>): string {
  const name = (slug: string | null) => (slug === null ? '' : names.get(slug) ?? slug);
  const leader = row.leader === null ? '–' : `<strong>${e(name(row.leader))}</strong> <span class="muted">${e(figureText(x, row, row.leader))}</span>`;
  let margin = '–';
  if (row.margin && row.runnerUp !== null) {
    const versus = `${e(name(row.runnerUp))} <span class="muted">${e(figureText(x, row, row.runnerUp))}</span>`;
    if (row.margin.value === null) margin = `${e(x.noMargin)}: ${versus}`;
    else if (row.margin.unit === 'points') margin = `+${row.margin.value.toFixed(0)} ${e(x.points)} ${e(x.over)} ${versus}`;
    else margin = `×${row.margin.value.toFixed(1)} ${e(row.dimension === 'consistency' ? x.evener : x.faster)} ${versus}`;
  }
  let verdict: string;
  const test = row.test;
  const method = test === null ? '' : `${test.method === 'fisher exact' ? x.fisher : x.logrank}${row.dimension === 'consistency' ? `, ${x.runnerUpChannels}` : ''}`;
  if (row.verdict === 'real' && test) verdict = `<strong>${e(x.yes)}</strong> — ${e(pText(test.p))} <span class="muted">(${e(method)}, n = ${test.n[0]} / ${test.n[1]})</span>`;
  else if (row.verdict === 'not_detectable' && test) {
    const needed = row.margin?.unit === 'ratio' && row.margin.value !== null && row.dimension !== 'consistency' ? eventsNeeded(row.margin.value) : null;
    verdict = `${e(fill(x.noDetectable, { a: test.n[0], b: test.n[1] }))} <span class="muted">(${e(pText(test.p))}, ${e(method)}${needed !== null ? `; ${e(fill(x.needs, { events: needed }))}` : ''})</span>`;
  } else verdict = e(row.verdict === 'single' ? x.single : x.noData);
  return `<tr data-dimension="${e(row.dimension)}" data-verdict="${e(row.verdict)}"><th scope="row">${e(dimensionText(x, row))}</th><td>${leader}</td><td>${margin}</td><td>${verdict}</td></tr>`;
}

function vendorSection(x: Texts, v: TrialVendor, report: TrialReport): string {
  const tierRows = v.tiers.map((t) => `<tr><th scope="row">${e(t.tier)}</th><td class="num">${t.human.n}</td><td>${e(estimate(x, t.human.median))}</td><td class="num">${pct(t.human.noEventShare)}</td><td>${e(slaText(t.sla))}</td></tr>`).join('');
  const cellRows = v.cells.map((c) => `<tr><td>${e(c.channel)} <span class="muted">${e(c.kind)}</span></td><th scope="row">${e(c.tier)}</th><td class="num">${c.human.n}</td><td>${e(estimate(x, c.human.median))}</td><td>${e(slaText(c.sla))}</td></tr>`).join('');
  const probes = report.probes.filter((p) => p.vendor === v.slug).map((p) => `<tr><td class="num"><a href="/admin/probe/${p.id}">${p.id}</a></td><td>${e(p.channel)}</td><td>${e(p.tier)}</td><td>${e(iso(p.sentAt))}</td><td>${e(p.awaitingReview ? x.awaiting : p.firstHumanMs === null ? '–' : formatDuration(p.firstHumanMs))}</td><td>${e(p.state)}</td><td class="num">${p.evidence.length}</td></tr>`).join('');
  return `<section id="vendor-${e(v.slug)}" class="trial-vendor" aria-labelledby="vendor-${e(v.slug)}-heading">
<h2 id="vendor-${e(v.slug)}-heading">${e(v.name)}${v.visibility === 'private' ? ` <span class="muted">(${e(x.private)})</span>` : ''}</h2>
<p>${e(fill(x.summary, { probes: v.probes, answered: v.answered, noReply: v.noReply, awaiting: v.awaitingReview }))}</p>
<h3>${e(x.perTier)}</h3><div class="scroll"><table><thead><tr><th>${e(x.tier)}</th><th class="num">${e(x.n)}</th><th>${e(x.median)}</th><th class="num">${e(x.noReply)}</th><th>${e(x.sla)}</th></tr></thead><tbody>${tierRows}</tbody></table></div>
<h3>${e(x.perChannel)}</h3><div class="scroll"><table><thead><tr><th>${e(x.channel)}</th><th>${e(x.tier)}</th><th class="num">${e(x.n)}</th><th>${e(x.median)}</th><th>${e(x.sla)}</th></tr></thead><tbody>${cellRows}</tbody></table></div>
<h3>${e(x.probes)}</h3><div class="scroll"><table class="trial-probes"><thead><tr><th class="num">${e(x.id)}</th><th>${e(x.channel)}</th><th>${e(x.tier)}</th><th>${e(x.sent)}</th><th>${e(x.firstHuman)}</th><th>${e(x.state)}</th><th class="num">${e(x.evidence)}</th></tr></thead><tbody>${probes}</tbody></table></div>
</section>`;
}

export function trialPageMain(report: TrialReport, lang: Language): string {
  const x = texts[lang];
  const names = new Map(report.vendors.map((v) => [v.slug, v.name]));
  const ranking = report.ranking.vendors.map((r) => `<tr><td class="num">${r.rank}</td><td><a href="#vendor-${e(r.vendor)}">${e(names.get(r.vendor) ?? r.vendor)}</a></td><td class="num">${r.score.toFixed(2)}</td></tr>`).join('');
  const { decision } = report;
  return `<h1 id="page-heading">${e(report.trial.name)}</h1>
<p class="note">${e(x.window)} ${e(iso(report.trial.from))} – ${e(iso(report.trial.to))} UTC (${e(report.trial.timezone)}) · ${e(x.tiers)} ${e(report.trial.tiers.join(', '))} · ${e(x.generated)} ${e(iso(report.generatedAt))}</p>
<section id="decision" aria-labelledby="decision-heading"><h2 id="decision-heading">${e(x.decision)}</h2>
<div class="scroll"><table class="decision"><thead><tr><th>${e(x.dimension)}</th><th>${e(x.leader)}</th><th>${e(x.margin)}</th><th>${e(x.real)}</th></tr></thead>
<tbody>${decision.rows.map((row) => decisionRow(x, row, names)).join('')}</tbody></table></div>
<p class="small muted">${e(fill(x.testNote, { level: decision.significanceLevel }))} ${e(fill(x.offHours, { what: decision.offHours }))}</p></section>
<h2>${e(x.ranking)}</h2><div class="scroll"><table><thead><tr><th class="num">${e(x.rank)}</th><th>${e(x.vendor)}</th><th class="num">${e(x.score)}</th></tr></thead><tbody>${ranking}</tbody></table></div>
<h2>${e(x.caveats)}</h2><ul>${report.caveats.map((c) => `<li>${e(c)}</li>`).join('') || `<li>${e(x.none)}</li>`}</ul>
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
    return reply.type('text/html; charset=utf-8').send(pageShell({
      lang, page: 'trial', title: report.trial.name, demoTime: ctx.demoTime, path: `/trial/${id}`, headerExtra: signOutForm(lang),
      main: trialPageMain(report, lang),
    }));
  });
}
