import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog, catalogSummary } from '../../src/config/load.ts';
import { widgetPresetNames } from '../../src/channels/widget-presets.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { formatDuration, parseDuration } from '../../src/core/clock.ts';

const env = { FIRSTREPLY_IMAP_PASS: 'x', FIRSTREPLY_SMTP_PASS: 'y' };

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fr-config-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const settings = `mailboxes:
  default:
    address: probes@example.org
    imap: { host: 127.0.0.1, port: 143, secure: false, user: probes, pass: "\${IMAP_PASS}" }
smtp:
  default: { host: 127.0.0.1, port: 25, security: plain, from: probes@example.org }
`;

function problemsOf(dir: string, extraEnv: Record<string, string> = { IMAP_PASS: 'p' }, widgetDir?: string) {
  try {
    loadCatalog(dir, { env: extraEnv, cwd: dir, ...(widgetDir ? { widgetDir } : {}) });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('config loading', () => {
  it('loads the committed example catalog', () => {
    const catalog = loadCatalog('probes', { env });
    expect(catalog.vendors.map((v) => v.slug)).toEqual(['example-cloud']);
    const vendor = catalog.vendors[0]!;
    expect(vendor.templates.map((t) => t.id)).toEqual(['api-rate-limit', 'ingest-latency-question']);
    expect(vendor.sla.P2?.first_response).toBe(8 * 3_600_000);
    expect(vendor.channels[0]?.expiry).toBe(7 * 86_400_000);
    expect(catalog.settings.mailboxes.default?.imap.pass).toBe('x');
    expect(catalogSummary(catalog)).toMatch(/1 vendors \(0 public, 1 private\), 1 channels \(email\)/);
  });

  it('reports every problem with file, line and field', () => {
    const dir = dirWith({
      'settings.yaml': settings,
      'acme.yaml': `slug: Acme Cloud
name: Acme
visibility: secret
timezone: Mars/Olympus
templates:
  - id: q
    tier: P0
    subject: no token here
    body: nor here
channels:
  - id: email
    kind: email
    to: not-an-address
    expiry: soon
`,
    });
    const problems = problemsOf(dir);
    const lines = problems.map((p) => `${p.file}:${p.line}: ${p.field}`);
    expect(lines).toContain('acme.yaml:1: slug');
    expect(lines).toContain('acme.yaml:3: visibility');
    expect(lines).toContain('acme.yaml:4: timezone');
    expect(lines).toContain('acme.yaml:9: templates[0].body');
    expect(lines).toContain('acme.yaml:13: channels[0].to');
    expect(lines).toContain('acme.yaml:14: channels[0].expiry');
    expect(problems.find((p) => p.field === 'channels[0].expiry')?.message).toMatch(/not a duration/);
  });

  it('refuses emergency drills without consent and names the line', () => {
    const dir = dirWith({
      'settings.yaml': settings,
      'acme.yaml': `slug: acme
name: Acme
visibility: public
templates:
  - id: outage
    tier: P0
    subject: "Outage {{token}}"
    body: down
channels:
  - { id: email, kind: email, to: support@acme.test }
rate_caps: { per_day: 3, per_week: 10 }
`,
    });
    const [problem] = problemsOf(dir);
    expect(problem).toMatchObject({ file: 'acme.yaml', line: 5, field: 'templates[0].tier' });
    expect(problem?.message).toMatch(/drills_allowed/);
  });

  it('names a missing environment variable and an unknown mailbox', () => {
    const dir = dirWith({
      'settings.yaml': settings,
      'acme.yaml': `slug: acme
name: Acme
visibility: public
templates:
  - { id: q, tier: P3, subject: "Q {{token}}", body: b }
channels:
  - { id: email, kind: email, to: support@acme.test, mailbox: other }
rate_caps: { per_day: 3, per_week: 10 }
`,
    });
    const problems = problemsOf(dir, {});
    expect(problems).toContainEqual(
      expect.objectContaining({ file: 'settings.yaml', line: 4, field: 'mailboxes.default.imap.pass', message: 'environment variable IMAP_PASS is not set' }),
    );
    expect(problems).toContainEqual(expect.objectContaining({ file: 'acme.yaml', line: 7, field: 'channels[0].mailbox' }));
  });

  it('reports YAML syntax errors with their line', () => {
    const dir = dirWith({ 'bad.yaml': 'slug: a\nname: [unclosed\nvisibility: public\n' });
    const problems = problemsOf(dir);
    expect(problems[0]?.file).toBe('bad.yaml');
    expect(problems[0]?.message).toMatch(/^YAML:/);
    expect(problems[0]?.line).toBeGreaterThan(1);
  });
});

describe('chat widget presets', () => {
  const vendorWithPreset = (preset: string) => `slug: acme
name: Acme
visibility: public
rate_caps: { per_day: 3, per_week: 10 }
templates:
  - { id: q, tier: P3, subject: "Q {{token}}", body: b }
channels:
  - { id: email, kind: email, to: support@acme.test }
  - id: chat
    kind: chat
    url: https://acme.test/
    preset: ${preset}
`;

  it('names an unknown preset at its line, with the known names', () => {
    const dir = dirWith({ 'settings.yaml': settings, 'acme.yaml': vendorWithPreset('intercomm') });
    const problems = problemsOf(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'acme.yaml', line: 12, field: 'channels[1].preset' });
    expect(problems[0]?.message).toContain('no widget preset "intercomm"');
    const known = widgetPresetNames();
    expect(known).toEqual(expect.arrayContaining(['generic', 'intercom', 'firstreply-sandbox']));
    expect(problems[0]?.message).toContain(`known: ${known.join(', ')}`);
  });

  it('accepts a preset that exists', () => {
    const dir = dirWith({ 'settings.yaml': settings, 'acme.yaml': vendorWithPreset('intercom') });
    const catalog = loadCatalog(dir, { env: { IMAP_PASS: 'p' }, cwd: dir });
    const chat = catalog.vendors[0]?.channels.find((c) => c.kind === 'chat');
    expect(chat).toMatchObject({ kind: 'chat', preset: 'intercom' });
  });

  it('reports an invalid preset file at its own lines and at the channel that uses it', () => {
    const dir = dirWith({
      'settings.yaml': settings,
      'acme.yaml': vendorWithPreset('broken'),
      'widgets/broken.yaml': 'name: broken\nselectors:\n  input: 42\n',
      'widgets/fine.yaml': 'name: fine\nselectors: {}\n',
    });
    const problems = problemsOf(dir, { IMAP_PASS: 'p' }, join(dir, 'widgets'));
    expect(problems).toContainEqual(expect.objectContaining({ file: 'widgets/broken.yaml', line: 3, field: 'selectors.input' }));
    expect(problems).toContainEqual(
      expect.objectContaining({
        file: 'acme.yaml',
        line: 12,
        field: 'channels[1].preset',
        message: 'widget preset "broken" is invalid (see the problems in widgets/broken.yaml)',
      }),
    );
    expect(problems).toHaveLength(2);
  });

  it('reports a preset file that is not YAML once, however many channels use it', () => {
    const dir = dirWith({
      'settings.yaml': settings,
      'acme.yaml': vendorWithPreset('broken'),
      'other.yaml': vendorWithPreset('broken').replace('slug: acme', 'slug: other'),
      'widgets/broken.yaml': 'name: [unclosed\nselectors: {}\n',
    });
    const problems = problemsOf(dir, { IMAP_PASS: 'p' }, join(dir, 'widgets'));
    expect(problems.filter((p) => p.file === 'widgets/broken.yaml')).toHaveLength(1);
    expect(problems.find((p) => p.file === 'widgets/broken.yaml')?.message).toMatch(/^YAML:/);
    expect(problems.filter((p) => p.field === 'channels[1].preset').map((p) => p.file)).toEqual(['acme.yaml', 'other.yaml']);
  });

  it('names the selectors a chat channel lacks, from its preset and its own', () => {
    const generic = dirWith({ 'settings.yaml': settings, 'acme.yaml': vendorWithPreset('generic') });
    const [problem, ...rest] = problemsOf(generic);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ file: 'acme.yaml', line: 12, field: 'channels[1].selectors' });
    expect(problem?.message).toBe(
      'the chat widget needs selectors for input, transcript, message (preset "generic" does not give them): add them under selectors or use a preset that has them',
    );
    const partial = dirWith({
      'settings.yaml': settings,
      'acme.yaml': `${vendorWithPreset('generic')}    selectors:\n      input: "#q"\n      transcript: "#log"\n`,
    });
    expect(problemsOf(partial)).toEqual([
      expect.objectContaining({
        line: 14,
        field: 'channels[1].selectors',
        message: expect.stringMatching(/needs selectors for message \(preset "generic" does not give it\)/),
      }),
    ]);
    const complete = dirWith({
      'settings.yaml': settings,
      'acme.yaml': `${vendorWithPreset('generic')}    selectors:\n      input: "#q"\n      transcript: "#log"\n      message: ".m"\n`,
    });
    expect(loadCatalog(complete, { env: { IMAP_PASS: 'p' }, cwd: complete }).vendors).toHaveLength(1);
  });

  it('lists "none" when the presets directory is missing', () => {
    const dir = dirWith({ 'settings.yaml': settings, 'acme.yaml': vendorWithPreset('generic') });
    const [problem] = problemsOf(dir, { IMAP_PASS: 'p' }, join(dir, 'no-widgets'));
    expect(problem?.message).toBe('no widget preset "generic" in no-widgets (known: none)');
  });

  it.each(['probes/demo', 'probes'])('still validates the committed catalog %s', (catalogDir) => {
    const catalog = loadCatalog(catalogDir, { env });
    expect(catalog.vendors.length).toBeGreaterThan(0);
  });

  it('checks the presets the demo catalog names', () => {
    const presets = loadCatalog('probes/demo', { env }).vendors.flatMap((v) => v.channels.flatMap((c) => (c.kind === 'chat' && c.preset ? [c.preset] : [])));
    expect(presets.length).toBeGreaterThan(0);
    for (const preset of presets) expect(widgetPresetNames()).toContain(preset);
  });
});

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['4h', 14_400_000],
    ['1h30m', 5_400_000],
    ['7d', 604_800_000],
    [2500, 2500],
    ['250', 250],
  ])('%s → %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', 'soon', '4 hours', '5x'])('rejects %j', (text) => expect(() => parseDuration(text)).toThrow(/not a duration/));
  // "1 m" reads as a month as easily as a minute: minutes are "min", and zero parts are left out.
  it.each([
    [3_000, '3 s'],
    [60_000, '1 min'],
    [90 * 60_000, '1 h 30 min'],
    [4 * 3_600_000, '4 h'],
    [24 * 3_600_000, '24 h'],
    [48 * 3_600_000, '2 d'],
    [50 * 3_600_000, '2 d 2 h'],
  ])('%d ms reads %j', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
