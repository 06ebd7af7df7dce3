// Chat channel: opens a vendor's chat widget in a real browser, sends the probe, then watches the transcript (MutationObserver → binding) up to max_wait.
import { getMaxListeners, setMaxListeners } from 'node:events';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { ChannelModule, SendContext, SendResult } from './channel.ts';
import { channelSettingsSchemas, type ChatSelectors, type ChatSettings } from './settings.ts';
import { FirstReplyError, ProbeError, errorMessage } from '../core/errors.ts';
import { browserPoolOf } from '../browser/pool.ts';
import { evidenceFolder, findCaptcha, isTimeout, stepFailure, type EvidenceFolder } from '../browser/evidence.ts';
import { widgetSelectors } from './widget-presets.ts';
import { installChatObserver } from '../watch/chat-observer.ts';
import { createChatSession } from '../watch/chat-session.ts';

interface Scope {
  locator(selector: string): Locator;
}

/** The chat message we type: the template body, carrying the token. */
function chatText(body: string, token: string): string {
  return body.includes(token) ? body : `${body} (ref ${token})`;
}

/** Opens the widget on `page` (navigating first when asked); failures name the step, the selector and a screenshot. */
async function openWidget(
  page: Page,
  url: string,
  selectors: ChatSelectors,
  settings: ChatSettings,
  evidence: EvidenceFolder,
  navigate: boolean,
): Promise<Scope> {
  const timeout = settings.timeout;
  const fail = async (step: string, selector: string | undefined, detail: string, cause?: unknown) => {
    const captcha = await findCaptcha(page, settings.captcha_selectors);
    const screenshot = await evidence.screenshot(page, `failed-${step.replace(/[^a-z]+/gi, '-').replace(/-$/, '')}`);
    if (captcha) return stepFailure('CAPTCHA', { step, selector: captcha, screenshot, detail: 'the page asks for a CAPTCHA', cause });
    return stepFailure(isTimeout(cause) || cause === undefined ? 'SELECTOR_MISSING' : 'PAGE_FAILED', { step, selector, screenshot, detail, cause });
  };
  if (navigate) {
    try {
      await page.goto(url, { timeout, waitUntil: 'load' });
    } catch (err) {
      throw await fail('open page', undefined, `could not load ${url}: ${errorMessage(err)}`, err);
    }
  }
  const captcha = await findCaptcha(page, settings.captcha_selectors);
  if (captcha) throw await fail('open page', captcha, 'the page asks for a CAPTCHA');
  const scope: Scope = selectors.frame ? page.frameLocator(selectors.frame) : page;
  const input = scope.locator(selectors.input).first();
  const alreadyOpen = selectors.frame
    ? (await page.locator(selectors.frame).count()) > 0 && (await input.isVisible().catch(() => false))
    : await input.isVisible();
  if (!alreadyOpen && selectors.launcher) {
    const launcherScope: Scope = selectors.launcher_frame ? page.frameLocator(selectors.launcher_frame) : page;
    try {
      await launcherScope.locator(selectors.launcher).first().click({ timeout });
    } catch (err) {
      throw await fail('open widget (launcher)', selectors.launcher, `not clickable within ${timeout} ms (the page may have changed)`, err);
    }
  }
  if (selectors.frame) {
    try {
      await page.locator(selectors.frame).first().waitFor({ state: 'attached', timeout });
    } catch (err) {
      throw await fail('open widget (frame)', selectors.frame, `no widget frame within ${timeout} ms (the page may have changed)`, err);
    }
  }
  try {
    await input.waitFor({ state: 'visible', timeout });
  } catch (err) {
    throw await fail('open widget (input)', selectors.input, `no message box within ${timeout} ms (the widget may have changed)`, err);
  }
  return scope;
}

/** The chat's long watch takes the runner's shutdown signal when given one (the send's own signal has a short deadline). */
interface ChatSendResult extends SendResult {
  followUp: (shutdown?: AbortSignal) => Promise<void>;
}

