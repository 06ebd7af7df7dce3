import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../../src/config/load.ts';
import { ConfigError, formatProblem } from '../../src/core/errors.ts';
import { vendorJsonSchema } from '../../src/cli/schema.ts';
import { nextRunLines } from '../../src/cli/validate-schedules.ts';
import { suggestKey } from '../../src/config/suggest.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fr-strict-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const env = { IMAP_PASS: 'p', SMTP_PASS: 's' };

function problemsOf(files: Record<string, string>, extraEnv: Record<string, string> = {}): string[] {
  const dir = dirWith(files);
  try {
    loadCatalog(dir, { env: { ...env, ...extraEnv }, cwd: dir });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map(formatProblem);
    throw err;
  }
  return [];
}

const settings = `mailboxes:
  default:
    address: probes@example.org
    imap:
      host: 127.0.0.1
      port: 143
      secure: false
      user: probes
      pass: \${IMAP_PASS}
    sent_folder: Sent
smtp:
  default:
    host: 127.0.0.1
    port: 25
    security: plain
    from: probes@example.org
    pass: \${SMTP_PASS}
`;

const vendor = `slug: acme
name: Acme
visibility: public
timezone: Europe/Berlin
rate_caps: { per_day: 3, per_week: 10 }
templates:
  - { id: q, tier: P3, subject: "Q {{token}}", body: b }
channels:
  - id: email
    kind: email
    to: support@acme.com
    schedule: { per_week: 3 }
`;

const webform = `  - id: form
    kind: webform
    url: https://acme.com/contact
    steps:
      - { fill: '#email', value: x }
    confirmation: { wait_for: '#ok' }
`;

const chat = `  - id: chat
    kind: chat
    url: https://acme.com/
    preset: generic
    selectors: { input: '#in', transcript: '#t', message: '.m' }
`;

const swap = (text: string, from: string, to: string): string => {
  if (!text.includes(from)) throw new Error(`fixture has no "${from}"`);
  return text.replace(from, to);
};

interface BrokenCase {
  name: string;
  files: Record<string, string>;
  env?: Record<string, string>;
  /** Each expected problem: "file:line: field: " followed by a part of the message. */
  expected: string[];
}

const v = (from: string, to: string) => ({ 'settings.yaml': settings, 'acme.yaml': swap(vendor, from, to) });
const s = (from: string, to: string) => ({ 'settings.yaml': swap(settings, from, to), 'acme.yaml': vendor });

