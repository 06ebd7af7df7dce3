// `firstreply trial plan|report <id>`: what a trial's schedules and caps will give, and its report as HTML, CSV or JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Command } from './command.ts';
import { UsageError, parseCommandArgs } from './command.ts';
import { loadCatalog } from '../config/load.ts';
import { formatDuration, systemClock } from '../core/clock.ts';
import { FirstReplyError } from '../core/errors.ts';
import { openStore } from '../store/db.ts';
import { findTrial, loadTrials, type Trial } from '../trials/load.ts';
import { planTrial, type TrialPlan } from '../trials/plan.ts';
import { collectTrialReport, observedSpreads } from '../trials/collect.ts';
import { renderTrialHtml, renderTrialReport, reportFormats, type ReportFormat } from '../trials/render.ts';
import { reportLanguageOf, reportLanguages } from '../trials/report-text.ts';
import { printPdf } from '../trials/pdf.ts';
import { createBrowserPool } from '../browser/pool.ts';
import { silentLogger } from '../core/logger.ts';

const usage = `usage: firstreply trial plan <id> [--dir probes] [--db PATH] [--json]
       firstreply trial report <id> --format html|pdf|csv|json [--lang en|zh-CN] [--out FILE] [--dir probes] [--db PATH]
       (firstreply report <id> … is the same as firstreply trial report <id> …)

A trial is probes/trials/<id>.yaml: a name, vendors (private ones too), channels and tiers, start and end, optional
weights and the team's own SLA targets.
  plan    how many probes each vendor × channel × tier gets in the window from the schedules and rate caps, the 95 %
          interval to expect for its median (from the spread seen so far in the store, else the trial's assumption),
          and a warning for every cell that cannot reach a decision in the window
  report  a decision summary per vendor, the ranking with the trial's weights and every probe with links to its
          evidence: html (self-contained, printable), pdf (that page printed by Chromium, settings browser.executable;
          needs --out), csv (one row per probe) or json; to stdout without --out; --lang zh-CN writes the html and pdf
          in Simplified Chinese (csv and json are the same in every language)`;

function formatPlan(plan: TrialPlan, trial: Trial): string {
  const lines = [
    `trial ${trial.id} — ${trial.name}: ${new Date(plan.from).toISOString()} – ${new Date(plan.to).toISOString()} (${trial.timezone})`,
    `a median counts as decided when its 95 % interval spans at most ×${plan.decisionRatio} (high / low)`,
    '',
  ];
  for (const c of plan.channels) {
    lines.push(
      `${c.vendor}/${c.channel} (${c.kind}): ${c.unscheduled ?? `${c.slots - c.refusedByCaps} probes (${c.slots} scheduled, ${c.refusedByCaps} refused by caps)`}`,
    );
    for (const cell of plan.cells.filter((x) => x.vendor === c.vendor && x.channel === c.channel)) {
      const interval =
        cell.expectedInterval === null
          ? 'no interval (no answers expected)'
          : `interval ×${cell.expectedRatio?.toFixed(1)}: ${formatDuration(cell.expectedInterval.lowMs)} – ${formatDuration(cell.expectedInterval.highMs)} around ${formatDuration(cell.expectedInterval.medianMs)}`;
      const basis =
        cell.basis === 'store'
          ? `spread from ${cell.spread.answered} answered probes in the store`
          : `assumed: median ${formatDuration(cell.spread.medianMs)}, spread ×${Math.exp(cell.spread.sigma).toFixed(1)}, ${Math.round(cell.spread.noReplyShare * 100)} % no reply`;
      lines.push(
        `  ${cell.tier}: ${cell.planned} probes, ~${cell.expectedAnswered.toFixed(1)} answered, ${interval}; ${cell.decided ? 'decided' : `NOT decided (about ${cell.neededForDecision} needed)`} [${basis}]`,
      );
    }
  }
  lines.push('');
  if (plan.warnings.length === 0) lines.push('every cell can reach a decision in the window');
  for (const w of plan.warnings) lines.push(`warning: ${w}`);
  return `${lines.join('\n')}\n`;
}

function isFormat(text: string): text is ReportFormat {
  return reportFormats.some((f) => f === text);
}

/** The report's HTML printed to PDF by a Chromium of its own, closed before returning. */
async function reportPdf(html: string, executable: string, footer: string): Promise<Buffer> {
  const pool = createBrowserPool({ executable, maxChats: 1, logger: silentLogger });
  try {
    return await printPdf(pool, html, { footer });
  } finally {
    await pool.close();
  }
}

export const trialCommand: Command = {
  summary: 'plan a vendor trial (probes and expected intervals) and export its report (html, pdf, csv, json)',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      dir: { type: 'string', default: 'probes' },
      db: { type: 'string' },
      json: { type: 'boolean', default: false },
      format: { type: 'string' },
      out: { type: 'string' },
      lang: { type: 'string', default: 'en' },
    });
    const [action, id, ...extra] = positionals;
    if (action !== 'plan' && action !== 'report') throw new UsageError('give plan or report: firstreply trial plan <id>');
    if (id === undefined || extra.length > 0) throw new UsageError(`give one trial id: firstreply trial ${action} <id>`);
    const catalog = loadCatalog(values.dir, { mailSecrets: false });
    const trials = loadTrials(catalog);
    const trial = findTrial(trials, id);
    if (!trial)
      throw new FirstReplyError('NOT_FOUND', `no trial "${id}" in ${join(values.dir, 'trials')} (known: ${trials.map((t) => t.id).join(', ') || 'none'})`);
    const now = systemClock.now();
    const store = openStore(resolve(values.db ?? catalog.settings.database), systemClock);
    try {
      if (action === 'plan') {
        const plan = planTrial({ trial, vendors: catalog.vendors, observed: observedSpreads(store, trial, now) });
        process.stdout.write(values.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlan(plan, trial));
        return 0;
      }
      const format = values.format ?? 'html';
      if (format !== 'pdf' && !isFormat(format)) throw new UsageError(`--format: use one of ${[...reportFormats, 'pdf'].join(', ')}`);
      if (format === 'pdf' && values.out === undefined) throw new UsageError('--format pdf needs --out FILE');
      const lang = reportLanguageOf(values.lang);
      if (lang === undefined) throw new UsageError(`--lang: use one of ${reportLanguages.join(', ')}`);
      const evidenceDir = resolve(catalog.settings.evidence_dir);
      const report = collectTrialReport(store, trial, { now, evidenceDir });
      const outDir = values.out !== undefined ? dirname(resolve(values.out)) : process.cwd();
      const evidenceHref = (file: string) => relative(outDir, join(evidenceDir, file)).split(sep).map(encodeURIComponent).join('/');
      const text =
        format === 'pdf'
          ? await reportPdf(renderTrialHtml(report, { evidenceHref, lang }), catalog.settings.browser.executable, `${trial.name} — ${trial.id}`)
          : renderTrialReport(report, format, { evidenceHref, lang });
      if (values.out === undefined) process.stdout.write(text);
      else {
        mkdirSync(outDir, { recursive: true });
        writeFileSync(values.out, text);
        process.stderr.write(`wrote ${values.out} (${report.vendors.length} vendors, ${report.probes.length} probes)\n`);
      }
      return 0;
    } finally {
      store.close();
    }
  },
};
