// Evidence from browser probes (screenshots, transcripts) under evidence/<token>/, and the page failures that carry it.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import type { Logger } from '../core/logger.ts';
import { ProbeError, type ErrorCode } from '../core/errors.ts';

export interface EvidenceFolder {
  dir: string;
  /** A full-page screenshot; undefined (and a log line) when the page can no longer be captured. */
  screenshot(page: Page, name: string): Promise<string | undefined>;
  writeJson(name: string, value: unknown): Promise<string>;
}

export function evidenceFolder(evidenceDir: string, token: string, logger: Logger): EvidenceFolder {
  const dir = join(evidenceDir, token.toLowerCase());
  const ready = mkdir(dir, { recursive: true });
  return {
    dir,
    async screenshot(page, name) {
      await ready;
      const path = join(dir, `${name}.jpg`);
      try {
        await page.screenshot({ path, type: 'jpeg', quality: 70, fullPage: true, timeout: 10_000 });
        return path;
      } catch (err) {
        logger.warn({ err, name }, 'screenshot failed');
        return undefined;
      }
    },
    async writeJson(name, value) {
      await ready;
      const path = join(dir, `${name}.json`);
      await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
      return path;
    },
  };
}

/** The first CAPTCHA selector present on the page or any of its frames, if one is. */
export async function findCaptcha(page: Page, selectors: readonly string[]): Promise<string | undefined> {
  if (selectors.length === 0) return undefined;
  const frames: Frame[] = page.frames();
  for (const frame of frames) {
    for (const selector of selectors) {
      const count = await frame
        .locator(selector)
        .count()
        .catch(() => 0);
      if (count > 0) return selector;
    }
  }
  return undefined;
}

/** A failed browser step as a ProbeError naming the step, the selector and the screenshot; the runner stores `evidence`. */
export function stepFailure(
  code: ErrorCode,
  what: { step: string; selector?: string | undefined; screenshot?: string | undefined; detail: string; cause?: unknown },
): ProbeError {
  const parts = [`${what.step}: ${what.detail}`];
  if (what.selector) parts.push(`selector ${JSON.stringify(what.selector)}`);
  parts.push(what.screenshot ? `screenshot ${what.screenshot}` : 'no screenshot could be taken');
  return new ProbeError(
    code,
    parts.join('; '),
    {
      step: what.step,
      selector: what.selector,
      screenshot: what.screenshot,
      evidence: what.screenshot ? [what.screenshot] : [],
    },
    { cause: what.cause },
  );
}

/** An element or page that did not show up in time (as opposed to a crash or a closed page). */
export function isTimeout(err: unknown): boolean {
  // Playwright's TimeoutError, told by name so this module does not load Playwright at start-up.
  return err instanceof Error && err.name === 'TimeoutError';
}
