import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, formatProblem } from '../../src/core/errors.ts';
import { loadTrials } from '../../src/trials/load.ts';
import { alertsConfigSchema } from '../../src/config/alerts.ts';
import type { Catalog } from '../../src/config/schema.ts';
import { fixtureVendor } from '../helpers/fixture-store.ts';
import { HOUR } from '../../src/core/clock.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function catalogWith(files: Record<string, string>): Catalog {
  const dir = mkdtempSync(join(tmpdir(), 'fr-trials-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'trials'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'trials', name), text);
  const vendors = [
    fixtureVendor({
      slug: 'acme',
      name: 'Acme',
      channels: [
        { id: 'email', kind: 'email', medianMs: HOUR, noReplyShare: 0 },
        { id: 'chat', kind: 'chat', medianMs: HOUR, noReplyShare: 0 },
      ],
    }),
    fixtureVendor({ slug: 'lab', name: 'Lab', visibility: 'private', channels: [{ id: 'email', kind: 'email', medianMs: HOUR, noReplyShare: 0 }] }),
  ];
  return {
    dir,
    vendors,
    settings: {
      database: ':memory:',
      evidence_dir: 'e',
      public_url: 'http://127.0.0.1',
      demo_time: false,
      mailboxes: {},
      smtp: {},
      classifier: { fast_reply_ms: 60_000 },
      browser: { executable: '/usr/bin/chromium', max_chats: 20 },
      alerts: alertsConfigSchema.parse({}),
    },
  } as Catalog;
}

function problemsOf(name: string, text: string): string[] {
  const catalog = catalogWith({ [name]: text });
  try {
    loadTrials(catalog, { cwd: catalog.dir });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map(formatProblem);
    throw err;
  }
  return [];
}

const good = `name: Q2 support trial
timezone: Europe/Berlin
start: 2026-04-01
end: 2026-04-28
vendors: [acme, lab]
channels: [email]
tiers: [P2, P3]
weights: { first_reply: 3, sla: 2 }
sla:
  P2: { first_response: 4h }
`;

describe('trial files', () => {
  it('reads a good trial, private vendors included, with its window in its time zone', () => {
    const catalog = catalogWith({ 'q2.yaml': good });
    const [trial] = loadTrials(catalog);
    expect(trial?.id).toBe('q2');
    expect(trial?.channelsOf).toEqual({ acme: ['email'], lab: ['email'] });
    // Berlin is UTC+2 in April: 00:00 local is 22:00 UTC the day before; a bare end date runs through that day
    expect(new Date(trial?.from ?? 0).toISOString()).toBe('2026-03-31T22:00:00.000Z');
    expect(new Date(trial?.to ?? 0).toISOString()).toBe('2026-04-28T21:59:59.999Z');
    expect(trial?.sla.P2?.first_response).toBe(4 * HOUR);
    expect(trial?.plan.decision_ratio).toBe(3);
  });

  const broken: [string, string, string, string][] = [
    ['unknown key', 'q.yaml', `${good}colour: red\n`, 'trials/q.yaml:11: colour: unknown key'],
    ['missing name', 'q.yaml', good.replace('name: Q2 support trial\n', ''), 'trials/q.yaml:1: name: required'],
    ['unknown vendor', 'q.yaml', good.replace('[acme, lab]', '[acme, nobody]'), 'trials/q.yaml:5: vendors[1]: no vendor "nobody"'],
    ['vendor twice', 'q.yaml', good.replace('[acme, lab]', '[acme, acme]'), 'trials/q.yaml:5: vendors[1]: vendor "acme" is listed twice'],
    [
      'unknown channel',
      'q.yaml',
      good.replace('channels: [email]', 'channels: [email, phone]'),
      'trials/q.yaml:6: channels[1]: no vendor of this trial has a channel "phone"',
    ],
    [
      'vendor without the channels',
      'q.yaml',
      good.replace('channels: [email]', 'channels: [chat]'),
      "trials/q.yaml:5: vendors[1]: lab has none of the trial's channels",
    ],
    ['tier nobody sends', 'q.yaml', good.replace('[P2, P3]', '[P1, P3]'), 'trials/q.yaml:7: tiers[0]: no channel of this trial sends a P1 template'],
    ['bad tier', 'q.yaml', good.replace('[P2, P3]', '[P5]'), 'trials/q.yaml:7: tiers[0]:'],
    ['end before start', 'q.yaml', good.replace('end: 2026-04-28', 'end: 2026-03-01'), 'trials/q.yaml:4: end: the trial ends'],
    ['not a date', 'q.yaml', good.replace('start: 2026-04-01', 'start: next monday'), 'trials/q.yaml:3: start: not a date'],
    ['impossible date', 'q.yaml', good.replace('start: 2026-04-01', 'start: 2026-02-30'), 'trials/q.yaml:3: start: not a calendar date'],
    ['bad zone', 'q.yaml', good.replace('Europe/Berlin', 'Mars/Olympus'), 'trials/q.yaml:2: timezone: not an IANA time zone'],
    ['unknown weight', 'q.yaml', good.replace('first_reply: 3', 'speed: 3'), 'trials/q.yaml:8: weights.speed'],
    ['negative weight', 'q.yaml', good.replace('first_reply: 3', 'first_reply: -1'), 'trials/q.yaml:8: weights.first_reply:'],
    ['bad duration', 'q.yaml', good.replace('4h', 'soon'), 'trials/q.yaml:10: sla.P2.first_response:'],
    ['bad file name', 'Q 2.yaml', good, "trials/Q 2.yaml:1: (root): the file name is the trial's id"],
    ['YAML syntax', 'q.yaml', 'name: [unclosed\n', 'trials/q.yaml:'],
  ];
  it.each(broken)('%s', (_what, name, text, expected) => {
    const problems = problemsOf(name, text);
    expect(
      problems.some((p) => p.startsWith(expected)),
      problems.join('\n'),
    ).toBe(true);
  });

  it('reports every problem of a file at once', () => {
    const problems = problemsOf('q.yaml', good.replace('[acme, lab]', '[nobody, acme, acme]').replace('channels: [email]', 'channels: [email, fax]'));
    expect(problems.length).toBeGreaterThanOrEqual(3);
  });
});
