import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DAY, HOUR, MINUTE } from '../../src/core/clock.ts';
import { trialSchema } from '../../src/config/trial.ts';
import type { Trial } from '../../src/trials/load.ts';
import { collectTrialReport } from '../../src/trials/collect.ts';
import { csvColumns, renderTrialCsv, renderTrialHtml, renderTrialJson } from '../../src/trials/render.ts';
import type { TrialReport } from '../../src/trials/report.ts';
import { openFixtureStore, type FixtureStore } from '../helpers/fixture-store.ts';

const hostile = 'Evil <script>alert(1)</script> & "Co"';
let fixture: FixtureStore;
let report: TrialReport;
let evidenceDir: string;
let token: string;

beforeAll(() => {
  fixture = openFixtureStore({
    days: 30,
    vendors: [
      { slug: 'evil-co', name: hostile, channels: [{ id: 'email', kind: 'email', medianMs: 2 * HOUR, noReplyShare: 0.1, ackShare: 1 }] },
      {
        slug: 'fast-co',
        name: 'Fast Co',
        channels: [
          { id: 'email', kind: 'email', medianMs: 20 * MINUTE, noReplyShare: 0 },
          { id: 'chat', kind: 'chat', medianMs: 3 * MINUTE, noReplyShare: 0 },
        ],
      },
      { slug: 'our-lab', name: 'Our Lab', visibility: 'private', channels: [{ id: 'email', kind: 'email', medianMs: 5 * HOUR, noReplyShare: 0.3 }] },
      { slug: 'not-in-trial', name: 'Outsider', channels: [{ id: 'email', kind: 'email', medianMs: HOUR, noReplyShare: 0 }] },
    ],
  });
  evidenceDir = join(fixture.dir, 'evidence');
  const now = fixture.clock.now();
  const probe = fixture.store.db
    .prepare<[], { token: string; id: number }>(`SELECT p.token, p.id FROM probes p JOIN channels c ON c.id = p.channel_id
    WHERE c.vendor = 'evil-co' AND p.sent_at IS NOT NULL ORDER BY p.sent_at DESC LIMIT 1`)
    .get();
  if (!probe) throw new Error('no probe');
  token = probe.token;
  mkdirSync(join(evidenceDir, token.toLowerCase()), { recursive: true });
  writeFileSync(join(evidenceDir, token.toLowerCase(), 'transcript.json'), '[]');
  writeFileSync(join(evidenceDir, token.toLowerCase(), 'form <1>.jpg'), 'jpeg');
  mkdirSync(join(evidenceDir, 'ab'), { recursive: true });
  writeFileSync(join(evidenceDir, 'ab', 'abcdef.eml'), 'From: x\r\n\r\nbody');
  fixture.store.db
    .prepare(`UPDATE messages SET raw_path = ?, raw_sha256 = ? WHERE id = (SELECT min(id) FROM messages WHERE probe_id = ?)`)
    .run(join(evidenceDir, 'ab', 'abcdef.eml'), 'abcdef0123456789', probe.id);
  // A path the store names outside the evidence directory is never linked.
  fixture.store.probes.addEvidence(probe.id, '/etc/passwd');
  const input = trialSchema.parse({
    name: 'Support trial <b>Q2</b>',
    start: '2026-02-20',
    end: '2026-03-20',
    vendors: ['evil-co', 'fast-co', 'our-lab'],
    sla: { P3: { first_response: '1h' } },
    weights: { first_reply: 2 },
  });
  const { start: _s, end: _e, ...rest } = input;
  const trial: Trial = {
    ...rest,
    id: 'q1',
    file: 'trials/q1.yaml',
    from: now - 20 * DAY,
    to: now + 5 * DAY,
    channelsOf: { 'evil-co': ['email'], 'fast-co': ['email', 'chat'], 'our-lab': ['email'] },
  };
  report = collectTrialReport(fixture.store, trial, { now, evidenceDir });
});

afterAll(() => fixture.close());

