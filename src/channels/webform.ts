// Web-form channel: fills a vendor's ticket form in a real browser (declarative steps), sent_at = confirmation observed, ticket number captured.
import { dirname, isAbsolute, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { ChannelModule, OutgoingMessage, SendContext, SendResult } from './channel.ts';
import { channelSettingsSchemas, type WebformSettings, type WebformStep } from './settings.ts';
import { FirstReplyError, ProbeError, errorMessage } from '../core/errors.ts';
import { browserPoolOf } from '../browser/pool.ts';
import { evidenceFolder, findCaptcha, isTimeout, stepFailure, type EvidenceFolder } from '../browser/evidence.ts';
import { emailThread } from './email-thread.ts';

/** `{{token}}`, `{{subject}}`, `{{body}}`, `{{reply_to}}`, `{{message_id}}` in step values; the body always carries the token. */
function fillPlaceholders(text: string, message: OutgoingMessage): string {
  const body = message.body.includes(message.token) ? message.body : `${message.body}\n\nReference: ${message.token}`;
  const values: Record<string, string> = {
    token: message.token,
    subject: message.subject,
    body,
    reply_to: message.replyTo ?? '',
    message_id: message.messageId,
  };
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
}

/** A step's verb and what it acts on (a URL for goto, a selector otherwise; a fill inside a frame names the frame). */
function stepTarget(step: WebformStep): [string, string] {
  if ('goto' in step) return ['goto', step.goto];
  if ('fill' in step) return ['fill', step.frame ? `${step.frame} >> ${step.fill}` : step.fill];
  for (const verb of ['select', 'check', 'upload', 'click', 'hover', 'waitFor'] as const) {
    if (verb in step) return [verb, (step as Record<typeof verb, string>)[verb]];
  }
  return ['expectText', 'in' in step ? (step.in ?? 'body') : 'body'];
}

/** How a step reads in an error message: `step 3 (fill #message)`. */
function describeStep(step: WebformStep, index: number): { label: string; selector?: string } {
  const [verb, target] = stepTarget(step);
  return { label: `step ${index + 1} (${verb} ${target})`, ...(verb === 'goto' ? {} : { selector: target }) };
}

async function runStep(page: Page, step: WebformStep, ctx: SendContext<'webform'>, channel: WebformSettings, timeout: number): Promise<void> {
  const fill = (text: string) => fillPlaceholders(text, ctx.message);
  if ('goto' in step) {
    await page.goto(new URL(fill(step.goto), page.url() === 'about:blank' ? channel.url : page.url()).href, { timeout, waitUntil: 'load' });
  } else if ('fill' in step) {
    const scope = step.frame ? page.frameLocator(step.frame).first() : page;
    await scope.locator(step.fill).first().fill(fill(step.value), { timeout });
  } else if ('select' in step) {
    await page.locator(step.select).first().selectOption(fill(step.value), { timeout });
  } else if ('check' in step) {
    await page.locator(step.check).first().check({ timeout });
  } else if ('upload' in step) {
    const base = dirname(resolve(ctx.vendor.file));
    await page
      .locator(step.upload)
      .first()
      .setInputFiles(isAbsolute(step.file) ? step.file : resolve(base, step.file), { timeout });
  } else if ('click' in step) {
    await page.locator(step.click).first().click({ timeout });
  } else if ('hover' in step) {
    await page.locator(step.hover).first().hover({ timeout });
  } else if ('waitFor' in step) {
    await page
      .locator(step.waitFor)
      .first()
      .waitFor({ state: 'visible', timeout: step.timeout ?? timeout });
  } else {
    await page
      .locator(step.in ?? 'body', { hasText: fill(step.expectText) })
      .first()
      .waitFor({ state: 'visible', timeout });
  }
}

/** The ticket number in the confirmation text: the pattern's first group, or its whole match. */
function ticketFrom(text: string, pattern: string | undefined): string | undefined {
  if (!pattern) return undefined;
  const match = new RegExp(pattern).exec(text);
  return match ? (match[1] ?? match[0]).trim() : undefined;
}

async function fileTicket(ctx: SendContext<'webform'>, page: Page, evidence: EvidenceFolder): Promise<SendResult> {
  const { services } = ctx;
  const channel: WebformSettings = ctx.channel;
  const timeout = channel.timeout;
  const shots: string[] = [];
  const lastClick = channel.steps.map((s) => 'click' in s).lastIndexOf(true);
  const fail = async (code: 'SELECTOR_MISSING' | 'CAPTCHA' | 'PAGE_FAILED', step: string, selector: string | undefined, detail: string, cause?: unknown) => {
    const screenshot = await evidence.screenshot(
      page,
      `failed-${step
        .replace(/[^a-z0-9]+/gi, '-')
        .replace(/^-|-$/g, '')
        .toLowerCase()}`,
    );
    return stepFailure(code, { step, selector, screenshot, detail, cause });
  };
  const captcha = async (step: string) => {
    const found = await findCaptcha(page, channel.captcha_selectors);
    if (found) throw await fail('CAPTCHA', step, found, 'the page asks for a CAPTCHA; a person must file this channel or the vendor must allow the probe');
  };

  try {
    await page.goto(channel.url, { timeout, waitUntil: 'load' });
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    throw await fail('PAGE_FAILED', 'open form', undefined, `could not load ${channel.url}: ${errorMessage(err)}`, err);
  }
  await captcha('open form');
  for (const [index, step] of channel.steps.entries()) {
    const { label, selector } = describeStep(step, index);
    if (index === lastClick) {
      const filled = await evidence.screenshot(page, 'form-filled');
      if (filled) shots.push(filled);
    }
    try {
      await runStep(page, step, ctx, channel, timeout);
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      await captcha(label);
      if (isTimeout(err)) throw await fail('SELECTOR_MISSING', label, selector, `not found within ${timeout} ms (the page may have changed)`, err);
      throw await fail('PAGE_FAILED', label, selector, errorMessage(err), err);
    }
    if ('goto' in step || 'click' in step) await captcha(label);
  }
  const confirmation = page.locator(channel.confirmation.wait_for).first();
  try {
    await confirmation.waitFor({ state: 'visible', timeout });
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    await captcha('confirmation');
    throw await fail(
      'SELECTOR_MISSING',
      'confirmation',
      channel.confirmation.wait_for,
      `no confirmation within ${timeout} ms; the form may or may not have been filed`,
      err,
    );
  }
  const sentAt = services.clock.now();
  const text = await confirmation.innerText({ timeout }).catch(() => '');
  const ticketRef =
    ticketFrom(text, channel.confirmation.ticket_pattern) ??
    ticketFrom(
      await page
        .locator('body')
        .innerText({ timeout })
        .catch(() => ''),
      channel.confirmation.ticket_pattern,
    );
  if (channel.confirmation.ticket_pattern && !ticketRef)
    ctx.logger.warn({ pattern: channel.confirmation.ticket_pattern }, 'no ticket number on the confirmation page');
  const confirmed = await evidence.screenshot(page, 'confirmation');
  if (confirmed) shots.push(confirmed);
  return { sentAt, ...(ticketRef ? { ticketRef } : {}), evidence: shots };
}

export const webformChannel: ChannelModule<'webform'> = {
  kind: 'webform',
  settings: channelSettingsSchemas.webform,
  // Vendors answer a filed form by e-mail: its replies are caught by the watcher of its mailbox.
  needs: { browser: true, mailbox: true },
  scheduled: true,
  replySource: 'imap',
  // Follow-ups go through the e-mail thread the desk started.
  answer: (ctx) => emailThread.answer(ctx),
  reconcileAnswer: (ctx) => emailThread.reconcileAnswer(ctx),
  async send(ctx) {
    const pool = browserPoolOf(ctx.services);
    const evidence = evidenceFolder(ctx.services.evidenceDir, ctx.probe.token, ctx.logger);
    let context: BrowserContext | undefined;
    const abort = () => {
      void context?.close();
    };
    ctx.signal.addEventListener('abort', abort, { once: true });
    try {
      if (ctx.signal.aborted) throw new FirstReplyError('ABORTED', 'the probe was cancelled before the form was opened');
      context = await pool.newContext();
      const page = await context.newPage();
      return await fileTicket(ctx, page, evidence);
    } catch (err) {
      if (ctx.signal.aborted && !(err instanceof ProbeError))
        throw new FirstReplyError('ABORTED', `the form probe passed its deadline: ${errorMessage(err)}`, {}, { cause: err });
      throw err;
    } finally {
      ctx.signal.removeEventListener('abort', abort);
      await context?.close().catch((err: unknown) => ctx.logger.warn({ err }, 'closing the browser context failed'));
    }
  },
  async reconcile() {
    return { outcome: 'unknown', note: 'a web form leaves no trace firstreply can look up; a reply carrying the token still matches' };
  },
};
