// `firstreply stats` writes its report vendor by vendor; the text is byte for byte what the whole document gave.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { openFixtureStore, type FixtureStore } from '../helpers/fixture-store.ts';
import { formatReport, statsCommand } from '../../src/cli/stats.ts';
import { buildStatsReport, streamStatsReport, type StatsQuery } from '../../src/metrics/report.ts';

const now = Date.UTC(2026, 2, 16, 12, 0, 0);
let fixture: FixtureStore;
let dbPath: string;
beforeAll(() => {
  fixture = openFixtureStore({ days: 75, now });
  dbPath = join(fixture.dir, 'fixture.db');
});
afterAll(() => fixture.close());
afterEach(() => {
  vi.useRealTimers();
});

async function runStats(args: string[]): Promise<string> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(now);
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  try {
    expect(await statsCommand.run([...args, '--db', dbPath])).toBe(0);
  } finally {
    spy.mockRestore();
  }
  return chunks.join('');
}

/** What `stats` printed before it wrote vendor by vendor: the whole report, serialized at once. */
const whole = (query: Omit<StatsQuery, 'now'>) => buildStatsReport(fixture.store, { now, ...query });

describe('firstreply stats, written vendor by vendor', () => {
  const cases: Array<[string, string[], Omit<StatsQuery, 'now'>]> = [
    ['every vendor, all time (private included)', ['--window', 'all'], { window: 'all', includePrivate: true }],
    ['public vendors, 90 days', ['--public'], { includePrivate: false }],
    ['one channel of every vendor, 30 days', ['--channel', 'chat', '--window', '30d'], { channel: 'chat', window: '30d', includePrivate: true }],
    ['a channel no vendor has', ['--channel', 'pigeon'], { channel: 'pigeon', includePrivate: true }],
    [
      'one vendor, a trial window',
      ['acme-cloud', '--from', '2026-02-01', '--to', '2026-03-10'],
      { vendor: 'acme-cloud', from: Date.UTC(2026, 1, 1), to: Date.UTC(2026, 2, 11) - 1, includePrivate: true },
    ],
  ];

  it.each(cases)('--json: %s', async (_name, args, query) => {
    const expected = `${JSON.stringify(whole(query), null, 2)}\n`;
    expect(await runStats([...args, '--json'])).toBe(expected);
  });

  it.each(cases)('text: %s', async (_name, args, query) => {
    expect(await runStats(args)).toBe(formatReport(whole(query)));
  });

  it('an empty list of vendors is written as JSON.stringify writes it', async () => {
    const out = await runStats(['--channel', 'pigeon', '--json']);
    expect(out).toMatch(/"vendors": \[\]\n\}\n$/);
    expect(await runStats(['--channel', 'pigeon'])).toMatch(/\nno vendors\n$/);
  });

  it('tells a demo clock before the vendors: from the store, as the whole report does', async () => {
    const all = { window: 'all', includePrivate: true } as const;
    expect(streamStatsReport(fixture.store, { now, ...all }).demoTime).toBe(false);
    const row = fixture.store.db
      .prepare<[], { id: number; vendor: string }>(`SELECT p.id, c.vendor FROM probes p JOIN channels c ON c.id = p.channel_id
      WHERE p.state = 'answered' AND c.vendor = 'blue-harbor' ORDER BY p.sent_at LIMIT 1`)
      .get();
    if (!row) throw new Error('fixture has no answered probe of blue-harbor');
    fixture.store.db.prepare('UPDATE probes SET virtual_clock = 1 WHERE id = ?').run(row.id);
    try {
      expect(whole(all).demoTime).toBe(true);
      expect(streamStatsReport(fixture.store, { now, ...all }).demoTime).toBe(true);
      expect(await runStats(['--window', 'all', '--json'])).toBe(`${JSON.stringify(whole(all), null, 2)}\n`);
      // Another vendor's report, and a window the probe is not in, are not demo figures.
      expect(streamStatsReport(fixture.store, { now, vendor: 'acme-cloud', ...all }).demoTime).toBe(false);
      expect(streamStatsReport(fixture.store, { now, window: '7d', includePrivate: true }).demoTime).toBe(
        whole({ window: '7d', includePrivate: true }).demoTime,
      );
      expect(await runStats(['--window', 'all'])).toBe(formatReport(whole(all)));
    } finally {
      fixture.store.db.prepare('UPDATE probes SET virtual_clock = 0 WHERE id = ?').run(row.id);
    }
  });
});
