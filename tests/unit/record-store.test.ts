import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAY, HOUR, MINUTE, ManualClock } from '../../src/core/clock.ts';
import { loadCatalog } from '../../src/config/load.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { parseRecordArgs, recordCommand } from '../../src/cli/record.ts';
import { recordManualProbe } from '../../src/channels/manual-record.ts';
import { buildStatsReport } from '../../src/metrics/report.ts';

const vendorYaml = `slug: acme
name: Acme
visibility: public
timezone: Europe/Berlin
sla:
  P2: { first_response: 30m }
drills_allowed: false
templates:
  - id: billing
    tier: P3
    language: de
    subject: "Rechnung {{token}}"
    body: "Frage zur Rechnung {{token}}"
  - id: question
    tier: P2
    language: zh
    subject: "Question {{token}}"
    body: "A question {{token}}"
channels:
  - id: chat
    kind: chat
    url: http://127.0.0.1:9/chat
    preset: generic
    selectors: { input: "#q", transcript: "#log", message: ".m" }
  - id: phone
    kind: manual
    medium: phone
    expiry: 2d
  - id: wechat
    kind: manual
    medium: im
    templates: [question]
rate_caps: { per_day: 3, per_week: 10 }
`;

const drillYaml = `slug: drillco
name: Drill Co
visibility: private
drills_allowed: true
templates:
  - id: down
    tier: P0
    subject: "Down {{token}}"
    body: "Everything is down {{token}}"
channels:
  - id: hotline
    kind: manual
rate_caps: { per_day: 3, per_week: 10 }
`;

let dir: string;
let clock: ManualClock;
let store: Store;
const start = Date.UTC(2025, 2, 10, 12, 0);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fr-record-'));
  writeFileSync(join(dir, 'settings.yaml'), `database: ${join(dir, 'fr.db')}\nevidence_dir: ${join(dir, 'evidence')}\n`);
  writeFileSync(join(dir, 'acme.yaml'), vendorYaml);
  writeFileSync(join(dir, 'drillco.yaml'), drillYaml);
  clock = new ManualClock(start);
  store = openStore(join(dir, 'fr.db'), clock);
  store.vendors.sync(loadCatalog(dir));
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const deps = () => ({ store, clock, evidenceDir: join(dir, 'evidence') });
const record = (args: string[]) => recordManualProbe(deps(), parseRecordArgs(args, clock.now()));
const probeCount = () => store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM probes').get()?.n;

