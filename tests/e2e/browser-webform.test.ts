import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRig, formVendor, probe, evidenceOf, type BrowserRig } from './browser-setup.ts';
import type { SiteEvent } from '../../src/sandbox/vendor-site.ts';

let rig: BrowserRig;

beforeAll(async () => {
  rig = await startRig([
    formVendor('formco', {
      ticket_prefix: 'FORM',
      replies: [
        { after: 200, kind: 'ack' },
        { after: 700, kind: 'human', agent: 'Priya' },
      ],
    }),
    formVendor('changedco', { variant: 'changed_markup' }, 800),
    formVendor('captchaco', { variant: 'captcha' }),
  ]);
});
afterAll(async () => {
  await rig?.stop();
});

const filed =
  (token: string) =>
  (e: SiteEvent): e is Extract<SiteEvent, { kind: 'ticket_filed' }> =>
    e.kind === 'ticket_filed' && e.token === token;

const mailed =
  (token: string, reply: 'ack' | 'human') =>
  (e: SiteEvent): e is Extract<SiteEvent, { kind: 'mail_sent' }> =>
    e.kind === 'mail_sent' && e.token === token && e.reply === reply;

describe('web-form probe in Chromium against the sandbox site', () => {
  it('files the multi-step form with the token and reply-to, captures the ticket number and keeps screenshots', async () => {
    const before = Date.now();
    const p = await probe(rig, 'formco');
    const after = Date.now();
    expect(p.state, p.error_text ?? '').toBe('sent');
    const truth = await rig.site.waitFor(filed(p.token));
    expect(truth.replyTo).toBe(`probes+${p.token.toLowerCase()}@firstreply.test`);
    expect(p.ticket_ref).toBe(truth.ticket);
    expect(truth.ticket).toMatch(/^FORM-\d+$/);
    // sent_at is when the confirmation showed: after the site filed the ticket, before the probe's send returned.
    expect(p.sent_at ?? 0).toBeGreaterThanOrEqual(truth.at);
    expect(p.sent_at ?? 0).toBeLessThanOrEqual(after);
    expect(truth.at).toBeGreaterThanOrEqual(before);
    const evidence = evidenceOf(p);
    expect(evidence.map((e) => e.split('/').pop())).toEqual(['form-filled.jpg', 'confirmation.jpg']);
    for (const path of evidence) expect(existsSync(path)).toBe(true);
    expect(rig.pool.openContexts()).toBe(0);

    // The simulated vendor then answers by e-mail to the reply-to address, carrying the ticket number and our token.
    // Both sent (the ack is scheduled first, but on a loaded machine its SMTP hand-off can end after the answer's).
    const human = await rig.site.waitFor(mailed(p.token, 'human'));
    const ack = await rig.site.waitFor(mailed(p.token, 'ack'));
    expect([ack.to, human.to]).toEqual([truth.replyTo, truth.replyTo]);
    const mails = rig.mails.filter((m) => m.subject?.includes(truth.ticket));
    expect(mails).toHaveLength(2);
    for (const mail of mails) {
      expect(mail.text).toContain(p.token);
      expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe(truth.replyTo);
    }
    expect(mails.find((m) => m.headers.get('auto-submitted') === 'auto-replied')?.text).toContain('automatic confirmation');
  });

  it('fails as send_failed naming the step, the selector and a screenshot when the form changed', async () => {
    const p = await probe(rig, 'changedco');
    expect(p.state).toBe('send_failed');
    expect(p.error_code).toBe('SELECTOR_MISSING');
    expect(p.error_text).toContain('step 1 (fill #name)');
    expect(p.error_text).toContain('selector "#name"');
    const [shot] = evidenceOf(p);
    expect(shot).toMatch(/failed-step-1-fill-name\.jpg$/);
    expect(existsSync(shot ?? '')).toBe(true);
    expect(p.error_text).toContain(shot);
    expect(rig.pool.openContexts()).toBe(0);
    expect(rig.site.events().some((e) => e.kind === 'ticket_filed' && e.vendor === 'changedco')).toBe(false);
  });

  it('recognises a CAPTCHA and fails without filing anything', async () => {
    const p = await probe(rig, 'captchaco');
    expect(p.state).toBe('send_failed');
    expect(p.error_code).toBe('CAPTCHA');
    expect(p.error_text).toContain('open form');
    expect(p.error_text).toContain('.g-recaptcha');
    expect(existsSync(evidenceOf(p)[0] ?? '')).toBe(true);
    expect(rig.pool.openContexts()).toBe(0);
  });
});
