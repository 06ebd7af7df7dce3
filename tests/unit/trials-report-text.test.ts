// The decision summary's words in English and Chinese, from decision rows as given, and the report's figures through Intl.
import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../src/core/clock.ts';
import type { DecisionRow, TrialDecision } from '../../src/trials/decision.ts';
import { caveatText, decisionTableHtml, reportFigures, reportLanguageOf, reportTexts } from '../../src/trials/report-text.ts';

const names = new Map([
  ['alpha', 'Alpha Desk'],
  ['beta', 'Beta <Support>'],
]);

const undecided: DecisionRow = {
  dimension: 'first_reply',
  tier: 'P2',
  kind: 'email',
  figures: [
    { vendor: 'alpha', value: 20 * MINUTE, n: 7, events: 7 },
    { vendor: 'beta', value: 30 * MINUTE, n: 9, events: 8 },
  ],
  leader: 'alpha',
  runnerUp: 'beta',
  margin: { unit: 'ratio', value: 1.5 },
  test: { method: 'log-rank permutation', p: 0.41, n: [7, 9], exact: true },
  verdict: 'not_detectable',
};
const decided: DecisionRow = {
  dimension: 'sla',
  tier: null,
  kind: null,
  figures: [
    { vendor: 'beta', value: 0.9, n: 40, events: 36 },
    { vendor: 'alpha', value: 0.5, n: 40, events: 20 },
  ],
  leader: 'beta',
  runnerUp: 'alpha',
  margin: { unit: 'points', value: 40 },
  test: { method: 'fisher exact', p: 0.0002, n: [40, 40], exact: true },
  verdict: 'real',
};
const lonely: DecisionRow = {
  dimension: 'coverage',
  tier: null,
  kind: null,
  figures: [{ vendor: 'alpha', value: 2 * HOUR, n: 3, events: 3 }],
  leader: 'alpha',
  runnerUp: null,
  margin: null,
  test: null,
  verdict: 'single',
};
const justReal: DecisionRow = { ...undecided, tier: 'P3', test: { method: 'log-rank permutation', p: 0.046, n: [64, 58], exact: false }, verdict: 'real' };
const decision: TrialDecision = { significanceLevel: 0.05, offHours: 'weekends', rows: [undecided, decided, lonely, justReal] };

describe('decision summary as HTML', () => {
  it('says who leads, by how much and whether the gap is real, in English', () => {
    const { table, note } = decisionTableHtml(reportFigures('en'), decision, names);
    expect(table).toContain(
      '<tr data-dimension="first_reply" data-verdict="not_detectable"><th scope="row">First human reply · P2 · e-mail</th><td><strong>Alpha Desk</strong> <span class="muted">20 min</span></td>',
    );
    expect(table).toContain('×1.5 faster than Beta &lt;Support&gt; <span class="muted">30 min</span>');
    expect(table).toContain(
      'No detectable difference with n = 7 and 9 <span class="muted">(p = 0.41, log-rank, permutation; a gap this size needs about 191 answered probes in all)</span>',
    );
    expect(table).toContain('<strong>Yes</strong> — p &lt; 0.001 <span class="muted">(Fisher exact, n = 40 / 40)</span>');
    expect(table).toContain('+40 points over Alpha Desk <span class="muted">50% (20/40)</span>');
    expect(table).toContain('Only one vendor has probes here');
    expect(note).toContain('A gap counts as real at p &lt; 0.05');
    expect((table.match(/<tr data-dimension=/g) ?? []).length).toBe(4);
    // Just under the line reads as such, never rounded up to the line itself.
    expect(table).toContain('<strong>Yes</strong> — p = 0.046 <span class="muted">(log-rank, permutation, n = 64 / 58)</span>');
  });

  it('says the same in Chinese, with the same rows and figures', () => {
    const { table, note } = decisionTableHtml(reportFigures('zh-CN'), decision, names);
    expect(table).toContain('<th scope="row">首次人工回复 · P2 · 电子邮件</th><td><strong>Alpha Desk</strong> <span class="muted">20 分钟</span></td>');
    expect(table).toContain('在 n = 7 和 9 时未检测到差异');
    expect(table).toContain('要检测这样的差距，总共约需 191 个有人工回复的探测');
    expect(table).toContain('<strong>是</strong> — p &lt; 0.001');
    expect(table).toContain('+40 个百分点 高于 Alpha Desk');
    expect(table).toContain('只有一家厂商在此有探测');
    expect(table).toContain('<th>领先者</th><th>领先幅度</th><th>差异是否真实？</th>');
    expect(note).toContain('双侧 p &lt; 0.05 时差异视为真实');
    expect(table).not.toMatch(/No detectable|faster than|points over/);
  });
});

describe('report figures', () => {
  it('formats durations, counts, shares and moments per language through Intl', () => {
    const en = reportFigures('en');
    const zh = reportFigures('zh-CN');
    expect([en.duration(42_000), en.duration(90 * MINUTE), en.duration(50 * HOUR), en.duration(null)]).toEqual(['42 s', '1 h 30 min', '2 d 2 h', '–']);
    expect([zh.duration(42_000), zh.duration(90 * MINUTE), zh.duration(50 * HOUR)]).toEqual(['42 秒', '1 小时 30 分钟', '2 天 2 小时']);
    expect(en.count(12345)).toBe('12,345');
    expect(zh.percent(0.456)).toBe('46%');
    const at = Date.UTC(2026, 2, 14, 10, 5);
    expect(en.moment(at)).toBe('Mar 14, 2026, 10:05');
    expect(zh.moment(at)).toBe('2026年3月14日 10:05');
    expect(zh.moment(at, 'Asia/Shanghai')).toBe('2026年3月14日 18:05');
    expect(zh.estimate({ value: 20 * MINUTE, low: 10 * MINUTE, high: null })).toBe('20 分钟 (95% 置信区间 10 分钟 – 开放)');
    expect(zh.word('state', 'answered')).toBe('已回复');
    expect(zh.word('state', 'mystery')).toBe('mystery');
  });

  it('words every caveat in both languages and has every text in both', () => {
    const at = Date.UTC(2026, 2, 31);
    expect(caveatText(reportFigures('zh-CN'), { code: 'few_probes', vendor: 'alpha', channel: 'chat', n: 3 }, names)).toBe(
      'Alpha Desk / chat：3 个探测——太少，无法下结论。',
    );
    expect(caveatText(reportFigures('en'), { code: 'still_running', endsAt: at }, names, (ms) => new Date(ms).toISOString())).toBe(
      'The trial is still running: it ends 2026-03-31T00:00:00.000Z; open probes are censored now.',
    );
    expect(Object.keys(reportTexts['zh-CN']).sort()).toEqual(Object.keys(reportTexts.en).sort());
    expect(reportLanguageOf('zh-cn')).toBe('zh-CN');
    expect(reportLanguageOf('fr')).toBeUndefined();
  });
});
