import { describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../src/core/clock.ts';
import { templateSchema, vendorSchema } from '../../src/config/schema.ts';
import { parseResolutionTarget } from '../../src/config/template-quality.ts';
import { vendorJsonSchema } from '../../src/cli/schema.ts';

const template = (extra: Record<string, unknown>) =>
  templateSchema.safeParse({ id: 'ingest', tier: 'P2', language: 'en', subject: 'Latency {{token}}', body: 'Body', ...extra });
const messages = (result: ReturnType<typeof template>) => (result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));

describe('template quality fields', () => {
  it('accepts expect: groups (lists or named), per language, facts and follow-ups', () => {
    expect(
      messages(
        template({
          expect: [['ingest', '推流'], { name: 'region', any: ['region', '节点', '/sg-?\\d/'] }],
          facts: { account_id: '48213377', region: 'Singapore', player_version: { value: '3.2', asked_by: ['player version'] } },
          follow_ups: [{ intent: 'logs', when: ['logs', '日志'], answer: 'Attached.' }],
        }),
      ),
    ).toEqual([]);
    expect(messages(template({ expect: { en: [['region']], 'zh-CN': [['节点']] } }))).toEqual([]);
  });

  it.each([
    ['an empty group', { expect: [[]] }, /expect\.0/],
    ['a pattern that backtracks', { expect: [['/(a+)+b/']] }, /nested quantifiers/],
    ['a broken pattern', { expect: [['/(unclosed/']] }, /not a regular expression/],
    ['an unknown fact without asked_by', { facts: { favourite_colour: 'blue' } }, /not a known fact/],
    ['a follow-up without terms', { follow_ups: [{ intent: 'logs', when: [], answer: 'x' }] }, /follow_ups\.0\.when/],
    [
      'a follow-up intent twice',
      {
        follow_ups: [
          { intent: 'logs', when: ['a'], answer: 'x' },
          { intent: 'logs', when: ['b'], answer: 'y' },
        ],
      },
      /given twice/,
    ],
    ['the retired rubric field', { rubric: ['region'] }, /rubric/],
  ])('refuses %s', (_name, extra, message) => {
    expect(messages(template(extra)).join('\n')).toMatch(message);
  });

  it('appear in the JSON Schema the schema command emits', () => {
    const text = JSON.stringify(vendorJsonSchema());
    for (const field of ['"expect"', '"facts"', '"follow_ups"', '"asked_by"']) expect(text).toContain(field);
  });
});

describe('sla.resolution', () => {
  it.each([
    ['4h', { lowMs: 4 * HOUR, highMs: 4 * HOUR, businessDays: false }],
    ['2h-4h', { lowMs: 2 * HOUR, highMs: 4 * HOUR, businessDays: false }],
    ['2–4 h', { lowMs: 2 * HOUR, highMs: 4 * HOUR, businessDays: false }],
    ['8-24h', { lowMs: 8 * HOUR, highMs: 24 * HOUR, businessDays: false }],
    ['3-5 business days', { lowMs: 3 * DAY, highMs: 5 * DAY, businessDays: true }],
    ['2 working days', { lowMs: 2 * DAY, highMs: 2 * DAY, businessDays: true }],
    ['case by case', 'case_by_case'],
  ])('reads %s', (text, target) => {
    expect(parseResolutionTarget(text)).toEqual(target);
  });

  it('refuses free text and backward ranges in a vendor file', () => {
    const vendor = (resolution: string) =>
      vendorSchema.safeParse({
        slug: 'v',
        name: 'V',
        visibility: 'public',
        rate_caps: { per_day: 1, per_week: 2 },
        sla: { P2: { first_response: '8h', resolution } },
        templates: [{ use: 't' }],
        channels: [{ id: 'email', kind: 'email', to: 'a@b.example' }],
      });
    expect(vendor('3-5 business days').success).toBe(true);
    for (const bad of ['soon', '4h-2h', 'within a week']) {
      const result = vendor(bad);
      expect(result.success).toBe(false);
      expect(result.success ? '' : result.error.issues.map((i) => i.message).join()).toMatch(/use e\.g\. 4h, 2h-4h/);
    }
  });
});
