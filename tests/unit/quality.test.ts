import { describe, expect, it } from 'vitest';
import { compileExpect, meetsExpect } from '../../src/quality/rubric.ts';
import { askedForGiven, compileFacts } from '../../src/quality/facts.ts';
import { cannedOf, handoffPhrase, languageMatch } from '../../src/quality/reply-flags.ts';
import { probeQuality, qualityFlag, qualityFlagsOf, type QualityReply } from '../../src/quality/probe-quality.ts';
import type { Expect } from '../../src/config/template-quality.ts';

// The example: a P2 about RTMP ingest latency in Singapore.
const ingestExpect: Expect = [
  { name: 'ingest', any: ['ingest', '推流'] },
  { name: 'region', any: ['region', '节点', 'Singapore', '新加坡'] },
  { name: 'a concrete step', any: ['/\\b(?:set|switch|change|enable|update)\\b/', '设置', '切换', '修改', '开启'] },
];
const rubric = compileExpect(ingestExpect);

describe('rubric matcher', () => {
  it.each([
    ['en: every group met', 'Hi Sam, the ingest in our Singapore region had a degraded edge. Please switch to sg2.ingest.example.com until we fix it.', true],
    ['en: one group missing', 'Hi Sam, the ingest had a problem yesterday. It is fixed now.', false],
    ['en: negated step and region', 'Unfortunately we cannot configure the region for your ingest, and we cannot change it.', false],
    ['en: region only in a question back', 'Which region is your ingest in? Please set the log level to debug.', false],
    ['en: a suggestion phrased as a question counts', 'Could you try to switch the ingest to our Singapore region?', true],
    ['en: negation stays in its clause', "No problem, set the ingest region to Singapore and it won't drop.", true],
    ['zh: every group met', '您好，新加坡节点的推流延迟是边缘节点拥塞导致的，请切换到 sg2 推流地址。', true],
    ['zh: negated', '抱歉，我们无法配置节点，推流问题无法切换。', false],
    ['zh: unrelated', '您好，已收到您的问题，我们会尽快处理。', false],
    ['mixed: zh terms and an English host name', '推流到新加坡节点请修改为 rtmp://sg2.example.com/live', true],
  ])('%s', (_name, text, met) => {
    expect(meetsExpect(text, rubric, 'en')?.met).toBe(met);
  });

  it('explains what met each group and what did not count', () => {
    const verdict = meetsExpect('We cannot configure the region. The ingest is fine.', rubric, 'en');
    expect(verdict?.reasons.join('\n')).toMatch(/ingest: met by "ingest"/);
    expect(verdict?.reasons.join('\n')).toMatch(/region: not met \("region" negated by "cannot"\)/);
  });

  it("picks the groups of the reply's language when written per language", () => {
    const perLanguage = compileExpect({ en: [['region']], 'zh-CN': [['节点']] });
    expect(meetsExpect('请使用新加坡节点', perLanguage, 'en')?.met).toBe(true);
    expect(meetsExpect('Use the Singapore region', perLanguage, 'zh-CN')?.met).toBe(true);
    expect(meetsExpect('请使用新加坡 region', perLanguage, 'en')?.met).toBe(false);
  });
});

describe('facts asked for though given', () => {
  const facts = compileFacts({
    account_id: '48213377',
    region: 'Singapore',
    stream_key_prefix: 'live_sg_',
    error_text: 'RTMP handshake timeout',
    incident_time: '2024-05-02 14:10 SGT',
  });
  it.each([
    ['en: account id', 'Thanks for reaching out. Could you send your account id so we can look into it?', ['account_id']],
    ['en: please provide', 'Please provide the exact error message and the time window when this happened.', ['error_text', 'incident_time']],
    ['en: what problem', 'Hello! What issue are you experiencing today?', ['problem']],
    ['en: how can I help', 'Hi, this is Anna. How can I help you?', ['problem']],
    ['zh: 请提供账号', '您好，请提供您的账号ID，以便我们排查。', ['account_id']],
    ['zh: 您遇到什么问题了呢', '您好，您遇到什么问题了呢', ['problem']],
    ['zh: 哪个节点', '请问您使用的是哪个节点？', ['region']],
    ['en: a statement is not a request', 'We checked your account and the Singapore region; the edge was overloaded.', []],
    ['en: quoting the value back is not asking', 'Could you confirm that account 48213377 is the one affected?', []],
    ['en: a suggestion about another thing', 'Please switch to the backup ingest URL sg2.example.com.', []],
    [
      'en: an instruction naming the fact, joined to a request about something else',
      'Switch the ingest URL in your encoder to the sg2 endpoint, and let me know if anything still looks slow.',
      [],
    ],
    ['en: the request clause names the fact', 'Thanks for the logs, and could you send the stream key you push with?', ['stream_key_prefix']],
    ['en: a question after an instruction', 'Restart the encoder, and which region do you push to?', ['region']],
  ])('%s', (_name, text, asked) => {
    expect(
      askedForGiven(text, facts)
        .map((a) => a.fact)
        .sort(),
    ).toEqual([...asked].sort());
  });

  it('asks for the problem only when the template says nothing else was given', () => {
    expect(askedForGiven('Could you send your account id?', compileFacts(undefined)).map((a) => a.fact)).toEqual([]);
  });

  it('recognises a custom fact by its own terms', () => {
    const custom = compileFacts({ player_version: { value: '3.2.1', asked_by: ['player version', '播放器版本'] } });
    expect(askedForGiven('Which player version do you use?', custom).map((a) => a.fact)).toEqual(['player_version']);
  });
});

