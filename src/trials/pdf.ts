// A trial report as PDF: the self-contained HTML report printed by Chromium (its print stylesheet), A4 with page numbers.
import type { BrowserPool } from '../browser/pool.ts';

interface PdfOptions {
  /** Footer text beside the page numbers (plain text). */
  footer?: string;
  /** Gives up after this long (ms): a page that never finishes loading must not hang the export. */
  timeoutMs?: number;
}

const footerEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Prints one self-contained HTML document (no network: the report has none) to PDF bytes. */
export async function printPdf(pool: Pick<BrowserPool, 'newContext'>, html: string, options: PdfOptions = {}): Promise<Buffer> {
  const timeout = options.timeoutMs ?? 60_000;
  const context = await pool.newContext();
  try {
    // The report needs nothing from anywhere: every request is refused, so a stray link or image cannot phone out.
    await context.route('**/*', (route) => route.abort());
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load', timeout });
    await page.emulateMedia({ media: 'print' });
    const footer = (options.footer ?? '').replace(/[&<>"']/g, (c) => footerEscapes[c] ?? c);
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: `<div style="font-size:7pt;width:100%;padding:0 12mm;color:#555;display:flex;justify-content:space-between"><span>${footer}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`,
      margin: { top: '14mm', bottom: '16mm', left: '12mm', right: '12mm' },
      outline: true,
    });
  } finally {
    await context.close();
  }
}
