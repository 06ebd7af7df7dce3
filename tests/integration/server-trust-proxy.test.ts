// Behind a reverse proxy: with trust_proxy the rate limit keys on the client named by X-Forwarded-For, not the proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, type ServerDeps } from '../../src/server/app.ts';
import { settingsSchema } from '../../src/config/schema.ts';
import { openFixtureStore, type FixtureStore } from '../helpers/fixture-store.ts';

const proxy = '10.0.0.7';
const url = '/api/v1/vendors/acme-cloud/probes';
let fixture: FixtureStore;
const apps: FastifyInstance[] = [];

beforeAll(() => {
  fixture = openFixtureStore();
});

afterAll(async () => {
  for (const app of apps.splice(0)) await app.close();
  fixture.close();
});

async function limitedApp(trustProxy?: ServerDeps['trustProxy']): Promise<FastifyInstance> {
  const app = await buildApp({ store: fixture.store, clock: fixture.clock, rateLimit: { max: 2, timeWindowMs: 60_000 }, trustProxy });
  apps.push(app);
  return app;
}

/** Status codes of `n` requests from one client, relayed by `from` (the TCP peer). */
async function codes(app: FastifyInstance, n: number, client: string, from = proxy): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push((await app.inject({ url, remoteAddress: from, headers: { 'x-forwarded-for': client } })).statusCode);
  }
  return out;
}

describe('trust_proxy', () => {
  it("without it, every client behind the proxy shares the proxy's limit", async () => {
    const app = await limitedApp();
    expect(await codes(app, 2, '203.0.113.1')).toEqual([200, 200]);
    expect(await codes(app, 1, '198.51.100.2')).toEqual([429]);
  });

  it.each([
    ['an address', proxy],
    ['a CIDR list', ['10.0.0.0/8', '127.0.0.1']],
    ['a hop count', 1],
  ] as const)('with %s, each client behind the proxy has its own limit', async (_name, trust) => {
    const app = await limitedApp(trust);
    expect(await codes(app, 3, '203.0.113.1')).toEqual([200, 200, 429]);
    expect(await codes(app, 2, '198.51.100.2')).toEqual([200, 200]);
  });

  it('a peer that is not a trusted proxy cannot pick its key with X-Forwarded-For', async () => {
    const app = await limitedApp('10.0.0.0/8');
    const stranger = '192.0.2.50';
    const out: number[] = [];
    for (let i = 0; i < 3; i++) out.push((await app.inject({ url, remoteAddress: stranger, headers: { 'x-forwarded-for': `203.0.113.${i}` } })).statusCode);
    expect(out).toEqual([200, 200, 429]);
  });

  it('settings accept addresses, CIDRs or a hop count, and nothing else', () => {
    expect(settingsSchema.parse({ trust_proxy: 1 }).trust_proxy).toBe(1);
    expect(settingsSchema.parse({ trust_proxy: '127.0.0.1' }).trust_proxy).toBe('127.0.0.1');
    expect(settingsSchema.parse({ trust_proxy: ['10.0.0.0/8', '::1'] }).trust_proxy).toEqual(['10.0.0.0/8', '::1']);
    expect(settingsSchema.parse({}).trust_proxy).toBeUndefined();
    expect(settingsSchema.safeParse({ trust_proxy: -1 }).success).toBe(false);
    expect(settingsSchema.safeParse({ trust_proxy: [] }).success).toBe(false);
  });
});
