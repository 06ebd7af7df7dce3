// The simulated agents word each answer anew: no two of them share a text skeleton, so the classifier keeps calling them human;
// Thorough's answers meet the demo template's expect:, and its questions are ones the follow_ups answer.
import { describe, expect, it } from 'vitest';
import { answerBody, thoroughAnswer, thoroughFirstReply, type Question } from '../../src/sandbox/mail-vendor.ts';
import { demoCatalogDir, demoOpenHours } from '../../src/sandbox/demo.ts';
import { loadCatalog } from '../../src/config/load.ts';
import { compileExpect, meetsExpect } from '../../src/quality/rubric.ts';
import { followUpsAskedFor } from '../../src/quality/follow-ups.ts';
import { fingerprintOf } from '../../src/classify/fingerprint.ts';
import { newToken } from '../../src/core/token.ts';

const question = (subject: string, text: string): Question => ({
  from: 'probes@firstreply.demo',
  replyTo: 'probes@firstreply.demo',
  subject,
  text,
  date: new Date(0),
  token: newToken(),
});

describe('sandbox human replies', () => {
  for (const [language, subject, text] of [
    ['en', 'Rotating stream keys', 'How do we rotate stream keys without dropping viewers?'],
    ['en', 'Playback latency in one region', 'Startup latency went up for playback.'],
    ['zh', '回源带宽计费', '请问回源带宽如何计费？'],
  ] as const) {
    it(`gives 200 ${language} answers 200 different skeletons (${subject})`, () => {
      const prints = new Set<string>();
      let printed = 0;
      for (let i = 0; i < 200; i++) {
        const body = answerBody(question(subject, text), language, 'SwiftCDN');
        const print = fingerprintOf(body);
        if (print === undefined) continue;
        printed++;
        prints.add(print);
      }
      // Replies too short to fingerprint can never look like a template; the others must (almost) never repeat.
      expect(printed).toBeGreaterThan(50);
      expect(printed - prints.size).toBeLessThanOrEqual(3);
    });
  }

  it('answers the same probe the same way (reproducible from its token)', () => {
    const q = question('Rotating stream keys', 'How do we rotate stream keys?');
    expect(answerBody(q, 'en', 'SwiftCDN')).toBe(answerBody(q, 'en', 'SwiftCDN'));
  });
});

describe('Snappy and Thorough', () => {
  const demoTemplate = loadCatalog(demoCatalogDir, { env: { ...process.env, ...demoOpenHours(Date.now()) } }).vendors.find((v) => v.slug === 'thorough')
    ?.templates[0];
  const expectOf = demoTemplate?.expect;
  if (!expectOf) throw new Error('the demo-ingest template has no expect:');
  const rubric = compileExpect(expectOf);

  it("Thorough's resolving answers meet the template's expect: and are worded anew (no canned skeleton)", () => {
    const prints = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const body = thoroughAnswer(newToken());
      expect(meetsExpect(body, rubric, 'en')?.met, body).toBe(true);
      prints.add(fingerprintOf(body) ?? body);
    }
    expect(prints.size).toBeGreaterThan(150);
  });

  it('Thorough resolves at first contact about three times in four, and otherwise asks something the follow_ups answer', () => {
    let resolves = 0;
    for (let i = 0; i < 400; i++) {
      const first = thoroughFirstReply(newToken());
      expect(meetsExpect(first.body, rubric, 'en')?.met, first.body).toBe(first.resolves);
      if (first.resolves) resolves++;
      else expect(followUpsAskedFor(first.body, demoTemplate?.follow_ups ?? []).map((f) => f.intent)).toEqual(['encoder']);
    }
    expect(resolves / 400).toBeGreaterThan(0.65);
    expect(resolves / 400).toBeLessThan(0.85);
  });
});
