// Saves a screenshot of a running status page: `npx tsx scripts/screenshot.ts http://127.0.0.1:8080/ docs/status-page.png`.
// Used for the README's picture, taken from a live `firstreply demo` run (start the demo, wait a few minutes, run this).
import { chromium } from 'playwright-core';

const [url = 'http://127.0.0.1:8080/', out = 'docs/status-page.png', width = '1280', height = '1400'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: Number(width), height: Number(height) }, locale: 'en-US', colorScheme: 'light' });
  await page.goto(url, { waitUntil: 'networkidle' });
  // The page marks itself rendered once every row is in; bars are drawn as rows scroll into view, and the tall
  // viewport holds every row of the demo.
  await page.waitForSelector('body[data-rendered="true"]');
  await page.screenshot({ path: out });
  process.stdout.write(`saved ${out} (${width}×${height}) from ${url}\n`);
} finally {
  await browser.close();
}
