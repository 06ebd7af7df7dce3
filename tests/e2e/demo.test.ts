// The demo sandbox end to end: real mail stack, simulated vendors, live probes, the page filling up, a clean stop and a second run.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { silentLogger } from '../../src/core/logger.ts';
import { startDemo, type Demo } from '../../src/sandbox/demo.ts';
import type { Store } from '../../src/store/db.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Resolves when `test` holds, re-checking on every probe change (no polling sleeps). */
function until(store: Store, test: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!test()) return;
      cleanup();
      resolve();
    };
    const timer = setTimeout(() => { cleanup(); reject(new Error(`timed out waiting for ${what}`)); }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      store.events.off('probe', check);
    };
    store.events.on('probe', check);
    check();
  });
}

const answered = (store: Store, vendor: string) =>
  store.probes.recent(200).some((p) => p.vendor === vendor && p.first_human_at !== null && p.sent_at !== null);

describe('firstreply demo', () => {
  it('probes simulated vendors live, shows them on the page, stops cleanly and runs again', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'firstreply-demo-test-'));
    dirs.push(dataDir);
    let demo: Demo | undefined = await startDemo({ port: 0, host: '127.0.0.1', dataDir, logger: silentLogger });
    try {
      const store = demo.running.store;
      await until(store, () => answered(store, 'swiftcdn'), 60_000, 'a human reply from swiftcdn');
      await until(store, () => store.probes.recent(200).some((p) => p.vendor === 'relaycast' && p.first_ack_at !== null), 30_000, 'an auto-ack from relaycast');

      const swift = store.probes.recent(200).find((p) => p.vendor === 'swiftcdn' && p.first_human_at !== null);
      expect(swift?.sent_at).toBeTypeOf('number');
      expect((swift?.first_human_at ?? 0) - (swift?.sent_at ?? 0)).toBeGreaterThan(2_000);
      const relay = store.probes.recent(200).find((p) => p.vendor === 'relaycast' && p.first_ack_at !== null);
      expect(relay?.first_human_at ?? null).toBeNull();

      const vendors = await (await fetch(`${demo.url}/api/v1/vendors`)).text();
      expect(vendors).toContain('swiftcdn');
      expect(vendors).not.toContain('internal-lab');

      const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (err) => errors.push(err.message));
        await page.goto(`${demo.url}/`);
        await page.getByText('SwiftCDN').first().waitFor({ timeout: 15_000 });
        expect(await page.content()).toMatch(/demo/i);
        expect(await page.content()).not.toContain('Internal Lab');
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    } finally {
      await demo.stop();
    }
    const before = demo.running.store;
    expect(before.db.open).toBe(false);

    demo = await startDemo({ port: 0, host: '127.0.0.1', dataDir, logger: silentLogger });
    try {
      expect(answered(demo.running.store, 'swiftcdn')).toBe(true);
      const health = await fetch(`${demo.url}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      await demo.stop();
    }
  }, 150_000);
});
