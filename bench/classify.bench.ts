// Classifier bench: parse + classify throughput on the fixture corpus, and the accuracy figures of the evaluation.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Figure } from './run.ts';
import { parseMail } from '../src/classify/parse.ts';
import { classifyEmail } from '../src/classify/classify-email.ts';
import { readLabels } from '../src/classify/evaluate.ts';
import { evaluateCorpora } from '../src/cli/eval-classifier.ts';

const dev = 'tests/fixtures/mail';
const pct = (ratio: number) => Math.round(ratio * 10000) / 100;
const external = join('..', 'shared', 'corpus');

export async function run(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const raws = readLabels(dev).map((l) => readFileSync(join(dev, l.file)));
  const rounds = 10;
  let started = performance.now();
  const parsed = [];
  for (let r = 0; r < rounds; r++) for (const raw of raws) parsed.push(await parseMail(raw));
  const parseMs = performance.now() - started;
  figures.push({ bench: 'classify', figure: 'parse throughput', value: Math.round(parsed.length / (parseMs / 1000)), unit: 'msgs/s' });
  started = performance.now();
  const ctx = { receivedAt: Date.UTC(2026, 2, 10), fastReplyMs: 60_000 };
  for (const mail of parsed) classifyEmail(mail, ctx);
  const classifyMs = performance.now() - started;
  figures.push({ bench: 'classify', figure: 'classify throughput', value: Math.round(parsed.length / (classifyMs / 1000)), unit: 'msgs/s' });
  figures.push({ bench: 'classify', figure: 'parse+classify throughput', value: Math.round(parsed.length / ((parseMs + classifyMs) / 1000)), unit: 'msgs/s' });

  const dirs = existsSync(join(external, 'labels.tsv')) ? [dev, external] : [dev];
  for (const report of await evaluateCorpora(dirs)) {
    const name = `${report.corpus === dev ? 'dev' : 'external'} ${report.classifier}`;
    const o = report.overall;
    figures.push({ bench: 'classify', figure: `${name} accuracy`, value: pct(o.accuracy), unit: '%', note: `${o.n} mails, ${report.granularity} labels` });
    figures.push({ bench: 'classify', figure: `${name} false-human`, value: pct(o.falseHuman), unit: '%', note: `${o.falseHumanCount}/${o.automaticCount}` });
    figures.push({ bench: 'classify', figure: `${name} missed-human`, value: pct(o.missedHuman), unit: '%', note: `${o.missedHumanCount}/${o.humanCount} (${o.humanUnknown} unknown)` });
  }
  return figures;
}
