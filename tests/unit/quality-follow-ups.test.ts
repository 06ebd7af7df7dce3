// Which scripted customer answers a reply asks for: only its requests count, each intent once, in the script's order.
import { describe, expect, it } from 'vitest';
import { followUpsAskedFor } from '../../src/quality/follow-ups.ts';
import type { FollowUp } from '../../src/config/template-quality.ts';

const script: FollowUp[] = [
  { intent: 'logs', when: ['logs', 'log file', '日志'], answer: 'Attached are the encoder logs.' },
  { intent: 'sdk', when: ['sdk version', '/\\bversion of the (?:sdk|player)\\b/', 'SDK 版本'], answer: 'SDK 4.2.1.' },
  { intent: 'time_window', when: ['what time', 'when did', '什么时候'], answer: 'From 08:00 UTC.' },
];

describe('follow-ups asked for', () => {
  it.each([
    ['Could you send us the logs of the encoder?', ['logs']],
    ['Which SDK version are you on? And when did it start?', ['sdk', 'time_window']],
    ['When did it start? Please also attach the log file.', ['logs', 'time_window']],
    ['What is the version of the player you ship?', ['sdk']],
    ['麻烦提供一下日志，以及问题是什么时候开始的？', ['logs', 'time_window']],
    ['请告知您使用的 SDK 版本。', ['sdk']],
  ])('%s → %j', (text, intents) => {
    expect(followUpsAskedFor(text, script).map((m) => m.intent)).toEqual(intents);
  });

  it.each([
    ['We checked the logs and found the cause: set the keyframe interval to 2 s.'],
    ['Our SDK version 5 fixes this; upgrading is enough.'],
    ['Thanks, this is fixed now.'],
    [''],
  ])('a statement asks nothing: %s', (text) => {
    expect(followUpsAskedFor(text, script)).toEqual([]);
  });

  it("keeps the request and the term that matched, for the round's reasons", () => {
    expect(followUpsAskedFor('Hi Sam. Could you send the logs?', script)).toEqual([
      { intent: 'logs', answer: 'Attached are the encoder logs.', sentence: 'Could you send the logs?', term: 'logs' },
    ]);
  });
});
