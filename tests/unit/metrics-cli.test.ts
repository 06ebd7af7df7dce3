import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { openFixtureStore, type FixtureStore } from '../helpers/fixture-store.ts';
import { statsCommand } from '../../src/cli/stats.ts';
import { buildStatsReport } from '../../src/metrics/report.ts';
import { FirstReplyError } from '../../src/core/errors.ts';
import type { StatsReport } from '../../src/metrics/report-types.ts';

let fixture: FixtureStore;
let dbPath: string;
beforeAll(() => {
  fixture = openFixtureStore({ days: 20 });
  dbPath = join(fixture.dir, 'fixture.db');
});
afterAll(() => fixture.close());

async function runStats(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  try {
    const code = await statsCommand.run([...args, '--db', dbPath]);
    return { code, out };
  } finally {
    spy.mockRestore();
  }
}

describe('firstreply stats', () => {
  it('--json prints exactly buildStatsReport for the same moment', async () => {
    const { code, out } = await runStats(['--window', 'all', '--json']);
    expect(code).toBe(0);
    const printed: StatsReport = JSON.parse(out);
    expect(printed).toEqual(buildStatsReport(fixture.store, { now: printed.generatedAt, window: 'all', includePrivate: true }));
    expect(printed.vendors.map((v) => v.vendor.slug)).toContain('hidden-lab');
  });

  it('filters by vendor, channel and trial window; --public leaves private vendors out', async () => {
    const { out } = await runStats(['acme-cloud', '--channel', 'chat', '--from', '2026-03-01', '--to', '2026-03-10', '--json']);
    const printed: StatsReport = JSON.parse(out);
    expect(printed.window).toEqual({ label: 'trial', from: Date.UTC(2026, 2, 1), to: Date.UTC(2026, 2, 11) - 1 });
    expect(printed.vendors.map((v) => [v.vendor.slug, v.channels.map((c) => c.channel)])).toEqual([['acme-cloud', ['chat']]]);
    // The spelling, --vendor v --channel c, gives the same document.
    const flagged: StatsReport = JSON.parse(
      (await runStats(['--vendor', 'acme-cloud', '--channel', 'chat', '--from', '2026-03-01', '--to', '2026-03-10', '--json'])).out,
    );
    expect({ ...flagged, generatedAt: 0 }).toEqual({ ...printed, generatedAt: 0 });
    const pub: StatsReport = JSON.parse((await runStats(['--public', '--json'])).out);
    expect(pub.vendors.map((v) => v.vendor.slug)).not.toContain('hidden-lab');
  });

  it('prints a readable summary with KM medians and SLA per tier', async () => {
    const { out } = await runStats(['blue-harbor', '--window', 'all']);
    expect(out).toContain('Blue Harbor 蓝港云 [blue-harbor]');
    expect(out).toMatch(/median \d+ (m|h)/);
    expect(out).toMatch(/SLA P3 24 h \(reference\): \d+\/\d+ met/);
  });

  it('rejects unknown vendors and bad options with stable codes', async () => {
    await expect(runStats(['nobody'])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(runStats(['--vendor', 'nobody'])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(runStats(['acme-cloud', '--vendor', 'blue-harbor'])).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/two vendors given/),
    });
    await expect(runStats(['--window', '1y'])).rejects.toBeInstanceOf(FirstReplyError);
    await expect(runStats(['--from', 'yesterday'])).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
