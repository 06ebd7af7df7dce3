// Pure: a trial report's fixed texts in English and Simplified Chinese, its figures through Intl, and the decision summary
// as HTML (the exported report and the trial page show the same rows).
import type { Estimate } from '../metrics/report-types.ts';
import type { TrialDimension } from '../config/trial.ts';
import { eventsNeeded, type DecisionRow, type TrialDecision } from './decision.ts';
import type { Ranking } from './ranking.ts';

export const reportLanguages = ['en', 'zh-CN'] as const;
export type ReportLanguage = (typeof reportLanguages)[number];

export function reportLanguageOf(text: string | undefined): ReportLanguage | undefined {
  const lower = text?.trim().toLowerCase();
  if (lower === 'en' || lower?.startsWith('en-')) return 'en';
  if (lower === 'zh' || lower === 'zh-cn' || lower === 'zh-hans' || lower === 'zh-sg') return 'zh-CN';
  return undefined;
}

/** What a caveat says, as data: each language words it. */
export type TrialCaveat =
  | { code: 'demo_time' }
  | { code: 'still_running'; endsAt: number }
  | { code: 'vendor_missing'; vendor: string }
  | { code: 'few_probes'; vendor: string; channel: string; n: number }
  | { code: 'resolution_unmeasured' };

const en = {
  reportTitle: '{name} — trial report',
  trial: 'Trial',
  window: 'Window',
  tiers: 'tiers',
  generated: 'generated',
  timeZone: 'time zone {zone}',
  demoBanner: 'Demo time: simulated clock, seconds stand for hours.',
  decision: 'Decision summary',
  dimension: 'Dimension',
  leader: 'Leads',
  margin: 'By how much',
  real: 'Is the gap real?',
  overview: 'Overview per vendor',
  tierMedian: '{tier} median first human reply',
  tierSla: '{tier} SLA',
  notMeasured: 'not measured',
  ranking: 'Ranking',
  rank: 'rank',
  vendor: 'vendor',
  score: 'score',
  weight: '{dimension} (weight {weight})',
  notRanked: 'Not ranked on: {list}.',
  caveats: 'Caveats',
  none: 'none',
  method: 'Method',
  perTier: 'Per tier',
  perChannel: 'Per channel and tier',
  resolutionHeading: 'Resolution',
  probesHeading: 'Probes and evidence',
  tier: 'tier',
  channel: 'channel',
  n: 'n',
  median: 'median first human reply',
  medianCi: 'median first human reply (95 % CI)',
  noReply: 'no reply',
  sla: 'SLA compliance',
  awaiting: 'awaiting review',
  resolution: 'resolution',
  measured: 'measured',
  resolutionMedian: 'median time to resolution',
  firstContact: 'first-contact resolution',
  ofN: 'of {n}',
  id: 'id',
  sent: 'sent (UTC)',
  firstHuman: 'first human reply',
  state: 'state',
  token: 'token',
  evidence: 'evidence',
  noneKept: 'none kept',
  private: 'private',
  notReached: 'not reached',
  ci: '95 % CI {low} – {high}',
  open: 'open',
  slaText: '{met}/{n} {share} within {target} ({source})',
  slaPending: ', {pending} pending',
  resolutionGap:
    'Resolution: not measured for this vendor — no template of the trial says what a good answer contains (expect:) and no person marked a reply as resolving.',
  vendorSummary: '{probes} probes · {answered} answered by a person · {noReply} without a human reply · {awaiting} awaiting review · median {median}',
  firstReply: 'First human reply',
  slaAll: 'SLA compliance, all tiers',
  coverage: '7×24: probes sent off-hours',
  consistency: 'Cross-channel consistency (slowest ÷ fastest channel median)',
  resolutionTime: 'Time to resolution',
  faster: 'faster than',
  over: 'over',
  points: 'points',
  evener: 'more even than',
  noMargin: 'runner-up not reached',
  yes: 'Yes',
  single: 'Only one vendor has probes here',
  noData: 'No data yet',
  noDetectable: 'No detectable difference with n = {a} and {b}',
  needs: 'a gap this size needs about {events} answered probes in all',
  logrank: 'log-rank, permutation',
  fisher: 'Fisher exact',
  runnerUpChannels: 'runner-up’s fastest vs slowest channel',
  offHours: 'Off-hours: sent on a weekend, or before 09:00 or from 18:00 on a weekday, in the vendor’s own time zone.',
  testNote:
    'A gap counts as real at p < {level} (two-sided). Times: the log-rank statistic under permutation of the probes between the two vendors (exact for small samples); shares: Fisher’s exact test. A gap that is not detectable may still exist: more probes decide it.',
  'unit.s': '{n} s',
  'unit.min': '{n} min',
  'unit.h': '{n} h',
  'unit.d': '{n} d',
  unitJoin: ' ',
  'source.team': 'team',
  'source.vendor': 'vendor',
  'source.reference': 'reference',
  'dim.first_reply': 'first reply',
  'dim.sla': 'SLA',
  'dim.no_reply': 'no reply',
  'dim.resolution': 'resolution',
  'leftOut.weight_zero': 'weight 0',
  'leftOut.no_vendor': 'no vendor has this figure',
  'leftOut.missing': 'no figure for {vendors}',
  'kind.email': 'e-mail',
  'kind.webform': 'web form',
  'kind.chat': 'chat',
  'kind.manual': 'manual',
  'state.scheduled': 'scheduled',
  'state.sending': 'sending',
  'state.sent': 'sent',
  'state.answered': 'answered',
  'state.expired': 'expired',
  'state.send_failed': 'send failed',
  'state.send_unknown': 'send unknown',
  'caveat.demo_time': 'Demo time: these probes ran on a simulated clock where seconds stand for hours.',
  'caveat.still_running': 'The trial is still running: it ends {endsAt}; open probes are censored now.',
  'caveat.vendor_missing': "{vendor}: no probes of this vendor in the store for the trial's channels.",
  'caveat.few_probes': '{vendor} / {channel}: {n} probes — too few for a verdict.',
  'caveat.resolution_unmeasured':
    'Resolution: not measured for any vendor (no template of the trial has an expect: rubric and no person marked a reply as resolving).',
};

