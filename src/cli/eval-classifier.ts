// `firstreply eval-classifier [dir…]`: measures the classifier (and the header-only baseline) on labeled .eml corpora.
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { classifyEmail, classifyHeadersOnly } from '../classify/classify-email.ts';
import { buildReport, classifyInOrder, formatReport, leaveOneSourceOut, loadCorpus, type CorpusMail, type Report } from '../classify/evaluate.ts';
import { fitModel } from '../classify/train.ts';

const usage = `usage: firstreply eval-classifier [dir…] [--corpus DIR]… [--by-source [--train-with DIR]…] [--json] [--errors] [--fast-reply-ms N]

Classifies every file listed in DIR/labels.tsv (and DIR/labels-*.tsv) and prints the confusion matrix, per-label
precision/recall, the false-human rate (automatic mail counted as human, the costly error) and the missed-human
rate (human mail not counted as human, "unknown" included), overall, per language and per source, for firstreply's
classifier and for a header-only baseline. Default dir: tests/fixtures/mail.

Labels: the development layout (file<TAB>label<TAB>reason[<TAB>key=value…]: delay=45s, probe=ID from
DIR/probes.json, vendor=SLUG) or a header naming the columns (filename, label, kind, source_repo, source_path,
source_commit, label_derivation). A file's source is its first folder (one folder per origin repository).

  --by-source    leave-one-source-out: each source is scored by a model trained without it (on the other
                 sources, plus every --train-with corpus); the shipped model is in-sample there and not shown
  --train-with   a corpus used for training only, never scored (e.g. the development fixtures)
  --json         one JSON document: {reports: Report[]}
  --errors       list every misclassified file with its expected and predicted label`;

export async function evaluateCorpora(dirs: readonly string[], fastReplyMs = 60_000): Promise<Report[]> {
  const reports: Report[] = [];
  for (const dir of dirs) {
    const mails = await loadCorpus(dir, fastReplyMs);
    reports.push(buildReport(dir, 'firstreply', classifyInOrder(mails, classifyEmail)));
    reports.push(buildReport(dir, 'header-only baseline', classifyInOrder(mails, classifyHeadersOnly)));
  }
  return reports;
}

/** Leave-one-source-out over each corpus, training on its other sources plus `trainWith`. */
export async function evaluateBySource(dirs: readonly string[], trainWith: readonly string[] = [], fastReplyMs = 60_000): Promise<Report[]> {
  const extra: CorpusMail[] = [];
  for (const dir of trainWith) extra.push(...(await loadCorpus(dir, fastReplyMs)));
  // The corpora are pooled: a source is one origin wherever its files sit (a folder of the same name in two corpora is
  // one source), and each is scored by a model trained on every other source.
  const mails: CorpusMail[] = [];
  for (const dir of dirs) mails.push(...(await loadCorpus(dir, fastReplyMs)).map((m) => ({ ...m, file: dirs.length > 1 ? `${dir}/${m.file}` : m.file })));
  const outcomes = leaveOneSourceOut(mails, (training) => {
    const model = fitModel([...training, ...extra]);
    return (mail, ctx) => classifyEmail(mail, ctx, model);
  });
  const name = dirs.join(' + ');
  return [
    buildReport(name, 'firstreply, leave-one-source-out', outcomes),
    buildReport(name, 'header-only baseline', classifyInOrder(mails, classifyHeadersOnly)),
  ];
}

export const evalClassifierCommand: Command = {
  summary: 'measure the reply classifier on labeled .eml corpora (confusion matrix, false-human rate, by source)',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      corpus: { type: 'string', multiple: true },
      'by-source': { type: 'boolean', default: false },
      'train-with': { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      errors: { type: 'boolean', default: false },
      'fast-reply-ms': { type: 'string' },
    });
    const dirs = [...positionals, ...(values.corpus ?? [])];
    const fastReplyMs = Number(values['fast-reply-ms'] ?? 60_000);
    const chosen = dirs.length > 0 ? dirs : ['tests/fixtures/mail'];
    const reports = values['by-source'] ? await evaluateBySource(chosen, values['train-with'] ?? [], fastReplyMs) : await evaluateCorpora(chosen, fastReplyMs);
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
