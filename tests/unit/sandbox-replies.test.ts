// The simulated agents word each answer anew: no two of them share a text skeleton, so the classifier keeps calling them human.
import { describe, expect, it } from 'vitest';
import { answerBody, type Question } from '../../src/sandbox/mail-vendor.ts';
import { fingerprintOf } from '../../src/classify/fingerprint.ts';
import { newToken } from '../../src/core/token.ts';

const question = (subject: string, text: string): Question => ({
  from: 'probes@firstreply.demo', replyTo: 'probes@firstreply.demo', subject, text, date: new Date(0), token: newToken(),
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
