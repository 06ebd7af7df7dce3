// The ready-document path answers the vendors list and a vendor's document before routing: over real HTTP it must send
// what the routes send (status, headers, bytes) for every request it takes, and leave every other request to them.
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { render } from '../../src/server/cache.ts';
import type { Documents } from '../../src/server/documents.ts';
import { readyPath } from '../../src/server/ready-path.ts';
import { defaultFixtureVendors, openFixtureStore, type FixtureStore } from '../helpers/fixture-store.ts';

let fixture: FixtureStore;
let withPath: FastifyInstance;
let routesOnly: FastifyInstance;
/** Requests that reached Fastify's routing, per app. */
const routed = new Map<FastifyInstance, number>();

async function start(readyPath: boolean): Promise<FastifyInstance> {
  const app = await buildApp({ store: fixture.store, clock: fixture.clock, readyPath });
  routed.set(app, 0);
  app.addHook('onRequest', (_request, _reply, done) => {
    routed.set(app, (routed.get(app) ?? 0) + 1);
    done();
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

beforeAll(async () => {
  fixture = openFixtureStore({ days: 30 });
  withPath = await start(true);
  routesOnly = await start(false);
});

afterAll(async () => {
  await withPath.close();
  await routesOnly.close();
  fixture.close();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(app: FastifyInstance, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  const { port } = app.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Headers that differ between any two responses (the time, the connection's own). */
const perResponse = new Set(['date', 'connection', 'keep-alive']);
const comparable = (a: Answer) => ({
  status: a.status,
  headers: Object.fromEntries(Object.entries(a.headers).filter(([k]) => !perResponse.has(k))),
  body: a.body.toString('base64'),
});

const publicSlug = defaultFixtureVendors.find((v) => v.visibility !== 'private')!.slug;
const privateSlug = defaultFixtureVendors.find((v) => v.visibility === 'private')!.slug;

/** The answer of each app, after a first request made sure a version of the document is in memory. */
async function both(path: string, headers: Record<string, string> = {}, method = 'GET') {
  await get(withPath, path, headers, method);
  await get(routesOnly, path, headers, method);
  const before = routed.get(withPath) ?? 0;
  const ours = await get(withPath, path, headers, method);
  const theirs = await get(routesOnly, path, headers, method);
  return { ours, theirs, reachedRoutes: (routed.get(withPath) ?? 0) - before };
}

describe('the ready-document path', () => {
  const taken: [string, string, Record<string, string>][] = [
    ['the list, gzip', '/api/v1/vendors', { 'accept-encoding': 'gzip' }],
    ['the list, brotli', '/api/v1/vendors', { 'accept-encoding': 'gzip, deflate, br' }],
    ['the list, no compression', '/api/v1/vendors', {}],
    ['the list, gzip refused', '/api/v1/vendors', { 'accept-encoding': 'gzip;q=0, identity' }],
    ['a vendor, gzip', `/api/v1/vendors/${publicSlug}`, { 'accept-encoding': 'gzip' }],
    ['a vendor, none', `/api/v1/vendors/${publicSlug}`, {}],
  ];

  it.each(taken)('sends what the route sends: %s', async (_name, path, headers) => {
    const { ours, theirs, reachedRoutes } = await both(path, headers);
    expect(ours.status).toBe(200);
    expect(comparable(ours)).toEqual(comparable(theirs));
    expect(ours.headers['content-security-policy']).toBeDefined();
    expect(ours.headers['access-control-allow-origin']).toBe('*');
    expect(reachedRoutes).toBe(0);
  });

  it('answers a matching If-None-Match with the route’s 304', async () => {
    const first = await get(withPath, '/api/v1/vendors', { 'accept-encoding': 'gzip' });
    const etag = String(first.headers.etag);
    const { ours, theirs, reachedRoutes } = await both('/api/v1/vendors', { 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect(ours.status).toBe(304);
    expect(ours.body.length).toBe(0);
    expect(comparable(ours)).toEqual(comparable(theirs));
    expect(reachedRoutes).toBe(0);
  });

  const passed: [string, string, Record<string, string>, string?][] = [
    ['a private vendor (the route’s 404)', `/api/v1/vendors/${privateSlug}`, {}],
    ['an unknown vendor', '/api/v1/vendors/no-such-vendor', {}],
    ['another window', '/api/v1/vendors?window=7d', { 'accept-encoding': 'gzip' }],
    ['a channel', `/api/v1/vendors/${publicSlug}?channel=email`, {}],
    ['credentials', '/api/v1/vendors', { authorization: 'Bearer wrong' }],
    ['a trailing slash', '/api/v1/vendors/', {}],
    ['an encoded slug', `/api/v1/vendors/${publicSlug.replace('-', '%2D')}`, {}],
    ['HEAD', '/api/v1/vendors', {}, 'HEAD'],
  ];

  it.each(passed)('leaves %s to the routes', async (_name, path, headers, method) => {
    const { ours, theirs, reachedRoutes } = await both(path, headers, method);
    expect(reachedRoutes).toBe(1);
    expect(comparable(ours)).toEqual(comparable(theirs));
  });

  it('answers nothing once the server is closing: the routes answer as it closes', () => {
    const body = render({ vendors: [] }, 0);
    const documents = { readyVendors: () => body, readyVendor: () => body } as unknown as Documents;
    const path = readyPath(documents, { vendorVisible: () => true });
    const written: number[] = [];
    const response = { writeHead: (status: number) => written.push(status), end: () => undefined };
    const request = { method: 'GET', url: '/api/v1/vendors', headers: {} };
    expect(path.serve(request as never, response as never)).toBe(true);
    path.stop();
    expect(path.serve(request as never, response as never)).toBe(false);
    expect(written).toEqual([200]);
  });

  it('keeps private vendors out of the list it sends', async () => {
    const { ours } = await both('/api/v1/vendors');
    expect(ours.body.toString()).toContain(publicSlug);
    expect(ours.body.toString()).not.toContain(privateSlug);
  });
});