export type ReportTexts = Record<keyof typeof en, string>;

const zh: ReportTexts = {
  reportTitle: '{name} — 试用评估报告',
  trial: '试用评估',
  window: '时间窗',
  tiers: '级别',
  generated: '生成于',
  timeZone: '时区 {zone}',
  demoBanner: '演示时间：模拟时钟，一秒代表一小时。',
  decision: '决策摘要',
  dimension: '维度',
  leader: '领先者',
  margin: '领先幅度',
  real: '差异是否真实？',
  overview: '各厂商概览',
  tierMedian: '{tier} 首次人工回复中位数',
  tierSla: '{tier} SLA',
  notMeasured: '未衡量',
  ranking: '排名',
  rank: '名次',
  vendor: '厂商',
  score: '得分',
  weight: '{dimension}（权重 {weight}）',
  notRanked: '未计入排名：{list}。',
  caveats: '注意事项',
  none: '无',
  method: '方法',
  perTier: '按级别',
  perChannel: '按渠道与级别',
  resolutionHeading: '问题解决',
  probesHeading: '探测与证据',
  tier: '级别',
  channel: '渠道',
  n: 'n',
  median: '首次人工回复中位数',
  medianCi: '首次人工回复中位数（95% 置信区间）',
  noReply: '无回复',
  sla: 'SLA 达成',
  awaiting: '待复核',
  resolution: '解决',
  measured: '已衡量',
  resolutionMedian: '解决时间中位数',
  firstContact: '首次接触解决率',
  ofN: '共 {n} 个',
  id: '编号',
  sent: '发送时间（UTC）',
  firstHuman: '首次人工回复',
  state: '状态',
  token: '令牌',
  evidence: '证据',
  noneKept: '未保存',
  private: '私有',
  notReached: '未达到',
  ci: '95% 置信区间 {low} – {high}',
  open: '开放',
  slaText: '{met}/{n}（{share}）在 {target} 内（{source}）',
  slaPending: '，{pending} 个待定',
  resolutionGap: '问题解决：未对该厂商衡量——本次试用没有任何模板说明好的答复应包含什么（expect:），也没有人将某条回复标记为已解决。',
  vendorSummary: '{probes} 个探测 · {answered} 个有人工回复 · {noReply} 个无人工回复 · {awaiting} 个待复核 · 中位数 {median}',
  firstReply: '首次人工回复',
  slaAll: 'SLA 达成（全部级别）',
  coverage: '7×24：非工作时间发送的探测',
  consistency: '跨渠道一致性（最慢 ÷ 最快渠道中位数）',
  resolutionTime: '解决时间',
  faster: '快于',
  over: '高于',
  points: '个百分点',
  evener: '比以下更均衡：',
  noMargin: '第二名未达到中位数',
  yes: '是',
  single: '只有一家厂商在此有探测',
  noData: '尚无数据',
  noDetectable: '在 n = {a} 和 {b} 时未检测到差异',
  needs: '要检测这样的差距，总共约需 {events} 个有人工回复的探测',
  logrank: 'log-rank 置换检验',
  fisher: 'Fisher 精确检验',
  runnerUpChannels: '第二名最快与最慢渠道对比',
  offHours: '非工作时间：按厂商所在时区，周末，或工作日 09:00 之前、18:00 及之后发送。',
  testNote:
    '双侧 p < {level} 时差异视为真实。时间：在两家厂商之间置换探测得到的 log-rank 统计量（小样本时精确枚举）；比例：Fisher 精确检验。未检测到的差异仍可能存在：更多探测才能判定。',
  'unit.s': '{n} 秒',
  'unit.min': '{n} 分钟',
  'unit.h': '{n} 小时',
  'unit.d': '{n} 天',
  unitJoin: ' ',
  'source.team': '团队目标',
  'source.vendor': '厂商承诺',
  'source.reference': '参考表',
  'dim.first_reply': '首次回复',
  'dim.sla': 'SLA',
  'dim.no_reply': '无回复',
  'dim.resolution': '问题解决',
  'leftOut.weight_zero': '权重为 0',
  'leftOut.no_vendor': '没有厂商有此数据',
  'leftOut.missing': '{vendors} 无此数据',
  'kind.email': '电子邮件',
  'kind.webform': '网页表单',
  'kind.chat': '在线聊天',
  'kind.manual': '人工记录',
  'state.scheduled': '已计划',
  'state.sending': '发送中',
  'state.sent': '已发送',
  'state.answered': '已回复',
  'state.expired': '已过期',
  'state.send_failed': '发送失败',
  'state.send_unknown': '发送结果未知',
  'caveat.demo_time': '演示时间：这些探测运行在模拟时钟上，一秒代表一小时。',
  'caveat.still_running': '试用仍在进行：将于 {endsAt} 结束；未结束的探测按当前时间删失。',
  'caveat.vendor_missing': '{vendor}：库中没有该厂商在本次试用渠道上的探测。',
  'caveat.few_probes': '{vendor} / {channel}：{n} 个探测——太少，无法下结论。',
  'caveat.resolution_unmeasured': '问题解决：未对任何厂商衡量（本次试用没有模板带 expect: 评分标准，也没有人将回复标记为已解决）。',
};