describe("canned at a person's pace, not at a machine's", () => {
  it.each([
    ['human pace, seen at human pace before', { pace: 'paced' as const, memory: { seen: 3, fastSeen: 0, pacedSeen: 3 }, classifierCanned: false }, true],
    ['human pace, the classifier said canned', { pace: 'paced' as const, memory: undefined, classifierCanned: true }, true],
    [
      'machine pace: the same text seconds after each probe is a machine, not a canned person',
      { pace: 'fast' as const, memory: { seen: 5, fastSeen: 5, pacedSeen: 0 }, classifierCanned: true },
      false,
    ],
    [
      'human pace but the skeleton also came at machine pace',
      { pace: 'paced' as const, memory: { seen: 4, fastSeen: 2, pacedSeen: 2 }, classifierCanned: false },
      false,
    ],
    ['seen once: just a reply', { pace: 'paced' as const, memory: { seen: 1, fastSeen: 0, pacedSeen: 1 }, classifierCanned: false }, false],
    ['no skeleton memory', { pace: 'paced' as const, memory: undefined, classifierCanned: false }, false],
  ])('%s', (_name, input, canned) => {
    expect(cannedOf(input).canned).toBe(canned);
  });
});

describe('language and hand-offs', () => {
  it.each([
    ['您好，请切换节点。', 'zh-CN', true],
    ['Hello, please switch the region.', 'zh-CN', false],
    ['Hello, please switch the region.', 'en', true],
    ['您好，请在 Dashboard 的 Ingest settings 里切换。', 'zh', true],
  ])('%s asked in %s → %s', (text, asked, match) => {
    expect(languageMatch(text, asked).match).toBe(match);
  });

  it.each([
    ['I have transferred your case to our technical team.', true],
    ['This ticket was escalated to our L2 engineers.', true],
    ['您的问题已转交技术团队处理。', true],
    ['We changed the region for you.', false],
  ])('%s', (text, handoff) => {
    expect(handoffPhrase(text) !== undefined).toBe(handoff);
  });
});

describe("a probe's quality", () => {
  const reply = (over: Partial<QualityReply> & Pick<QualityReply, 'id' | 'arrivedAt' | 'text'>): QualityReply => ({
    sender: 'Anna <support@vendor.example>',
    label: 'human',
    pace: 'paced',
    memory: undefined,
    classifierCanned: false,
    mark: null,
    ...over,
  });
  const spec = { language: 'en', expect: ingestExpect, facts: { account_id: '48213377' } };

  it('resolves at the first reply meeting expect:, counting rounds and flags', () => {
    const q = probeQuality(spec, [
      reply({ id: 1, arrivedAt: 1000, text: 'Thanks! Could you send your account id?' }),
      reply({ id: 2, arrivedAt: 2000, text: 'I have transferred your case to our technical team.' }),
      reply({ id: 3, arrivedAt: 3000, text: 'Please switch the ingest to our Singapore region.', sender: 'Bo <support@vendor.example>' }),
    ]);
    expect(q).toMatchObject({
      measured: true,
      resolvedAt: 3000,
      resolvedBy: 'rubric',
      rounds: 3,
      humanReplies: 3,
      askedForGiven: ['account_id'],
      languageMatch: true,
      handoffs: 2,
    });
    expect(qualityFlagsOf(q) & qualityFlag.askedForGiven).not.toBe(0);
    expect(q.reasons.some((r) => r.includes('resolved: reply #3'))).toBe(true);
  });

  it("a person's mark wins both ways", () => {
    const met = reply({ id: 1, arrivedAt: 1000, text: 'Please switch the ingest to our Singapore region.' });
    const later = reply({ id: 2, arrivedAt: 5000, text: 'Fixed on our side now.' });
    expect(probeQuality(spec, [{ ...met, mark: false }, later])).toMatchObject({ resolvedAt: null, rounds: null });
    expect(
      probeQuality(spec, [
        { ...met, mark: false },
        { ...later, mark: true },
      ]),
    ).toMatchObject({ resolvedAt: 5000, resolvedBy: 'mark', rounds: 2 });
    expect(probeQuality({ language: 'en' }, [{ ...later, mark: true }])).toMatchObject({ measured: true, resolvedBy: 'mark', rounds: 1 });
  });

  it('without expect: or a mark resolution is not measured', () => {
    const q = probeQuality({ language: 'en' }, [reply({ id: 1, arrivedAt: 1, text: 'Please switch the ingest region.' })]);
    expect(q.measured).toBe(false);
    expect(q.resolvedAt).toBeNull();
  });

  it('automatic acknowledgements are no rounds', () => {
    const q = probeQuality(spec, [
      reply({ id: 1, arrivedAt: 10, text: 'We received your request (switch region ingest).', label: 'auto_ack', pace: 'fast' }),
      reply({ id: 2, arrivedAt: 20, text: 'Please switch the ingest to our Singapore region.' }),
    ]);
    expect(q).toMatchObject({ resolvedAt: 20, rounds: 1, humanReplies: 1 });
  });
});