const cases: BrokenCase[] = [
  {
    name: 'misspelt schedule',
    files: v('    schedule:', '    schedul:'),
    expected: ['acme.yaml:12: channels[0].schedul: unknown key "schedul" (did you mean "schedule"?)'],
  },
  {
    name: 'misspelt rate_caps',
    files: v('rate_caps:', 'rate_cap:'),
    expected: ['acme.yaml:5: rate_cap: unknown key "rate_cap" (did you mean "rate_caps"?)', 'acme.yaml:1: rate_caps: required'],
  },
  {
    name: 'sentfolder',
    files: s('sent_folder:', 'sentfolder:'),
    expected: ['settings.yaml:10: mailboxes.default.sentfolder: unknown key "sentfolder" (did you mean "sent_folder"?)'],
  },
  {
    name: 'camelCase sentFolder',
    files: s('sent_folder:', 'sentFolder:'),
    expected: ['settings.yaml:10: mailboxes.default.sentFolder: unknown key "sentFolder" (did you mean "sent_folder"?)'],
  },
  {
    name: 'suport_hours',
    files: v('timezone: Europe/Berlin', 'timezone: Europe/Berlin\nsuport_hours: { days: [mon], start: "09:00", end: "17:00" }'),
    expected: ['acme.yaml:5: suport_hours: unknown key "suport_hours" (did you mean "support_hours"?)'],
  },
  {
    name: 'databse',
    files: { 'settings.yaml': `databse: data/x.db\n${settings}`, 'acme.yaml': vendor },
    expected: ['settings.yaml:1: databse: unknown key "databse" (did you mean "database"?)'],
  },
  {
    name: 'imap hots',
    files: s('      host: 127.0.0.1\n      port: 143', '      hots: 127.0.0.1\n      port: 143'),
    expected: [
      'settings.yaml:5: mailboxes.default.imap.hots: unknown key "hots" (did you mean "host"?)',
      'settings.yaml:5: mailboxes.default.imap.host: required',
    ],
  },
  { name: 'template bdy', files: v('body: b }', 'body: b, bdy: c }'), expected: ['acme.yaml:7: templates[0].bdy: unknown key "bdy" (did you mean "body"?)'] },
  {
    name: 'webform step fil',
    files: { 'settings.yaml': settings, 'acme.yaml': vendor + swap(webform, "{ fill: '#email'", "{ fil: '#email'") },
    expected: ['acme.yaml:17: channels[1].steps[0].fil: unknown key "fil" (did you mean "fill"?)'],
  },
  {
    name: 'webform confirmation waitfor',
    files: { 'settings.yaml': settings, 'acme.yaml': vendor + swap(webform, 'wait_for:', 'waitfor:') },
    expected: ['acme.yaml:18: channels[1].confirmation.waitfor: unknown key "waitfor" (did you mean "wait_for"?)'],
  },
  {
    name: 'chat selector inptu',
    files: { 'settings.yaml': settings, 'acme.yaml': vendor + swap(chat, '{ input:', '{ inptu:') },
    expected: ['acme.yaml:17: channels[1].selectors.inptu: unknown key "inptu" (did you mean "input"?)'],
  },
  {
    name: 'sla first_reponse',
    files: v('rate_caps:', 'sla: { P3: { first_reponse: 1d } }\nrate_caps:'),
    expected: ['acme.yaml:5: sla.P3.first_reponse: unknown key "first_reponse" (did you mean "first_response"?)'],
  },
  {
    name: 'support_hours strat',
    files: v('timezone: Europe/Berlin', 'timezone: Europe/Berlin\nsupport_hours:\n  days: [mon]\n  strat: "09:00"\n  end: "17:00"'),
    expected: ['acme.yaml:7: support_hours.strat: unknown key "strat" (did you mean "start"?)'],
  },
  {
    name: 'unknown key without a near match',
    files: v('name: Acme', 'name: Acme\nfavourite_colour: blue'),
    expected: ['acme.yaml:3: favourite_colour: unknown key "favourite_colour"'],
  },
  {
    name: 'alerts key misspelt',
    files: { 'settings.yaml': `${settings}alerts:\n  evaluate_evry: 1m\n`, 'acme.yaml': vendor },
    expected: ['settings.yaml:19: alerts: unknown key "evaluate_evry" (did you mean "evaluate_every"?)'],
  },
  {
    name: 'every problem at once',
    files: { 'settings.yaml': settings, 'acme.yaml': swap(swap(vendor, '    schedule:', '    schedul:'), 'name: Acme', 'nmae: Acme') },
    expected: ['acme.yaml:2: nmae: unknown key "nmae" (did you mean "name"?)', 'acme.yaml:12: channels[0].schedul: unknown key', 'acme.yaml:1: name: required'],
  },
  {
    name: 'cron minute 61',
    files: v('schedule: { per_week: 3 }', 'schedule: { cron: "61 * * * *" }'),
    expected: ['acme.yaml:12: channels[0].schedule.cron: not a cron expression: "61 * * * *" (minute: 61 is a invalid expression for minute)'],
  },
  {
    name: 'cron in words',
    files: v('schedule: { per_week: 3 }', 'schedule: { cron: "every tuesday 3am" }'),
    expected: ['acme.yaml:12: channels[0].schedule.cron: not a cron expression: "every tuesday 3am"'],
  },
  {
    name: 'cron impossible date',
    files: v('schedule: { per_week: 3 }', 'schedule: { cron: "0 3 31 2 *" }'),
    expected: ['acme.yaml:12: channels[0].schedule.cron: not a cron expression: "0 3 31 2 *"'],
  },
  {
    name: 'cron nth weekday',
    files: v('schedule: { per_week: 3 }', 'schedule: { cron: "0 3 * * 1#2" }'),
    expected: ['acme.yaml:12: channels[0].schedule.cron: cron "0 3 * * 1#2": 1#2 is not supported'],
  },
  {
    name: 'cron and every both',
    files: v('schedule: { per_week: 3 }', 'schedule: { cron: "0 3 * * 2", every: 1d }'),
    expected: ['acme.yaml:12: channels[0].schedule: give exactly one of cron, per_week or every'],
  },
  {
    name: 'rate_caps {}',
    files: v('rate_caps: { per_day: 3, per_week: 10 }', 'rate_caps: {}'),
    expected: ['acme.yaml:5: rate_caps.per_day: required', 'acme.yaml:5: rate_caps.per_week: required'],
  },
  { name: 'rate_caps missing', files: v('rate_caps: { per_day: 3, per_week: 10 }\n', ''), expected: ['acme.yaml:1: rate_caps: required'] },
  {
    name: 'per_week 100000',
    files: v('per_week: 10 }', 'per_week: 100000 }'),
    expected: ['acme.yaml:5: rate_caps.per_week: 100000 per week is above the ceiling of 100'],
  },
  { name: 'per_day 500', files: v('per_day: 3,', 'per_day: 500,'), expected: ['acme.yaml:5: rate_caps.per_day: 500 per day is above the ceiling of 24'] },
  {
    name: 'min_interval below the floor',
    files: v('per_week: 10 }', 'per_week: 10, min_interval: 1m }'),
    expected: ['acme.yaml:5: rate_caps.min_interval: 1 min is below the floor of 10 min'],
  },
  {
    name: 'channel rate_caps {}',
    files: v('schedule: { per_week: 3 }', 'schedule: { per_week: 3 }\n    rate_caps: {}'),
    expected: ['acme.yaml:13: channels[0].rate_caps: rate_caps: {} sets no cap'],
  },
  {
    name: 'channel per_day above the ceiling',
    files: v('schedule: { per_week: 3 }', 'schedule: { per_week: 3 }\n    rate_caps: { per_day: 100 }'),
    expected: ['acme.yaml:13: channels[0].rate_caps.per_day: 100 per day is above the ceiling of 24'],
  },
  {
    name: 'every shorter than min_interval',
    files: v('schedule: { per_week: 3 }', 'schedule: { every: 1m }'),
    expected: ["acme.yaml:12: channels[0].schedule.every: every 1 min is shorter than the vendor's min_interval of 10 min"],
  },
  {
    name: 'schedule above the week cap',
    files: v('schedule: { per_week: 3 }', 'schedule: { per_week: 50 }'),
    expected: ['acme.yaml:12: channels[0].schedule.per_week: 50 per week is more than the cap of 10 per week'],
  },
  {
    name: 'clear-text IMAP password',
    files: s('pass: ${IMAP_PASS}', 'pass: hunter2'),
    expected: ['settings.yaml:9: mailboxes.default.imap.pass: a secret must not be written in the file'],
  },
  {
    name: 'clear-text SMTP password',
    files: s('pass: ${SMTP_PASS}', 'pass: "s3cret"'),
    expected: ['settings.yaml:17: smtp.default.pass: a secret must not be written in the file'],
  },
  {
    name: 'secret as a default',
    files: s('pass: ${IMAP_PASS}', 'pass: ${IMAP_PASS:-hunter2}'),
    expected: ['settings.yaml:9: mailboxes.default.imap.pass: the default after ":-" would be a clear-text secret'],
  },
  {
    name: 'webhook URL with a password',
    files: {
      'settings.yaml': `${settings}alerts:\n  targets:\n    ops: { kind: webhook, url: "https://ops:pw@hooks.acme.com/alerts" }\n`,
      'acme.yaml': vendor,
    },
    expected: ['settings.yaml:20: alerts.targets.ops.url: a URL with a password in it must not be written in the file'],
  },
  {
    name: 'Slack webhook URL in clear',
    files: {
      'settings.yaml': `${settings}alerts:\n  targets:\n    team: { kind: slack, url: "https://hooks.slack.com/services/T0000/B0000/XXXXXXXX" }\n`,
      'acme.yaml': vendor,
    },
    expected: ['settings.yaml:20: alerts.targets.team.url: a webhook URL (its path is the secret) must not be written'],
  },
  {
    name: 'webhook token header',
    files: {
      'settings.yaml': `${settings}alerts:\n  targets:\n    ops:\n      kind: webhook\n      url: https://hooks.acme.com/a\n      headers: { Authorization: "Bearer abc" }\n`,
      'acme.yaml': vendor,
    },
    expected: ['settings.yaml:23: alerts.targets.ops.headers.Authorization: a secret must not be written in the file'],
  },
  {
    name: 'PagerDuty routing key in clear',
    files: {
      'settings.yaml': `${settings}alerts:\n  targets:\n    pager: { kind: pagerduty, routing_key: R0123456789abcdef0123456789abcdef }\n`,
      'acme.yaml': vendor,
    },
    expected: ['settings.yaml:20: alerts.targets.pager.routing_key: a secret must not be written in the file'],
  },
  {
    name: 'Discord webhook URL in clear',
    files: {
      'settings.yaml': `${settings}alerts:\n  targets:\n    team: { kind: discord, url: "https://discord.com/api/webhooks/123456789012345678/AbC-dEf_123" }\n`,
      'acme.yaml': vendor,
    },
    expected: ['settings.yaml:20: alerts.targets.team.url: a webhook URL (its path is the secret) must not be written'],
  },
  {
    name: 'Teams Workflows URL in clear',
    files: {
      'settings.yaml': `${settings}alerts:\n  targets:\n    team: { kind: teams, url: "https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=AbCdEf" }\n`,
      'acme.yaml': vendor,
    },
    expected: ['settings.yaml:20: alerts.targets.team.url: a URL with a "sig" parameter must not be written'],
  },
  {
    name: 'ntfy token in clear',
    files: {
      'settings.yaml': `${settings}alerts:\n  targets:\n    phone: { kind: ntfy, url: "https://ntfy.example.org/firstreply", token: tk_abcdef }\n`,
      'acme.yaml': vendor,
    },
    expected: ['settings.yaml:20: alerts.targets.phone.token: a secret must not be written in the file'],
  },
  {
    name: 'YAML alias bomb',
    files: {
      'settings.yaml': settings,
      'acme.yaml': `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`,
    },
    expected: ['acme.yaml:2: (root): YAML: aliases expand to more than 100 nodes'],
  },
  {
    name: 'YAML duplicate key',
    files: v('visibility: public', 'visibility: public\nvisibility: private'),
    expected: ['acme.yaml:4: (root): YAML: Map keys must be unique'],
  },
  { name: 'YAML syntax error', files: v('name: Acme', 'name: [Acme'), expected: ['acme.yaml:', '(root): YAML:'] },
  {
    name: '${CAP} not a number',
    files: v('per_day: 3,', 'per_day: "${CAP}",'),
    env: { CAP: 'three' },
    expected: ['acme.yaml:5: rate_caps.per_day: expected a number from ${CAP}, but it is "three"'],
  },
  {
    name: '${SECURE} not a boolean',
    files: s('secure: false', 'secure: ${SECURE}'),
    env: { SECURE: 'maybe' },
    expected: ['settings.yaml:7: mailboxes.default.imap.secure: expected a boolean from ${SECURE}, but it is "maybe"'],
  },
  {
    name: 'shared template with a misspelt key',
    files: {
      'settings.yaml': settings,
      'acme.yaml': swap(vendor, '  - { id: q, tier: P3, subject: "Q {{token}}", body: b }', '  - use: shared'),
      'templates/shared.yaml': 'id: shared\ntier: P3\nlanguge: en\nsubject: "S {{token}}"\nbody: b\n',
    },
    expected: ['templates/shared.yaml:3: languge: unknown key "languge" (did you mean "language"?)'],
  },
  { name: 'empty vendor file', files: { 'settings.yaml': settings, 'acme.yaml': '' }, expected: ['acme.yaml:1: (root): '] },
];

