// Incidents on the status server: an open SLA-breach or regression alert marks its channel (API field, badge colour),
// a resolved one stays in the vendor's history with what it said; private vendors' alerts appear nowhere public.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { HOUR } from '../../src/core/clock.ts';
import { incidentColour } from '../../src/server/routes/badges.ts';
import { openFixtureStore, type FixtureStore } from '../helpers/fixture-store.ts';
import { settingsSchema } from '../../src/config/schema.ts';

const adminToken = 'admin-secret-for-notes-0123456789';

let fixture: FixtureStore;
let app: FastifyInstance;
let openedAt = 0;
const regressionFacts = [{ label: 'Effect', value: '5.1× the baseline median (alert at ≥ 1.5×)' }];
const breachFacts = [{ label: 'Probe', value: '#12 (P3), sent 2026-01-01T00:00:00.000Z' }];

beforeAll(async () => {
  fixture = openFixtureStore({ days: 30 });
  const { store, clock } = fixture;
  const alert = (rule: string, vendor: string, channel: string, summary: string, facts: unknown) =>
    store.alerts.insertOpen({
      rule,
      vendor,
      channel,
      severity: 'warning',
      audience: 'subscriber',
      summary,
      probeId: null,
      details: JSON.stringify({ facts, numbers: {}, evidence: facts }),
    });
  clock.set(clock.now() - 3 * HOUR);
  const breach = alert('sla_breach', 'acme-cloud', 'chat', 'no human reply to probe #12 (P3) 1 d after sending', breachFacts);
  clock.set(clock.now() + HOUR);
  // Resolving rewrites the details with the recovering verdict; the evidence it carried stays.
  if (breach)
    store.alerts.resolve(
      breach.id,
      JSON.stringify({ facts: [{ label: 'Within SLA', value: 'the last 2 probe(s) in a row' }], numbers: {}, evidence: breachFacts, recovered_after: 2 }),
    );
  clock.set(clock.now() + HOUR);
  openedAt = clock.now();
  alert('regression', 'acme-cloud', 'email', "first human replies are 5.1× slower than this channel's own baseline", regressionFacts);
  alert('regression', 'hidden-lab', 'email', 'SECRET-PRIVATE-INCIDENT slower', regressionFacts);
  alert('channel_broken', 'northwind-video', 'email', 'sends failed (operator only)', []);
  // A file note (synced from probes/notes/) on the public vendor and one on the private vendor.
  store.vendors.sync({
    dir: 'fixtures',
    settings: settingsSchema.parse({ database: ':memory:' }),
    vendors: [],
    notes: [
      {
        id: 'acme-pause',
        kind: 'paused',
        vendor: 'acme-cloud',
        channels: ['chat'],
        from: clock.now() - HOUR,
        title: 'Acme asked us to pause chat probes',
        text: 'During their migration.',
      },
      { id: 'lab-secret', kind: 'maintenance', vendor: 'hidden-lab', from: clock.now() - HOUR, title: 'SECRET-PRIVATE-NOTE', text: '' },
    ],
  });
  clock.set(clock.now() + HOUR);
  app = await buildApp({ store, clock, adminToken, cacheTtlMs: 0 });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  fixture.close();
});

const get = (url: string) => app.inject({ method: 'GET', url });

