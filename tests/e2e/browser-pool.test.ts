import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRig, formVendor, probe, type BrowserRig } from './browser-setup.ts';
import { createBrowserPool, memoryOf } from '../../src/browser/pool.ts';
import { silentLogger } from '../../src/core/logger.ts';

let rig: BrowserRig;

beforeAll(async () => {
  rig = await startRig([
    // The healthy form has room for a loaded machine: this test counts leaked contexts, not speed.
    formVendor('okform', {}, 20_000),
    formVendor('brokenform', { variant: 'changed_markup' }, 300),
    formVendor('robotform', { variant: 'captcha' }),
  ]);
});
afterAll(async () => {
  await rig?.stop();
});

describe('browser pool', () => {
  it('leaves no browser context open after 50 probes, successful or failed', async () => {
    // Failures are the paths that leak in practice (a throw between open and close), so they are most of the 50.
    const vendors = ['okform', 'brokenform', 'robotform', 'brokenform', 'robotform'];
    const states: string[] = [];
    for (let round = 0; round < 5; round++) {
      const batch = await Promise.all(Array.from({ length: 10 }, (_, i) => probe(rig, vendors[i % vendors.length] ?? 'okform')));
      states.push(...batch.map((p) => `${p.vendor}:${p.state}`));
    }
    expect(states).toHaveLength(50);
    expect(states.filter((s) => s === 'okform:sent')).toHaveLength(10);
    expect(states.filter((s) => s.endsWith('send_failed'))).toHaveLength(40);
    expect(rig.pool.openContexts()).toBe(0);
  }, 120_000);

  it('relaunches Chromium after it crashes', async () => {
    expect((await probe(rig, 'okform')).state).toBe('sent');
    const [main] = rig.pool.processIds();
    expect(main).toBeGreaterThan(0);
    process.kill(main ?? 0, 'SIGKILL');
    const after = await probe(rig, 'okform');
    expect(after.state, after.error_text ?? '').toBe('sent');
    const [relaunched] = rig.pool.processIds();
    expect(relaunched).not.toBe(main);
    expect(memoryOf(rig.pool.processIds())).toBeGreaterThan(0);
    expect(rig.pool.openContexts()).toBe(0);
  });

  // Playwright's own clean-up already covers close and a crash (this passes without the pool's removal too); what the
  // pool adds, removal at process exit before Playwright finishes, is what tests/e2e/demo-stop.test.ts checks.
  it('leaves no temporary profile behind, also of a Chromium that crashed', async () => {
    const pool = createBrowserPool({ maxChats: 1, logger: silentLogger });
    const profileOf = (): string => {
      const [main] = pool.processIds();
      const arg = readFileSync(`/proc/${main}/cmdline`, 'utf8')
        .split('\0')
        .find((a) => a.startsWith('--user-data-dir='));
      return arg?.slice('--user-data-dir='.length) ?? '';
    };
    await (await pool.newContext()).close();
    const first = profileOf();
    expect(existsSync(first)).toBe(true);
    process.kill(pool.processIds()[0] ?? 0, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await (await pool.newContext()).close();
    const second = profileOf();
    expect(second).not.toBe(first);
    await pool.close();
    expect([first, second].filter((dir) => existsSync(dir))).toEqual([]);
  });

  it('holds at most maxChats chat slots and hands them on in order', async () => {
    const pool = createBrowserPool({ maxChats: 2, logger: silentLogger });
    const first = await pool.chatSlot();
    const second = await pool.chatSlot();
    const order: string[] = [];
    const third = pool.chatSlot().then((release) => {
      order.push('third');
      return release;
    });
    const fourth = pool.chatSlot().then((release) => {
      order.push('fourth');
      return release;
    });
    const cancelled = new AbortController();
    const fifth = pool.chatSlot(cancelled.signal);
    expect(pool.chats()).toEqual({ open: 2, waiting: 3 });
    cancelled.abort();
    await expect(fifth).rejects.toThrow('chat slot');
    first();
    first();
    (await third)();
    second();
    (await fourth)();
    expect(order).toEqual(['third', 'fourth']);
    expect(pool.chats()).toEqual({ open: 0, waiting: 0 });
    await pool.close();
  });
});