describe('a strict catalog: broken files are problems at file:line, never silently accepted', () => {
  it('has at least 30 broken files', () => expect(cases.length).toBeGreaterThanOrEqual(30));

  it('the unbroken fixture is valid', () => {
    expect(problemsOf({ 'settings.yaml': settings, 'acme.yaml': vendor + webform + chat })).toEqual([]);
  });

  it.each(cases)('$name', ({ files, env: extra, expected }) => {
    const problems = problemsOf(files, extra);
    expect(problems.length).toBeGreaterThan(0);
    for (const want of expected)
      expect(problems, `expected a problem starting "${want}"`).toSatisfy((list: string[]) =>
        list.some((p) => p.startsWith(want) || (want.endsWith(':') && p.includes(want))),
      );
  });
});

describe('${VAR} fills numbers and booleans', () => {
  it('reads a cap, a port and a flag from the environment', () => {
    const dir = dirWith({
      'settings.yaml': swap(swap(settings, 'port: 143', 'port: ${IMAP_PORT}'), 'secure: false', 'secure: ${IMAP_TLS}'),
      'acme.yaml': swap(vendor, 'rate_caps: { per_day: 3, per_week: 10 }', 'rate_caps: { per_day: "${CAP}", per_week: "${WEEK_CAP:-12}" }'),
    });
    const catalog = loadCatalog(dir, { env: { ...env, CAP: '4', IMAP_PORT: '1143', IMAP_TLS: 'TRUE' }, cwd: dir });
    expect(catalog.vendors[0]?.rate_caps).toMatchObject({ per_day: 4, per_week: 12 });
    expect(catalog.settings.mailboxes.default?.imap).toMatchObject({ port: 1143, secure: true });
  });

  it('keeps strings that look like numbers as strings where a string belongs', () => {
    const dir = dirWith({ 'settings.yaml': settings, 'acme.yaml': vendor });
    const catalog = loadCatalog(dir, { env: { IMAP_PASS: '123456', SMTP_PASS: 'true' }, cwd: dir });
    expect(catalog.settings.mailboxes.default?.imap.pass).toBe('123456');
  });

  it('a number written around a variable is not read as one', () => {
    expect(problemsOf(v('per_day: 3,', 'per_day: "x${CAP}",'), { CAP: '3' })).toEqual([expect.stringMatching(/^acme\.yaml:5: rate_caps\.per_day: /)]);
  });
});