export const reportTexts: Record<ReportLanguage, ReportTexts> = { en, 'zh-CN': zh };

/** The method, one statement a line; the English list is also the JSON report's `method`. */
export const methodTexts: Record<ReportLanguage, readonly string[]> = {
  en: [
    'Time to first human reply runs from the moment the vendor accepted the probe to the first reply a person wrote; automatic acknowledgements and bots do not stop the clock.',
    'Medians are Kaplan–Meier estimates with 95 % intervals: probes without a human reply are censored at their expiry (or now), never left out.',
    'SLA compliance counts probes whose outcome is known: answered, or unanswered past the target. Team targets (from the trial file) are counted in calendar time.',
    "Probes whose first reply waits for a person's label (awaiting review) are in no figure until labelled.",
    'The ranking scales each dimension across the vendors (best 1, worst 0) and takes the weighted mean; a dimension some vendor has no figure for is left out.',
  ],
  'zh-CN': [
    '首次人工回复时间从厂商接收探测的那一刻算起，到第一封由人撰写的回复为止；自动确认和机器人回复不会停止计时。',
    '中位数为 Kaplan–Meier 估计值，附 95% 置信区间：没有人工回复的探测在过期时（或当前时刻）删失，而不是被剔除。',
    'SLA 达成只统计结果已知的探测：已回复的，或超过目标仍未回复的。团队目标（来自试用文件）按日历时间计算。',
    '首条回复等待人工标注（待复核）的探测在标注前不计入任何数字。',
    '排名将每个维度在各厂商之间缩放（最好为 1，最差为 0）后取加权平均；某厂商缺少数据的维度不计入。',
  ],
};