describe('recordManualProbe', () => {
  it('stores an answered call as a probe with manual messages, and the statistics count it', async () => {
    const sent = start - 3 * HOUR;
    const result = await record([
      'acme',
      'phone',
      '--sent',
      new Date(sent).toISOString(),
      '--ack',
      new Date(sent + MINUTE).toISOString(),
      '--human',
      new Date(sent + 12 * MINUTE).toISOString(),
      '--note',
      'IVR menu, then a person',
    ]);
    const p = result.probe;
    expect(p).toMatchObject({
      vendor: 'acme',
      channel: 'phone',
      kind: 'manual',
      state: 'answered',
      tier: 'P2',
      template: 'manual',
      language: 'en',
      sent_at: sent,
      scheduled_at: sent,
      first_ack_at: sent + MINUTE,
      first_human_at: sent + 12 * MINUTE,
      closed_at: sent + 12 * MINUTE,
      deadline_at: sent + 30 * MINUTE,
      expires_at: sent + 2 * DAY,
      virtual_clock: 0,
    });
    expect(result.medium).toBe('phone');
    const messages = store.messages.forProbe(p.id);
    expect(messages.map((m) => [m.source, m.label, m.received_at, m.body_text, m.match_method])).toEqual([
      ['manual', 'auto_ack', sent + MINUTE, 'IVR menu, then a person', 'manual'],
      ['manual', 'human', sent + 12 * MINUTE, 'IVR menu, then a person', 'manual'],
    ]);
    expect(JSON.parse(p.evidence)).toEqual([result.evidence]);
    expect(JSON.parse(readFileSync(result.evidence, 'utf8'))).toMatchObject({
      medium: 'phone',
      note: 'IVR menu, then a person',
      human: new Date(sent + 12 * MINUTE).toISOString(),
    });

    const stats = buildStatsReport(store, { now: clock.now(), vendor: 'acme', channel: 'phone' }).vendors[0]?.channels[0];
    expect(stats?.kind).toBe('manual');
    expect(stats?.human).toMatchObject({ n: 1, events: 1 });
    expect(stats?.human.median.value).toBe(12 * MINUTE);
    expect(stats?.ack.median.value).toBe(MINUTE);
    expect(stats?.sla.find((r) => r.tier === 'P2')).toMatchObject({ n: 1, met: 1 });
    expect(stats?.unconfirmedLabels).toBe(0);
  });

  it('an unanswered call stays open and is censored at the channel expiry', async () => {
    const sent = start - 4 * HOUR;
    const result = await record(['acme', 'phone', '--sent', new Date(sent).toISOString(), '--tier', 'P3']);
    expect(result.probe).toMatchObject({ state: 'sent', tier: 'P3', first_human_at: null, expires_at: sent + 2 * DAY });
    expect(store.messages.forProbe(result.probe.id)).toEqual([]);
    clock.advance(3 * DAY);
    try {
      const stats = buildStatsReport(store, { now: clock.now(), vendor: 'acme', channel: 'phone' }).vendors[0]?.channels[0];
      expect(stats?.human).toMatchObject({ n: 2, events: 1, censored: 1, noEventShare: 0.5 });
      expect(stats?.openProbes).toEqual([]);
    } finally {
      clock.set(start);
    }
  });

  it('takes tier and language from a template the channel allows; drills only where allowed', async () => {
    const notHere = await record(['acme', 'wechat', '--sent', new Date(start - HOUR).toISOString(), '--template', 'billing']).catch((err: unknown) => err);
    expect(notHere).toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/"billing" is not one of acme\/wechat's templates \(question\)/) });
    const question = await record(['acme', 'wechat', '--sent', new Date(start - HOUR).toISOString(), '--template', 'question']);
    expect(question).toMatchObject({ medium: 'im', probe: { template: 'question', tier: 'P2', language: 'zh' } });
    const billing = await record(['acme', 'phone', '--sent', new Date(start - HOUR).toISOString(), '--template', 'billing']);
    expect(billing.probe).toMatchObject({ template: 'billing', tier: 'P3', language: 'de' });
    await expect(record(['acme', 'phone', '--sent', new Date(start - 2 * HOUR).toISOString(), '--template', 'billing', '--tier', 'P2'])).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: '--tier P2 contradicts template "billing" (P3)',
    });
    await expect(record(['acme', 'phone', '--sent', new Date(start - 2 * HOUR).toISOString(), '--tier', 'P1'])).rejects.toMatchObject({
      code: 'DRILL_FORBIDDEN',
      message: '--tier P1: acme does not allow drills (drills_allowed is false)',
    });
    const drill = await record([
      'drillco',
      'hotline',
      '--sent',
      new Date(start - 2 * HOUR).toISOString(),
      '--tier',
      'P0',
      '--human',
      new Date(start - HOUR).toISOString(),
    ]);
    expect(drill.probe).toMatchObject({ tier: 'P0', state: 'answered', deadline_at: start - 2 * HOUR + 15 * MINUTE, expires_at: start - 2 * HOUR + 7 * DAY });
  });

  it('refuses unknown vendors and channels, non-manual channels, drills and duplicates without writing anything', async () => {
    const sent = new Date(start - 5 * HOUR).toISOString();
    const before = probeCount();
    await expect(record(['nobody', 'phone', '--sent', sent])).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'no vendor "nobody" (known: acme, drillco)',
    });
    await expect(record(['acme', 'fax', '--sent', sent])).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'vendor "acme" has no channel "fax" (it has: chat (chat), phone (manual), wechat (manual))',
    });
    await expect(record(['acme', 'chat', '--sent', sent])).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'acme/chat is a chat channel; only channels of kind manual are recorded by hand',
    });
    await expect(record(['acme', 'phone', '--sent', sent, '--tier', 'P0'])).rejects.toMatchObject({ code: 'DRILL_FORBIDDEN' });
    await expect(record(['acme', 'phone', '--sent', sent, '--template', 'nope'])).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: '--template: vendor "acme" has no template "nope"',
    });
    expect(probeCount()).toBe(before);
    await record(['acme', 'phone', '--sent', sent]);
    await expect(record(['acme', 'phone', '--sent', sent, '--human', new Date(start).toISOString()])).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/^acme\/phone already has probe #\d+ sent at .*; not recording it twice$/),
    });
    expect(probeCount()).toBe((before ?? 0) + 1);
  });
});

describe('firstreply record', () => {
  async function run(args: string[]): Promise<{ code: number; out: string }> {
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    });
    try {
      return { code: await recordCommand.run(args), out };
    } finally {
      spy.mockRestore();
    }
  }

  it('mirrors the catalog of --dir, records into its database and prints the probe', async () => {
    const sent = Date.now() - 2 * HOUR;
    const { code, out } = await run([
      'acme',
      'phone',
      '--dir',
      dir,
      '--sent',
      new Date(sent).toISOString(),
      '--human',
      new Date(sent + 45 * MINUTE).toISOString(),
    ]);
    expect(code).toBe(0);
    const id = Number(/^recorded probe #(\d+) FR-\w+: acme\/phone \(phone\) P2, state answered$/m.exec(out)?.[1]);
    expect(out).toMatch(/^ {2}human {2}\S+ \(\+45 min\) — SLA missed by 15 min$/m);
    const row = store.probes.get(id);
    expect(row).toMatchObject({ state: 'answered', sent_at: sent, first_human_at: sent + 45 * MINUTE });
    const evidence = /^ {2}evidence (.+)$/m.exec(out)?.[1] ?? '';
    expect(evidence.startsWith(join(dir, 'evidence'))).toBe(true);
    expect(existsSync(evidence)).toBe(true);
  });

  it('fails with BAD_INPUT before touching a database', async () => {
    await expect(run(['acme', 'phone', '--db', join(dir, 'never.db'), '--sent', '2025-03-10T09:15'])).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/^--sent: .*no time zone/),
    });
    expect(existsSync(join(dir, 'never.db'))).toBe(false);
  });
});