describe('min_interval', () => {
  it('defaults to the floor for a vendor that reaches people', () => {
    const dir = dirWith({ 'settings.yaml': settings, 'acme.yaml': vendor });
    expect(loadCatalog(dir, { env, cwd: dir }).vendors[0]?.rate_caps.min_interval).toBe(10 * 60_000);
  });

  it('the demo catalog is exempt from the ceilings only because its vendors reach no one', () => {
    const demo = `demo_time: true\n${settings}`;
    const fast = swap(swap(vendor, 'per_day: 3, per_week: 10', 'per_day: 5000, per_week: 20000'), 'schedule: { per_week: 3 }', 'schedule: { every: 15s }');
    expect(problemsOf({ 'settings.yaml': demo, 'acme.yaml': swap(fast, 'support@acme.com', 'support@acme.demo') })).toEqual([]);
    expect(problemsOf({ 'settings.yaml': demo, 'acme.yaml': fast })).toEqual(expect.arrayContaining([expect.stringContaining('above the ceiling')]));
  });
});

describe('validate --verbose: next runs', () => {
  it("lists each schedule's next three times in the vendor's zone", () => {
    const dir = dirWith({
      'settings.yaml': settings,
      'acme.yaml':
        swap(swap(vendor, 'schedule: { per_week: 3 }', 'schedule: { cron: "0 3 * * tue" }'), 'timezone: Europe/Berlin', 'timezone: America/New_York') +
        '  - { id: phone, kind: manual, medium: phone }\n',
    });
    const catalog = loadCatalog(dir, { env, cwd: dir });
    const now = Date.UTC(2026, 2, 2, 12, 0); // Monday 2 March 2026, 07:00 in New York
    expect(nextRunLines(catalog, now)).toEqual([
      'acme/email: cron "0 3 * * tue", next in America/New_York: Tue 2026-03-03 03:00:00, Tue 2026-03-10 03:00:00, Tue 2026-03-17 03:00:00 (each + up to the jitter)',
      'acme/phone: manual (recorded by a person, never sent)',
    ]);
  });
});

