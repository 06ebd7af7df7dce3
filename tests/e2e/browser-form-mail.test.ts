// A web-form probe end to end: Chromium files the sandbox form, the simulated vendor e-mails an ack and a human answer
// through a real mail stack (SMTP → Dovecot), and the IMAP watcher matches both to the probe at their true times.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { startMailStack, type MailStack } from '../../src/sandbox/mail-stack.ts';
import { createMailWatcher, type MailWatcher } from '../../src/watch/imap.ts';
import { startRig, formVendor, probe, type BrowserRig } from './browser-setup.ts';
import { until } from '../integration/email-fixtures.ts';
import type { SiteEvent } from '../../src/sandbox/vendor-site.ts';

let stack: MailStack;
let rig: BrowserRig;
let watcher: MailWatcher;
let mailDir: string;

beforeAll(async () => {
  mailDir = mkdtempSync(join(tmpdir(), 'fr-form-mail-'));
  const user = { user: 'probes', pass: 'form-pass', address: 'probes@firstreply.test' };
  stack = await startMailStack({ dir: mailDir, users: [user] });
  rig = await startRig(
    [
      formVendor('mailform', {
        ticket_prefix: 'MF',
        replies: [
          { after: 300, kind: 'ack' },
          { after: 1500, kind: 'human', agent: 'Priya' },
        ],
      }),
    ],
    { mail: { smtp: stack.smtp, imap: stack.imap, ...user } },
  );
  watcher = createMailWatcher({ store: rig.store, settings: rig.catalog.settings, mailbox: 'default', clock: systemClock, logger: silentLogger });
  await watcher.start();
});
afterAll(async () => {
  await watcher?.stop();
  await rig?.stop();
  await stack?.stop();
  rmSync(mailDir, { recursive: true, force: true });
});

type Mailed = Extract<SiteEvent, { kind: 'mail_sent' }>;

describe('web-form probe with e-mail replies', () => {
  it('captures the ticket number, then matches the ack and the human answer by e-mail within 1 s of the truth', async () => {
    const sent = await probe(rig, 'mailform');
    expect(sent.state, sent.error_text ?? '').toBe('sent');
    expect(sent.ticket_ref).toMatch(/^MF-\d+$/);
    const answered = await until(
      rig.store,
      () => {
        // Both replies recorded: under load the watcher may store the answer before the acknowledgement.
        const p = rig.store.probes.get(sent.id);
        return p?.state === 'answered' && p.first_ack_at !== null ? p : undefined;
      },
      20_000,
      'the form probe to be answered by e-mail and its acknowledgement recorded',
    );
    const mailed = (reply: 'ack' | 'human') =>
      rig.site.events().find((e): e is Mailed => e.kind === 'mail_sent' && e.token === sent.token && e.reply === reply);
    const ack = mailed('ack');
    const human = mailed('human');
    expect(ack?.ticket).toBe(sent.ticket_ref);
    expect(Math.abs((answered.first_ack_at ?? 0) - (ack?.at ?? 0))).toBeLessThan(1000);
    expect(Math.abs((answered.first_human_at ?? 0) - (human?.at ?? 0))).toBeLessThan(1000);
    const messages = rig.store.messages.forProbe(sent.id);
    expect(messages.map((m) => m.effective_label)).toEqual(['auto_ack', 'human']);
    expect(messages.every((m) => m.source === 'imap' && m.match_method !== null)).toBe(true);
  });
});