describe('incidents on the status API', () => {
  it('marks a channel with an open SLA-breach or regression alert in the vendors list, and only that channel', async () => {
    const body = (await get('/api/v1/vendors')).json();
    const acme = body.vendors.find((v: { slug: string }) => v.slug === 'acme-cloud');
    const email = acme.channels.find((c: { channel: string }) => c.channel === 'email');
    expect(email.incident).toEqual({ kind: 'regression', since: openedAt, summary: expect.stringContaining('5.1× slower') });
    expect(acme.channels.find((c: { channel: string }) => c.channel === 'chat').incident).toBeNull();
    const northwind = body.vendors.find((v: { slug: string }) => v.slug === 'northwind-video');
    expect(northwind.channels.every((c: { incident: unknown }) => c.incident === null)).toBe(true);
  });

  it('keeps a resolved incident in the vendor history with the evidence it fired with', async () => {
    const body = (await get('/api/v1/vendors/acme-cloud')).json();
    const incidents = body.vendors[0].incidents;
    expect(incidents.map((i: { kind: string; resolvedAt: number | null }) => [i.kind, i.resolvedAt === null])).toEqual([
      ['regression', true],
      ['sla_breach', false],
    ]);
    expect(incidents[1].evidence).toEqual(breachFacts);
    expect(incidents[0].evidence).toEqual(regressionFacts);
  });

  it('draws the badge of a channel with an open incident amber', async () => {
    const marked = await get('/badge/acme-cloud/email.svg');
    expect(marked.body).toContain(incidentColour);
    const calm = await get('/badge/acme-cloud/chat.svg');
    expect(calm.body).not.toContain(incidentColour);
  });

  it("never shows a private vendor's incident on a public route", async () => {
    for (const url of ['/api/v1/vendors', '/api/v1/vendors?window=all', '/feed.atom', '/', '/vendor/acme-cloud']) {
      expect((await get(url)).body).not.toContain('SECRET-PRIVATE-INCIDENT');
      expect((await get(url)).body).not.toContain('SECRET-PRIVATE-NOTE');
    }
    expect((await get('/api/v1/vendors/hidden-lab')).statusCode).toBe(404);
  });
});

describe('operator notes', () => {
  const admin = { authorization: `Bearer ${adminToken}` };

  it('shows a file note on its vendor page document, on the channel it names and not on another', async () => {
    const body = (await get('/api/v1/vendors/acme-cloud')).json();
    expect(body.vendors[0].notes).toEqual([
      expect.objectContaining({ id: 'acme-pause', kind: 'paused', channels: ['chat'], until: null, title: 'Acme asked us to pause chat probes' }),
    ]);
    expect((await get('/api/v1/vendors/acme-cloud?channel=chat')).json().vendors[0].notes).toHaveLength(1);
    expect((await get('/api/v1/vendors/acme-cloud?channel=email')).json().vendors[0].notes).toHaveLength(0);
  });

  it('puts notes in the Atom feed', async () => {
    const feed = (await get('/feed.atom')).body;
    expect(feed).toContain('<title>Acme Cloud / chat: Probes paused — Acme asked us to pause chat probes</title>');
    expect(feed).toContain('/feed/note/acme-pause/open');
  });

  it('adds and removes a note through the admin API, never without the token', async () => {
    const note = {
      id: 'method-2026',
      kind: 'method_change',
      vendor: 'acme-cloud',
      from: '2026-01-01T00:00:00Z',
      title: 'Chat replies now timed by the DOM observer',
    };
    expect((await app.inject({ method: 'POST', url: '/api/v1/admin/notes', payload: note })).statusCode).toBe(401);
    const added = await app.inject({ method: 'POST', url: '/api/v1/admin/notes', payload: note, headers: admin });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ id: 'method-2026', from: Date.UTC(2026, 0, 1), text: '' });
    expect((await app.inject({ method: 'POST', url: '/api/v1/admin/notes', payload: note, headers: admin })).statusCode).toBe(409);
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/admin/notes', payload: { ...note, id: 'x', channels: ['fax'] }, headers: admin })).statusCode,
    ).toBe(404);
    const notes = (await get('/api/v1/vendors/acme-cloud')).json().vendors[0].notes;
    expect(notes.map((n: { id: string }) => n.id)).toEqual(['acme-pause', 'method-2026']);
    expect([...notes[1].channels].sort()).toEqual(['chat', 'email']);
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/admin/notes/acme-pause', headers: admin })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/admin/notes/method-2026', headers: admin })).statusCode).toBe(200);
  });
});