describe('the published JSON Schema', () => {
  it('closes every object: additionalProperties is false wherever properties are listed', () => {
    const open: string[] = [];
    const walk = (node: unknown, where: string): void => {
      if (Array.isArray(node)) {
        node.forEach((item, i) => {
          walk(item, `${where}[${i}]`);
        });
        return;
      }
      if (!node || typeof node !== 'object') return;
      const record = Object.fromEntries(Object.entries(node));
      if (record.properties !== undefined && record.additionalProperties !== false) open.push(where || '(root)');
      for (const [key, value] of Object.entries(record)) walk(value, `${where}/${key}`);
    };
    walk(vendorJsonSchema(), '');
    expect(open).toEqual([]);
    expect(vendorJsonSchema().required).toEqual(expect.arrayContaining(['rate_caps']));
  });
});

describe('suggestions', () => {
  it.each([
    ['schedul', 'schedule'],
    ['rate_cap', 'rate_caps'],
    ['sentfolder', 'sent_folder'],
    ['suport_hours', 'support_hours'],
    ['databse', 'database'],
    ['visiblity', 'visibility'],
  ])('%s → %s', (typo, meant) => {
    expect(suggestKey(typo, ['schedule', 'rate_caps', 'sent_folder', 'support_hours', 'database', 'visibility', 'slug', 'name'])).toBe(meant);
  });
  it('suggests nothing far away', () => expect(suggestKey('colour', ['slug', 'name', 'channels'])).toBeUndefined());
});