export async function sendChat(ctx: SendContext<'chat'>): Promise<ChatSendResult> {
  const { probe, services, logger } = ctx;
  const { store, clock } = services;
  const settings: ChatSettings = ctx.channel;
  const selectors = widgetSelectors(settings.preset, settings.selectors);
  const pool = browserPoolOf(services);
  const evidence = evidenceFolder(services.evidenceDir, probe.token, logger);
  const text = chatText(ctx.message.body, probe.token);

  const release = await pool.chatSlot(ctx.signal).catch((err: unknown) => {
    throw new ProbeError('BROWSER_FAILED', `every chat slot stayed busy until the send deadline: ${errorMessage(err)}`, {}, { cause: err });
  });
  let context: BrowserContext | undefined;
  let handedOver = false;
  const abortSend = () => {
    void context?.close();
  };
  ctx.signal.addEventListener('abort', abortSend, { once: true });

  // What the transcript shows: our message, the vendor's replies (classified and recorded as they appear).
  const session = createChatSession({ probe, store, clock, logger, ownText: text, humanMinLatencyMs: settings.human_min_latency_ms });

  try {
    if (ctx.signal.aborted) throw new FirstReplyError('ABORTED', 'the probe was cancelled before the chat was opened');
    context = await pool.newContext();
    await installChatObserver(context, { inFrame: selectors.frame !== undefined, ...selectors }, (m) => session.observe(m));
    let page = await context.newPage();
    let scope = await openWidget(page, settings.url, selectors, settings, evidence, true);
    try {
      const input = scope.locator(selectors.input).first();
      await input.fill(text, { timeout: settings.timeout });
      if (selectors.send) await scope.locator(selectors.send).first().click({ timeout: settings.timeout });
      else await input.press('Enter', { timeout: settings.timeout });
    } catch (err) {
      const screenshot = await evidence.screenshot(page, 'failed-send');
      throw stepFailure(isTimeout(err) ? 'SELECTOR_MISSING' : 'PAGE_FAILED', {
        step: 'send message',
        selector: selectors.send ?? selectors.input,
        screenshot,
        detail: errorMessage(err).split('\n')[0] ?? '',
        cause: err,
      });
    }
    let timer: NodeJS.Timeout | undefined;
    const shown = await Promise.race([
      session.sent,
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), settings.timeout);
      }),
    ]);
    clearTimeout(timer);
    if (shown === undefined) {
      const screenshot = await evidence.screenshot(page, 'failed-transcript');
      throw stepFailure('SELECTOR_MISSING', {
        step: 'see our message in the transcript',
        selector: `${selectors.transcript} ${selectors.message}`,
        screenshot,
        detail: `our message did not appear within ${settings.timeout} ms (the transcript markup may have changed; the message may have been sent)`,
      });
    }
    // No screenshot here: capturing stalls the widget's renderer and would delay (and mis-time) the bot's instant answer.

    // Reconnects: a reload keeps the context (the observer is re-injected by the init script); a crash gets a new page.
    let chain: Promise<void> = Promise.resolve();
    let lost: (reason: string) => void = () => undefined;
    const lostSignal = new Promise<string>((resolve) => {
      lost = resolve;
    });
    let closing = false;
    const reconnect = (why: 'reload' | 'crash' | 'closed') => {
      if (closing) return;
      chain = chain.then(async () => {
        if (closing) return;
        const reconnects = session.reconnected();
        if (reconnects > settings.reconnects) return lost(`gave up after ${settings.reconnects} reconnects`);
        logger.warn({ why, reconnects }, 'chat page reconnecting');
        try {
          if (why !== 'reload') {
            page = await (context ?? (await pool.newContext())).newPage();
            watchPage(page);
          }
          scope = await openWidget(page, settings.url, selectors, settings, evidence, why !== 'reload');
        } catch (err) {
          logger.warn({ err }, 'chat reconnect failed');
          lost(`reconnect failed: ${errorMessage(err)}`);
        }
      });
    };
    const watchPage = (p: Page) => {
      p.on('load', () => reconnect('reload'));
      p.on('crash', () => reconnect('crash'));
      p.on('close', () => reconnect('closed'));
    };
    watchPage(page);

    const startedSentAt = shown;
    const openContext = context;
    handedOver = true;

    // Follow-ups (conversation rounds) are typed into this session while it is open; `saidFor` is the number of
    // human replies the latest one answered.
    let saidFor = 0;
    const sayWaiters = new Set<() => void>();
    const say = async (followUpText: string, signal: AbortSignal): Promise<number> => {
      if (closing) throw new ProbeError('NOT_FOUND', 'the chat closed before the follow-up');
      // Said from now on: the chat waits for the vendor's next reply instead of closing while we type.
      saidFor = Math.max(saidFor, session.humanReplies);
      for (const wake of [...sayWaiters]) wake();
      const showing = session.expectOutgoing(followUpText);
      const input = scope.locator(selectors.input).first();
      await input.fill(followUpText, { timeout: settings.timeout });
      if (selectors.send) await scope.locator(selectors.send).first().click({ timeout: settings.timeout });
      else await input.press('Enter', { timeout: settings.timeout });
      let giveUp: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      try {
        const at = await Promise.race([
          showing,
          new Promise<undefined>((resolve) => {
            giveUp = setTimeout(() => resolve(undefined), settings.timeout);
            onAbort = () => resolve(undefined);
            signal.addEventListener('abort', onAbort, { once: true });
          }),
        ]);
        if (at === undefined) throw new ProbeError('SEND_UNKNOWN', `the follow-up did not show in the transcript within ${settings.timeout} ms`);
        return at;
      } finally {
        clearTimeout(giveUp);
        if (onAbort) signal.removeEventListener('abort', onAbort);
      }
    };
    const saidAfter = (humans: number) =>
      new Promise<void>((resolve) => {
        const wake = () => {
          if (saidFor < humans) return;
          sayWaiters.delete(wake);
          resolve();
        };
        sayWaiters.add(wake);
        wake();
      });
    if ((ctx.template.follow_ups?.length ?? 0) > 0) services.openChats?.set(probe.id, say);

    const followUp = async (shutdown?: AbortSignal): Promise<void> => {
      // Without a shutdown signal of its own, the send's signal stops the watch, except for its send deadline.
      const stop = shutdown ?? ctx.signal;
      let timer: NodeJS.Timeout | undefined;
      let quiet: NodeJS.Timeout | undefined;
      let onStop: (() => void) | undefined;
      try {
        const deadline = startedSentAt + settings.max_wait;
        const ended = Promise.race([
          new Promise<string>((resolve) => {
            timer = setTimeout(() => resolve('max_wait'), Math.max(0, deadline - clock.now()));
          }),
          new Promise<string>((resolve) => {
            onStop = () => {
              if (shutdown || !isSendDeadline(ctx.signal.reason)) resolve('stopped');
            };
            if (stop.aborted) return onStop();
            // Every open chat listens to the one shutdown signal: dozens of listeners are expected, not a leak.
            if (getMaxListeners(stop) < 10_000) setMaxListeners(10_000, stop);
            stop.addEventListener('abort', onStop, { once: true });
          }),
          lostSignal,
        ]);
        let outcome = await Promise.race([session.human.then(() => 'human'), ended]);
        // After each person's reply the chat stays open follow_up_wait for the probe to answer it; after an answer,
        // until the next person's reply (or max_wait).
        while (outcome === 'human' && services.openChats && (ctx.template.follow_ups?.length ?? 0) > 0) {
          const humans = session.humanReplies;
          const next = await Promise.race([
            saidAfter(humans).then(() => 'said'),
            new Promise<string>((resolve) => {
              quiet = setTimeout(() => resolve('quiet'), settings.follow_up_wait);
            }),
            ended,
          ]);
          clearTimeout(quiet);
          if (next !== 'said') {
            if (next !== 'quiet') outcome = next;
            break;
          }
          outcome = await Promise.race([session.humanAfter(humans).then(() => 'human'), ended]);
        }
        closing = true;
        services.openChats?.delete(probe.id);
        const endedAt = Math.min(clock.now(), deadline);
        const finalShot = await evidence.screenshot(page, 'chat-end');
        await session.end(outcome, endedAt, evidence, finalShot);
      } finally {
        closing = true;
        services.openChats?.delete(probe.id);
        clearTimeout(timer);
        clearTimeout(quiet);
        if (onStop) stop.removeEventListener('abort', onStop);
        await openContext.close().catch((err: unknown) => logger.warn({ err }, 'closing the chat context failed'));
        release();
      }
    };
    return { sentAt: startedSentAt, evidence: [], followUp };
  } catch (err) {
    if (ctx.signal.aborted && !(err instanceof ProbeError))
      throw new FirstReplyError('ABORTED', `the chat probe passed its deadline: ${errorMessage(err)}`, {}, { cause: err });
    throw err;
  } finally {
    ctx.signal.removeEventListener('abort', abortSend);
    if (!handedOver) {
      await context?.close().catch((err: unknown) => logger.warn({ err }, 'closing the chat context failed'));
      release();
    }
  }
}

/** The runner's per-send deadline (AbortSignal.timeout) — it bounds the send, not the long wait that follows. */
function isSendDeadline(reason: unknown): boolean {
  return reason instanceof DOMException && reason.name === 'TimeoutError';
}

export const chatChannel: ChannelModule<'chat'> = {
  kind: 'chat',
  settings: channelSettingsSchemas.chat,
  // Its replies are watched inside the page by send's follow-up, not by a watcher of their own.
  needs: { browser: true, mailbox: false },
  scheduled: true,
  replySource: 'chat',
  send: sendChat,
  // A follow-up goes into the probe's chat session while it is open; a closed chat takes none.
  async answer(ctx) {
    const say = ctx.services.openChats?.get(ctx.probe.id);
    if (!say) throw new ProbeError('NOT_FOUND', 'the chat session is closed');
    return {
      to: ctx.channel.url,
      subject: '',
      body: ctx.text,
      send: async (signal) => ({ sentAt: await say(ctx.text, signal), copies: [] }),
    };
  },
  async reconcile() {
    return { outcome: 'unknown', note: 'a chat leaves no trace firstreply can look up; not resent' };
  },
};
