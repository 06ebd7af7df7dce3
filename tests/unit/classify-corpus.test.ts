import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateBySource, evaluateCorpora } from '../../src/cli/eval-classifier.ts';
import { readLabels } from '../../src/classify/evaluate.ts';
import { fixtures, renderFixture } from '../fixtures/mail/build.ts';
import { realCorpora } from '../../src/classify/corpora.ts';

const dev = 'tests/fixtures/mail';
const external = realCorpora();

describe('the development corpus', () => {
  it('is what build.ts generates, with ≥150 labeled mails across the required kinds', () => {
    const labels = readLabels(dev);
    expect(labels.length).toBeGreaterThanOrEqual(150);
    expect(labels.map((l) => l.file).sort()).toEqual(fixtures.map((f) => f.file).sort());
    fixtures.forEach((f, i) => {
      expect(readFileSync(join(dev, f.file)).equals(renderFixture(f, i)), f.file).toBe(true);
    });
    const kinds = new Set(labels.map((l) => l.expected));
    for (const k of ['human', 'auto_ack', 'out_of_office', 'bounce', 'bot', 'marketing', 'system']) expect(kinds).toContain(k);
    const raw = fixtures.map((f, i) => renderFixture(f, i).toString('latin1'));
    for (const marker of ['charset="gbk"', 'charset="gb2312"', 'charset="big5"', 'quoted-printable', 'base64', 'multipart/report']) {
      expect(
        raw.some((r) => r.includes(marker)),
        marker,
      ).toBe(true);
    }
    expect(fixtures.filter((f) => f.html && !f.text).length).toBeGreaterThanOrEqual(5);
  });

  it('meets the floors: false-human ≤ 1 %, missed-human ≤ 2 %, and beats the header-only baseline', async () => {
    const [ours, baseline] = await evaluateCorpora([dev]);
    if (!ours || !baseline) throw new Error('no report');
    expect(ours.overall.n).toBeGreaterThanOrEqual(150);
    expect(ours.overall.falseHuman).toBeLessThanOrEqual(0.01);
    expect(ours.overall.missedHuman).toBeLessThanOrEqual(0.02);
    for (const lang of ['en', 'zh'] as const) {
      expect(ours.perLanguage[lang]?.falseHuman ?? 1, lang).toBeLessThanOrEqual(0.01);
      expect(ours.perLanguage[lang]?.missedHuman ?? 1, lang).toBeLessThanOrEqual(0.05);
    }
    expect(baseline.overall.falseHuman).toBeGreaterThan(ours.overall.falseHuman);
    expect(ours.overall.accuracy).toBeGreaterThan(baseline.overall.accuracy);
  });

  it.skipIf(external.length === 0)(
    'holds out of sample on the external real corpus, leave-one-source-out',
    async () => {
      const [ours, baseline] = await evaluateBySource(external, [dev]);
      if (!ours || !baseline) throw new Error('no report');
      expect(ours.granularity).toBe('coarse');
      // Every source folder of the corpus is held out once (the corpus is read from outside the repository and may
      // be any labelled set, so the test names no count of its own).
      const sources = Object.values(ours.perSource);
      expect(sources.length).toBeGreaterThanOrEqual(2);
      expect(sources.reduce((n, r) => n + r.n, 0)).toBe(ours.overall.n);
      // Regression floors (docs/classifier.md); the goal is 1 % / 3 %, not met on every corpus yet.
      expect(ours.overall.falseHuman).toBeLessThanOrEqual(0.04);
      expect(ours.overall.missedHuman).toBeLessThanOrEqual(0.17);
      expect(ours.overall.falseHuman).toBeLessThan(baseline.overall.falseHuman);
    },
    300_000,
  ); // one model fit per source: seconds on the shared set, about a minute with the fetched corpus too
});
