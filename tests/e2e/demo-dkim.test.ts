// The demo signs its sandbox vendors' replies with keys made at start and published by its own loopback name server:
// a demo reply's stored DKIM verdict is pass, and the evidence viewer says who signed it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/config/load.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { demoCatalogDir, demoSigningDomains, startDemo, type Demo } from '../../src/sandbox/demo.ts';

const adminToken = 'demo-dkim-test-token-0123456789';
let demo: Demo | undefined;
let dataDir: string | undefined;

afterAll(async () => {
  await demo?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
});

interface SignedReply {
  messageId: number;
  probeId: number;
  vendor: string;
  result: string;
  domain: string | null;
}

describe('demo replies signed with DKIM', () => {
  it('signs every desk and form domain of the sandbox vendors', () => {
    const domains = demoSigningDomains(loadCatalog(demoCatalogDir, { mailSecrets: false }));
    expect(domains).toEqual(expect.arrayContaining(['snappy.demo', 'thorough.demo', 'helpdeskly.demo']));
  });

  it("stores pass for a demo reply, verified against the demo's own name server, and the viewer says so", async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'firstreply-demo-dkim-'));
    demo = await startDemo({ port: 0, host: '127.0.0.1', dataDir, logger: silentLogger, adminToken, onAlert: () => {} });
    const { store } = demo.running;
    const signedReplies = store.db.prepare<
      [],
      SignedReply
    >(`SELECT m.id AS messageId, m.probe_id AS probeId, c.vendor AS vendor, d.result AS result, d.domain AS domain
      FROM message_dkim d JOIN messages m ON m.id = d.message_id JOIN probes p ON p.id = m.probe_id JOIN channels c ON c.id = p.channel_id ORDER BY m.id`);
    const deadline = Date.now() + 150_000;
    let replies: SignedReply[] = [];
    while (!replies.some((r) => r.vendor === 'snappy')) {
      if (Date.now() > deadline) throw new Error(`no reply of Snappy verified in time: ${JSON.stringify(replies)}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      replies = signedReplies.all();
    }
    const snappy = replies.find((r) => r.vendor === 'snappy');
    expect(snappy).toMatchObject({ result: 'pass', domain: 'snappy.demo' });
    // Bounces are written raw by the simulated mail system and stay unsigned; nothing a vendor sent fails or goes unchecked.
    for (const r of replies) expect(['pass', 'none']).toContain(r.result);
    const page = await fetch(`${demo.url}/admin/probe/${snappy?.probeId}?lang=en`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('signed by snappy.demo, verified at receipt');
  }, 240_000);
});
