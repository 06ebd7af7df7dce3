// Per-tier time to first human reply in the public API: named fields on the vendor and compare documents, private vendors kept out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { humanObservation } from '../../src/metrics/report.ts';
import { tierReply } from '../../src/metrics/precision.ts';
import { DAY } from '../../src/core/clock.ts';
import { tiers } from '../../src/config/schema.ts';
import { openFixtureStore, type FixtureStore } from '../helpers/fixture-store.ts';

const adminToken = 'admin-secret-for-tier-tests-0123456789';
let fixture: FixtureStore;
let app: FastifyInstance;

beforeAll(async () => {
  fixture = openFixtureStore();
  app = await buildApp({ store: fixture.store, clock: fixture.clock, adminToken, evidenceDir: fixture.dir });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  fixture.close();
});

interface TierRow {
  tier: string;
  n: number;
  events: number;
  censored: number;
  median: { value: number | null; low: number | null; high: number | null };
  ratio: number | null;
  sufficient: boolean;
  needed: { answered: number; probes: number; basis: string } | null;
}

async function json(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown; text: string }> {
  const res = await app.inject({ method: 'GET', url, headers });
  return { status: res.statusCode, body: res.statusCode === 200 ? res.json() : null, text: res.body };
}

describe('per-tier figures in the public API', () => {
  it('/api/v1/vendors/:slug gives each channel its tiers, computed from that tier’s probes alone', async () => {
    const { status, body } = await json('/api/v1/vendors/acme-cloud?window=90d');
    expect(status).toBe(200);
    const report = body as { vendors: { channels: { channel: string; human: { n: number }; tiers: TierRow[] }[] }[] };
    const channels = report.vendors[0]?.channels ?? [];
    expect(channels.length).toBeGreaterThan(0);
    const now = fixture.clock.now();
    const stored = fixture.store.stats.channels('acme-cloud');
    for (const channel of channels) {
      expect(channel.tiers.length).toBeGreaterThan(0);
      expect(channel.tiers.map((t) => t.tier)).toEqual(tiers.filter((tier) => channel.tiers.some((t) => t.tier === tier)));
      expect(channel.tiers.reduce((a, t) => a + t.n, 0)).toBe(channel.human.n);
      const id = stored.find((c) => c.channel === channel.channel)?.id ?? -1;
      const timings = fixture.store.stats.timings(id, now - 90 * DAY, now);
      for (const row of channel.tiers) {
        const expected = tierReply(
          row.tier as (typeof tiers)[number],
          timings.filter((t) => t.tier === row.tier).map((t) => humanObservation(t, now)),
        );
        expect(row).toEqual(JSON.parse(JSON.stringify(expected)));
        if (row.sufficient) expect(row.needed).toBeNull();
        else expect(row.needed?.answered ?? 0).toBeGreaterThan(0);
      }
    }
  });

  it('a thinly probed tier says how many more answered probes it needs', async () => {
    const { body } = await json('/api/v1/vendors/acme-cloud?window=7d');
    const rows = (body as { vendors: { channels: { tiers: TierRow[] }[] }[] }).vendors[0]?.channels.flatMap((c) => c.tiers) ?? [];
    const thin = rows.find((r) => !r.sufficient);
    expect(thin).toBeDefined();
    expect(thin?.needed).toMatchObject({ answered: expect.any(Number), probes: expect.any(Number) });
    expect(thin?.needed?.probes ?? 0).toBeGreaterThanOrEqual(thin?.needed?.answered ?? Infinity);
  });

  it('/api/v1/compare lists channel × tier rows per vendor, and never a private vendor’s', async () => {
    const { status, body } = await json('/api/v1/compare?vendors=acme-cloud,northwind-video&window=90d');
    expect(status).toBe(200);
    const scorecards = (body as { vendors: { slug: string; tiers: (TierRow & { channel: string; kind: string })[] }[] }).vendors;
    for (const card of scorecards) {
      expect(card.tiers.length).toBeGreaterThan(0);
      for (const row of card.tiers) expect(Object.keys(row).sort()).toEqual(['channel', 'events', 'kind', 'median', 'n', 'needed', 'sufficient', 'tier']);
    }
    expect((await json('/api/v1/vendors/hidden-lab')).status).toBe(404);
    expect((await json('/api/v1/compare?vendors=acme-cloud,hidden-lab')).status).toBe(404);
    const admin = await json('/api/v1/vendors/hidden-lab', { authorization: `Bearer ${adminToken}` });
    expect(admin.status).toBe(200);
    expect((admin.body as { vendors: { channels: { tiers: TierRow[] }[] }[] }).vendors[0]?.channels[0]?.tiers.length ?? 0).toBeGreaterThan(0);
  });
});