describe('trial report from a fixture store', () => {
  it('summarises each vendor of the trial, private ones included, per tier, and ranks them', () => {
    expect(report.vendors.map((v) => v.slug)).toEqual(['evil-co', 'fast-co', 'our-lab']);
    expect(report.vendors.find((v) => v.slug === 'our-lab')?.visibility).toBe('private');
    for (const v of report.vendors) {
      expect(v.tiers.map((t) => t.tier)).toEqual(['P2', 'P3']);
      expect(v.tiers.reduce((a, t) => a + t.human.n, 0)).toBe(v.probes);
      expect(v.tiers.find((t) => t.tier === 'P3')?.sla?.source).toBe('team');
      expect(v.tiers.find((t) => t.tier === 'P2')?.sla?.source).not.toBe('team');
    }
    expect(report.ranking.vendors[0]?.vendor).toBe('fast-co');
    expect(report.ranking.weights.first_reply).toBe(2);
    expect(report.caveats.some((c) => c.startsWith('Resolution: not measured'))).toBe(true);
    expect(report.caveats.some((c) => c.startsWith('The trial is still running'))).toBe(true);
    expect(report.probes.every((p) => p.vendor !== 'not-in-trial')).toBe(true);
  });

  it('links each probe to its evidence inside the evidence directory only', () => {
    const probe = report.probes.find((p) => p.token === token);
    expect(probe?.evidence.map((f) => f.file).sort()).toEqual(
      ['ab/abcdef.eml', `${token.toLowerCase()}/form <1>.jpg`, `${token.toLowerCase()}/transcript.json`].sort(),
    );
    expect(probe?.evidence.find((f) => f.kind === 'eml')?.sha256).toBe('abcdef0123456789');
  });

  it('renders self-contained HTML with every text escaped and evidence links', () => {
    const html = renderTrialHtml(report, { evidenceHref: (file) => `../evidence/${file.split('/').map(encodeURIComponent).join('/')}` });
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>Q2</b>');
    expect(html).toContain('Evil &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;');
    expect(html).toContain('Support trial &lt;b&gt;Q2&lt;/b&gt;');
    expect(html).toContain('Our Lab<span class="private">private</span>');
    expect(html).toContain(`href="../evidence/${token.toLowerCase()}/form%20%3C1%3E.jpg"`);
    expect(html).toContain('href="../evidence/ab/abcdef.eml"');
    expect(html).not.toContain('passwd');
    expect(html).toContain('@media print');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<(script|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).toContain('Resolution: not measured');
  });

  it("opens with the decision summary from the report's own decision rows, before the overview and each vendor", () => {
    const html = renderTrialHtml(report);
    const decision = html.indexOf('<h2>Decision summary</h2>');
    expect(decision).toBeGreaterThan(0);
    expect(decision).toBeLessThan(html.indexOf('<h2>Overview per vendor</h2>'));
    expect(decision).toBeLessThan(html.indexOf('<h2>Ranking</h2>'));
    expect(decision).toBeLessThan(html.indexOf('id="vendor-evil-co"'));
    const rows = [...html.matchAll(/<tr data-dimension="(\w+)" data-verdict="(\w+)">/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(rows).toEqual(report.decision.rows.map((r) => `${r.dimension}:${r.verdict}`));
    expect(html).toMatch(/No detectable difference with n = \d+ and \d+|<strong>Yes<\/strong> — p/);
  });

  it('renders every fixed text in Chinese with --lang zh-CN, the data as written', () => {
    const html = renderTrialHtml(report, { lang: 'zh-CN' });
    expect(html).toContain('<html lang="zh-CN">');
    for (const heading of ['决策摘要', '各厂商概览', '排名', '注意事项', '按级别', '按渠道与级别', '探测与证据', '方法', '试用仍在进行'])
      expect(html).toContain(heading);
    for (const english of [
      'Decision summary',
      'Overview per vendor',
      'Caveats',
      'Per tier',
      'Probes and evidence',
      'Method</h2>',
      'still running',
      'not measured',
      'awaiting review',
      'answered by a person',
    ])
      expect(html).not.toContain(english);
    expect(html).toContain('Support trial &lt;b&gt;Q2&lt;/b&gt;');
    expect(html).toContain('Our Lab<span class="private">私有</span>');
    expect(html).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
  });

  it('renders one CSV row per probe with quoted fields and every timestamp', () => {
    const csv = renderTrialCsv(report);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(csvColumns.join(','));
    expect(csv).toContain(`"${hostile.replace(/"/g, '""')}"`);
    expect(csv).toContain('our-lab,Our Lab,private');
    const row = lines.find((l) => l.includes(token));
    expect(row).toContain('ab/abcdef.eml');
    expect(lines.length).toBe(report.probes.length + 1);
  });

  it('renders JSON that reads back to the same report', () => {
    const parsed: unknown = JSON.parse(renderTrialJson(report));
    expect(parsed).toEqual(JSON.parse(JSON.stringify(report)));
    expect(JSON.stringify(parsed)).toContain('our-lab');
  });
});
