// `firstreply probe` against the demo catalog and a real mail stack: one probe sent now, its token printed.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeCommand } from '../../src/cli/probe.ts';
import { startMailStack, type MailStack } from '../../src/sandbox/mail-stack.ts';
import { openStore } from '../../src/store/db.ts';
import { systemClock } from '../../src/core/clock.ts';
import { FirstReplyError } from '../../src/core/errors.ts';

let stack: MailStack | undefined;
let dir: string | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  stack = dir = undefined;
});

describe('firstreply probe', () => {
  it('sends one probe through the vendor channel and prints its token; unknown channels are bad input', async () => {
    dir = mkdtempSync(join(tmpdir(), 'firstreply-cli-'));
    stack = await startMailStack({ dir, users: [{ user: 'probes', pass: 'demo', address: 'probes@firstreply.demo' }] });
    const received: string[] = [];
    stack.onOutbound((mail) => {
      received.push(mail.raw.toString('utf8'));
    });
    vi.stubEnv('FR_DEMO_SMTP_PORT', String(stack.smtp.port));
    vi.stubEnv('FR_DEMO_IMAP_PORT', String(stack.imap.port));
    vi.stubEnv('FR_DEMO_DB', join(dir, 'cli.db'));
    vi.stubEnv('FR_DEMO_EVIDENCE', join(dir, 'evidence'));
    vi.stubEnv('FR_DEMO_SITE_URL', 'http://127.0.0.1:9');
    vi.stubEnv('LOG_LEVEL', 'silent');
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });

    const code = await probeCommand.run(['swiftcdn', 'email', '--dir', 'probes/demo', '--template', 'demo-latency', '--json']);
    expect(code).toBe(0);
    const printed: unknown = JSON.parse(out.join(''));
    expect(printed).toMatchObject({ vendor: 'swiftcdn', channel: 'email', template: 'demo-latency', state: 'sent' });
    const token = printed && typeof printed === 'object' && 'token' in printed ? String(printed.token) : '';
    expect(token).toMatch(/^FR-[2-9A-HJKMNP-TV-Z]{10}$/);
    expect(received).toHaveLength(1);
    expect(received[0]).toContain(token);
    expect(received[0]).toContain('To: support@swiftcdn.demo');

    const store = openStore(join(dir, 'cli.db'), systemClock);
    expect(store.probes.byToken(token)?.state).toBe('sent');
    store.close();

    await expect(probeCommand.run(['swiftcdn', 'fax', '--dir', 'probes/demo'])).rejects.toBeInstanceOf(FirstReplyError);
  });
});
