// `firstreply eval-classifier [dir…]`: measures the classifier (and the header-only baseline) on labeled .eml corpora.
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { classifyEmail, classifyHeadersOnly } from '../classify/classify-email.ts';
import { buildReport, formatReport, runCorpus, type Report } from '../classify/evaluate.ts';

const usage = `usage: firstreply eval-classifier [dir…] [--corpus DIR]… [--json] [--errors] [--fast-reply-ms N]

Classifies every file listed in DIR/labels.tsv (file<TAB>label[<TAB>reason][<TAB>key=value…]; labels fine —
human, auto_ack, out_of_office, bounce, bot, marketing, system — or coarse — human, auto, bounce) and prints the
confusion matrix, per-label precision/recall, the false-human rate (automatic mail counted as human, the costly
error) and the missed-human rate (human mail not counted as human, "unknown" included), overall and per language,
for firstreply's classifier and for a header-only baseline. Default dir: tests/fixtures/mail.
Optional columns: delay=45s (arrival after our probe), probe=ID (from DIR/probes.json), vendor=SLUG.

  --json     one JSON document: {reports: Report[]}
  --errors   list every misclassified file with its expected and predicted label`;

export async function evaluateCorpora(dirs: readonly string[], fastReplyMs = 60_000): Promise<Report[]> {
  const reports: Report[] = [];
  for (const dir of dirs) {
    const outcomes = await runCorpus(dir, { firstreply: classifyEmail, 'header-only baseline': classifyHeadersOnly }, fastReplyMs);
    for (const [name, list] of Object.entries(outcomes)) reports.push(buildReport(dir, name, list));
  }
  return reports;
}

export const evalClassifierCommand: Command = {
  summary: 'measure the reply classifier on labeled .eml corpora (confusion matrix, false-human rate)',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      corpus: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      errors: { type: 'boolean', default: false },
      'fast-reply-ms': { type: 'string' },
    });
    const dirs = [...positionals, ...(values.corpus ?? [])];
    const reports = await evaluateCorpora(dirs.length > 0 ? dirs : ['tests/fixtures/mail'], Number(values['fast-reply-ms'] ?? 60_000));
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ reports }, null, 2)}\n`);
      return 0;
    }
    for (const report of reports) {
      process.stdout.write(`${formatReport(report)}\n`);
      if (values.errors) for (const e of report.errors) process.stdout.write(`    ${e.file}: expected ${e.expected}, got ${e.predicted} (${e.confidence})\n`);
      process.stdout.write('\n');
    }
    return 0;
  },
};