export const fill = (text: string, values: Record<string, string | number>): string =>
  text.replace(/\{(\w+)\}/g, (whole, k: string) => (Object.hasOwn(values, k) ? String(values[k]) : whole));

/** A language's way of writing the report's figures: numbers, shares, durations and moments through Intl. */
export interface ReportFigures {
  lang: ReportLanguage;
  x: ReportTexts;
  /** A count or weight (up to two decimals). */
  count(n: number): string;
  decimal(n: number, digits: number): string;
  percent(share: number | null): string;
  duration(ms: number | null): string;
  estimate(e: Estimate): string;
  /** A moment in the given time zone (UTC by default), with its date. */
  moment(ms: number | null, timeZone?: string): string;
  /** A probe state or channel kind in words, the code itself when unknown. */
  word(prefix: 'state' | 'kind' | 'source', code: string): string;
}

export function reportFigures(lang: ReportLanguage): ReportFigures {
  const x = reportTexts[lang];
  const integer = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  const share = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
  const words = new Map(Object.entries(x));
  const moments = new Map<string, Intl.DateTimeFormat>();
  const momentFormat = (timeZone: string) => {
    let f = moments.get(timeZone);
    if (!f) {
      f = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
      moments.set(timeZone, f);
    }
    return f;
  };
  const unit = (key: 'unit.s' | 'unit.min' | 'unit.h' | 'unit.d', n: number) => fill(x[key], { n: integer.format(n) });
  // The parts of core/clock formatDuration (never a bare "m" for minutes, zero parts left out), worded per language.
  const duration = (ms: number | null): string => {
    if (ms === null) return '–';
    if (!Number.isFinite(ms)) return '∞';
    const s = Math.round(ms / 1000);
    if (s < 60) return unit('unit.s', s);
    const m = Math.floor(s / 60);
    if (m < 60) return unit('unit.min', m);
    const h = Math.floor(m / 60);
    if (h < 48) return m % 60 === 0 ? unit('unit.h', h) : `${unit('unit.h', h)}${x.unitJoin}${unit('unit.min', m % 60)}`;
    return h % 24 === 0 ? unit('unit.d', Math.floor(h / 24)) : `${unit('unit.d', Math.floor(h / 24))}${x.unitJoin}${unit('unit.h', h % 24)}`;
  };
  return {
    lang,
    x,
    count: (n) => number.format(n),
    decimal: (n, digits) => new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n),
    percent: (value) => (value === null ? '–' : share.format(value)),
    duration,
    estimate: (e) => {
      if (e.value === null) return x.notReached;
      return `${duration(e.value)} (${fill(x.ci, { low: e.low === null ? '?' : duration(e.low), high: e.high === null ? x.open : duration(e.high) })})`;
    },
    moment: (ms, timeZone = 'UTC') => (ms === null ? '' : momentFormat(timeZone).format(ms)),
    word: (prefix, code) => words.get(`${prefix}.${code}`) ?? code,
  };
}

export function caveatText(
  f: ReportFigures,
  caveat: TrialCaveat,
  names: ReadonlyMap<string, string>,
  moment: (ms: number) => string = (ms) => f.moment(ms),
): string {
  switch (caveat.code) {
    case 'demo_time':
      return f.x['caveat.demo_time'];
    case 'still_running':
      return fill(f.x['caveat.still_running'], { endsAt: moment(caveat.endsAt) });
    case 'vendor_missing':
      return fill(f.x['caveat.vendor_missing'], { vendor: caveat.vendor });
    case 'few_probes':
      return fill(f.x['caveat.few_probes'], { vendor: names.get(caveat.vendor) ?? caveat.vendor, channel: caveat.channel, n: f.count(caveat.n) });
    case 'resolution_unmeasured':
      return f.x['caveat.resolution_unmeasured'];
  }
}

export function dimensionName(f: ReportFigures, dimension: TrialDimension): string {
  return f.x[`dim.${dimension}`];
}

export function leftOutText(f: ReportFigures, left: Ranking['leftOut'][number], names: ReadonlyMap<string, string>): string {
  const reason = fill(f.x[`leftOut.${left.why}`], { vendors: left.missing.map((v) => names.get(v) ?? v).join(', ') });
  return `${dimensionName(f, left.dimension)} (${reason})`;
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => escapes[c] ?? c);
const e = escapeHtml;

