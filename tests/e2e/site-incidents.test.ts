// Incidents and operator notes on the pages in real headless Chromium: the amber mark, the history with its evidence, the notes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { HOUR } from '../../src/core/clock.ts';
import { openFixtureStore, type FixtureStore } from '../helpers/fixture-store.ts';

let fixture: FixtureStore;
let app: FastifyInstance;
let base: string;
let browser: Browser;

beforeAll(async () => {
  fixture = openFixtureStore({ days: 30 });
  const { store, clock } = fixture;
  const facts = [{ label: 'Effect', value: '5.1× the baseline median (alert at ≥ 1.5×)' }];
  clock.set(clock.now() - 2 * HOUR);
  const breach = store.alerts.insertOpen({
    rule: 'sla_breach',
    vendor: 'acme-cloud',
    channel: 'chat',
    severity: 'warning',
    audience: 'subscriber',
    summary: 'probe #7 was answered 3 h after its target',
    probeId: null,
    details: JSON.stringify({ facts: [{ label: 'Probe', value: '#7 (P3)' }] }),
  });
  clock.set(clock.now() + HOUR);
  if (breach) store.alerts.resolve(breach.id, JSON.stringify({ facts: [], evidence: [{ label: 'Probe', value: '#7 (P3)' }] }));
  store.alerts.insertOpen({
    rule: 'regression',
    vendor: 'acme-cloud',
    channel: 'email',
    severity: 'warning',
    audience: 'subscriber',
    summary: "first human replies are 5.1× slower than this channel's own baseline",
    probeId: null,
    details: JSON.stringify({ facts, evidence: facts }),
  });
  store.vendors.addNote({
    id: 'acme-pause',
    kind: 'paused',
    vendor: 'acme-cloud',
    channels: ['chat'],
    from: clock.now(),
    title: 'Acme asked us to pause chat probes',
    text: 'During their helpdesk migration.',
  });
  clock.set(clock.now() + HOUR);
  app = await buildApp({ store, clock });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  fixture?.close();
});

async function page(path: string, locale = 'en-US') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale });
  const p = await context.newPage();
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(e.message));
  await p.goto(`${base}${path}`);
  await p.waitForSelector('body[data-rendered="true"]');
  return { p, context, errors };
}

describe('incidents on the pages', () => {
  it('marks the channel with an open regression amber on the home page, and no other', async () => {
    const { p, context, errors } = await page('/');
    const marks = await p.$$eval('.status.incident', (els) =>
      els.map((e) => ({ text: e.textContent ?? '', kind: e.getAttribute('data-incident'), colour: getComputedStyle(e).color })),
    );
    expect(marks).toHaveLength(1);
    expect(marks[0]?.text).toMatch(/^Slower than usual since /);
    expect(marks[0]?.kind).toBe('regression');
    expect(marks[0]?.colour).not.toBe(
      await p.$eval('.status.meeting_sla, .status.slower_than_sla, .status.not_answering', (e) => getComputedStyle(e).color).catch(() => ''),
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the incident history with its evidence and the operator notes on the vendor page', async () => {
    const { p, context, errors } = await page('/vendor/acme-cloud');
    expect(await p.$$eval('h2 .status.incident', (els) => els.length)).toBe(1);
    const incidents = await p.$$eval('.incidents li.incident', (els) => els.map((e) => e.textContent ?? ''));
    expect(incidents).toHaveLength(2);
    expect(incidents[0]).toContain('Slower than its own baseline');
    expect(incidents[1]).toContain('SLA breach');
    expect(incidents[1]).toContain('#7 (P3)');
    const notes = await p.$$eval('.notes li.note', (els) => els.map((e) => e.textContent ?? ''));
    expect(notes).toEqual([expect.stringContaining('Probes paused: Acme asked us to pause chat probes')]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says it in Chinese too', async () => {
    const { p, context } = await page('/vendor/acme-cloud?lang=zh-CN', 'zh-CN');
    expect(await p.$eval('h2 .status.incident', (e) => e.textContent ?? '')).toMatch(/慢于往常/);
    expect(await p.$eval('#notes-h', (e) => e.textContent)).toBe('运维说明');
    await context.close();
  });
});
