// One Chromium process (Debian's, via playwright-core) shared by web-form and chat probes: a context per probe, a cap on open chats.
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext } from 'playwright-core';
import type { Logger } from '../core/logger.ts';
import { FirstReplyError, ProbeError, errorMessage } from '../core/errors.ts';

/** Flags for a closed network: nothing phones home, nothing updates itself. */
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

interface BrowserPoolOptions {
  executable?: string;
  maxChats: number;
  logger: Logger;
}

export interface BrowserPool {
  /** A fresh, isolated context; the caller closes it in `finally`. Relaunches Chromium if it died. */
  newContext(): Promise<BrowserContext>;
  /** Waits for a free chat slot; the returned function frees it (calling it twice is harmless). */
  chatSlot(signal?: AbortSignal): Promise<() => void>;
  /** Contexts currently open (a leak shows here). */
  openContexts(): number;
  /** Chats holding a slot, and chats waiting for one. */
  chats(): { open: number; waiting: number };
  /** Process ids of the running Chromium and its children (for memory figures and crash drills). */
  processIds(): number[];
  close(): Promise<void>;
}

export function createBrowserPool(options: BrowserPoolOptions): BrowserPool {
  const executable = options.executable ?? '/usr/bin/chromium';
  const { logger } = options;
  // Chromium ignores switches it does not know; this one lets us find our own processes in /proc.
  const marker = `--firstreply-pool=${randomUUID()}`;
  let launching: Promise<Browser> | undefined;
  let closed = false;
  const contexts = new Set<BrowserContext>();
  let openChats = 0;
  const waiters: Array<() => void> = [];

  const launch = async (): Promise<Browser> => {
    // Signals are the composition root's to handle: open chats are censored and closed in order before the browser goes.
    // Playwright is loaded with the first browser probe, not at start-up (about a third of a second).
    const { chromium } = await import('playwright-core');
    const browser = await chromium
      .launch({ executablePath: executable, headless: true, args: [...chromiumArgs, marker], handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false })
      .catch((err: unknown) => {
        throw new ProbeError('BROWSER_FAILED', `could not start ${executable}: ${errorMessage(err)}`, {}, { cause: err });
      });
    browser.on('disconnected', () => {
      if (!closed) logger.warn('chromium disconnected; the next probe relaunches it');
      launching = undefined;
      contexts.clear();
    });
    logger.info({ version: browser.version() }, 'chromium started');
    rememberProfile();
    return browser;
  };

  // Playwright makes Chromium a temporary profile and removes it when the browser closes; a process that exits before
  // that (a second Ctrl-C, a crash) would leave it behind, so the pool removes it too, at close and at exit.
  const profiles = new Set<string>();
  const removeProfiles = (): void => {
    for (const dir of profiles) rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
    profiles.clear();
  };
  const rememberProfile = (): void => {
    const dir = profileDir(marker);
    if (!dir) return;
    if (profiles.size === 0) process.once('exit', removeProfiles);
    profiles.add(dir);
  };

  const browser = (): Promise<Browser> => {
    if (closed) return Promise.reject(new ProbeError('BROWSER_FAILED', 'the browser pool is closed'));
    if (!launching) {
      const attempt = launch();
      launching = attempt;
      attempt.catch(() => {
        if (launching === attempt) launching = undefined;
      });
    }
    return launching;
  };

  return {
    async newContext() {
      const open = async () => {
        let current = await browser();
        if (!current.isConnected()) {
          launching = undefined;
          current = await browser();
        }
        return { current, context: await current.newContext({ viewport: { width: 1024, height: 768 }, serviceWorkers: 'block' }) };
      };
      let context: BrowserContext;
      try {
        ({ context } = await open());
      } catch (first) {
        // Chromium may have died between our check and the request: relaunch once.
        if (closed || first instanceof ProbeError) throw first;
        const running = await launching?.catch(() => undefined);
        if (running?.isConnected()) throw new ProbeError('BROWSER_FAILED', `could not open a browser context: ${errorMessage(first)}`, {}, { cause: first });
        logger.warn({ err: first }, 'opening a context failed; relaunching chromium');
        launching = undefined;
        try {
          ({ context } = await open());
        } catch (err) {
          throw new ProbeError('BROWSER_FAILED', `could not open a browser context: ${errorMessage(err)}`, {}, { cause: err });
        }
      }
      contexts.add(context);
      context.on('close', () => contexts.delete(context));
      return context;
    },

    chatSlot(signal) {
      return new Promise((resolve, reject) => {
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          openChats--;
          waiters.shift()?.();
        };
        const take = () => {
          signal?.removeEventListener('abort', onAbort);
          openChats++;
          resolve(release);
        };
        const onAbort = () => {
          const at = waiters.indexOf(take);
          if (at >= 0) waiters.splice(at, 1);
          reject(new FirstReplyError('ABORTED', 'gave up waiting for a chat slot'));
        };
        if (signal?.aborted) return onAbort();
        if (openChats < options.maxChats) return take();
        signal?.addEventListener('abort', onAbort, { once: true });
        waiters.push(take);
      });
    },

    openContexts: () => contexts.size,
    chats: () => ({ open: openChats, waiting: waiters.length }),
    processIds: () => processTree(marker),

    async close() {
      closed = true;
      const current = launching;
      launching = undefined;
      if (!current) return;
      const running = await current.catch(() => undefined);
      if (!running) return;
      await Promise.allSettled([...contexts].map((c) => c.close()));
      await running.close().catch((err: unknown) => logger.warn({ err }, 'chromium did not close cleanly'));
      removeProfiles();
      process.off('exit', removeProfiles);
    },
  };
}

/** The process whose command line carries `marker`, and all its descendants (Linux /proc). */
function processTree(marker: string): number[] {
  const parents = new Map<number, number>();
  let root: number | undefined;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parents.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      if (root === undefined && readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(marker)) root = pid;
    } catch (err) {
      // A process that exited while we read /proc is simply not counted.
      if (!(err instanceof Error && 'code' in err)) throw err;
    }
  }
  if (root === undefined) return [];
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

/** The temporary profile (`--user-data-dir`) of the Chromium carrying `marker`, if it lies in the temp directory. */
function profileDir(marker: string): string | undefined {
  const root = processTree(marker)[0];
  if (root === undefined) return undefined;
  try {
    const arg = readFileSync(`/proc/${root}/cmdline`, 'utf8')
      .split('\0')
      .find((a) => a.startsWith('--user-data-dir='));
    const dir = arg?.slice('--user-data-dir='.length);
    return dir?.startsWith(`${tmpdir()}/`) ? dir : undefined;
  } catch (err) {
    if (!(err instanceof Error && 'code' in err)) throw err;
    return undefined;
  }
}

/** Resident memory (PSS, so shared pages are split fairly) of the given processes, in bytes. */
export function memoryOf(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const pss = /^Pss:\s+(\d+) kB/m.exec(rollup);
      total += Number(pss?.[1] ?? 0) * 1024;
    } catch (err) {
      if (!(err instanceof Error && 'code' in err)) throw err;
    }
  }
  return total;
}

/** The browser pool the composition root put into ChannelServices (typed `unknown` there to keep channel.ts free of Playwright). */
export function browserPoolOf(services: { browser?: unknown }): BrowserPool {
  const candidate = services.browser;
  if (isBrowserPool(candidate)) return candidate;
  throw new ProbeError('BROWSER_FAILED', 'no browser pool is configured for web-form and chat channels');
}

function isBrowserPool(value: unknown): value is BrowserPool {
  return typeof value === 'object' && value !== null && 'newContext' in value && typeof value.newContext === 'function' && 'chatSlot' in value;
}