// Three decimals near the 0.05 line: 0.046 must not read as "0.05" beside a "real" verdict.
const pText = (f: ReportFigures, p: number) => (p < 0.001 ? `p < ${f.decimal(0.001, 3)}` : `p = ${f.decimal(p, p < 0.1 ? 3 : 2)}`);

function figureText(f: ReportFigures, row: DecisionRow, vendor: string | null): string {
  const figure = row.figures.find((g) => g.vendor === vendor);
  if (!figure) return '';
  if (figure.value === null) return f.x.notReached;
  if (row.dimension === 'sla') return `${f.percent(figure.value)} (${f.count(figure.events)}/${f.count(figure.n)})`;
  if (row.dimension === 'consistency') return `×${f.decimal(figure.value, 1)}`;
  return f.duration(figure.value);
}

function dimensionText(f: ReportFigures, row: DecisionRow): string {
  switch (row.dimension) {
    case 'first_reply':
      return `${f.x.firstReply} · ${row.tier ?? ''} · ${row.kind === null ? '' : f.word('kind', row.kind)}`;
    case 'sla':
      return f.x.slaAll;
    case 'coverage':
      return f.x.coverage;
    case 'consistency':
      return f.x.consistency;
    case 'resolution':
      return f.x.resolutionTime;
  }
}

function decisionRowHtml(f: ReportFigures, row: DecisionRow, names: ReadonlyMap<string, string>): string {
  const { x } = f;
  const name = (slug: string | null) => (slug === null ? '' : (names.get(slug) ?? slug));
  const leader = row.leader === null ? '–' : `<strong>${e(name(row.leader))}</strong> <span class="muted">${e(figureText(f, row, row.leader))}</span>`;
  let margin = '–';
  if (row.margin && row.runnerUp !== null) {
    const versus = `${e(name(row.runnerUp))} <span class="muted">${e(figureText(f, row, row.runnerUp))}</span>`;
    if (row.margin.value === null) margin = `${e(x.noMargin)}: ${versus}`;
    else if (row.margin.unit === 'points') margin = `+${e(f.decimal(row.margin.value, 0))} ${e(x.points)} ${e(x.over)} ${versus}`;
    else margin = `×${e(f.decimal(row.margin.value, 1))} ${e(row.dimension === 'consistency' ? x.evener : x.faster)} ${versus}`;
  }
  let verdict: string;
  const test = row.test;
  const method =
    test === null ? '' : `${test.method === 'fisher exact' ? x.fisher : x.logrank}${row.dimension === 'consistency' ? `, ${x.runnerUpChannels}` : ''}`;
  if (row.verdict === 'real' && test)
    verdict = `<strong>${e(x.yes)}</strong> — ${e(pText(f, test.p))} <span class="muted">(${e(method)}, n = ${f.count(test.n[0])} / ${f.count(test.n[1])})</span>`;
  else if (row.verdict === 'not_detectable' && test) {
    const needed = row.margin?.unit === 'ratio' && row.margin.value !== null && row.dimension !== 'consistency' ? eventsNeeded(row.margin.value) : null;
    verdict = `${e(fill(x.noDetectable, { a: f.count(test.n[0]), b: f.count(test.n[1]) }))} <span class="muted">(${e(pText(f, test.p))}, ${e(method)}${needed !== null ? `; ${e(fill(x.needs, { events: f.count(needed) }))}` : ''})</span>`;
  } else verdict = e(row.verdict === 'single' ? x.single : x.noData);
  return `<tr data-dimension="${e(row.dimension)}" data-verdict="${e(row.verdict)}"><th scope="row">${e(dimensionText(f, row))}</th><td>${leader}</td><td>${margin}</td><td>${verdict}</td></tr>`;
}

/** The decision summary as a table of the report's own decision rows (nothing recomputed) and the note on the tests. */
export function decisionTableHtml(f: ReportFigures, decision: TrialDecision, names: ReadonlyMap<string, string>): { table: string; note: string } {
  const { x } = f;
  return {
    table: `<table class="decision"><thead><tr><th>${e(x.dimension)}</th><th>${e(x.leader)}</th><th>${e(x.margin)}</th><th>${e(x.real)}</th></tr></thead>
<tbody>${decision.rows.map((row) => decisionRowHtml(f, row, names)).join('')}</tbody></table>`,
    note: `${e(fill(x.testNote, { level: f.decimal(decision.significanceLevel, 2) }))} ${e(x.offHours)}`,
  };
}
