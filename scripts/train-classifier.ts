// `npm run train-classifier [-- --corpus DIR]… [--train-with DIR]…`: fits the reply classifier's model on labeled
// corpora (by default the real ones present: ../shared/corpus and what `npm run corpus:fetch` materialised) and
// writes its numbers to src/classify/model-weights.ts (reviewed and committed like code).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadCorpus } from '../src/classify/evaluate.ts';
import { fitModel } from '../src/classify/train.ts';
import { defaultTrainOptions } from '../src/classify/model.ts';
import { fetchedCorpusDir, realCorpora } from '../src/classify/corpora.ts';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', multiple: true, default: realCorpora() },
    'train-with': { type: 'string', multiple: true, default: ['tests/fixtures/mail'] },
    out: { type: 'string', default: 'src/classify/model-weights.ts' },
  },
});
const mails = [];
for (const dir of [...values.corpus, ...values['train-with']]) mails.push(...(await loadCorpus(dir)));
const model = fitModel(mails);
const inDomain = mails.filter((m) => !m.outOfDomain);
const sources: Record<string, { human: number; automatic: number }> = {};
for (const m of inDomain) {
  const s = (sources[m.source] ??= { human: 0, automatic: 0 });
  if (m.expected === 'human') s.human++;
  else s.automatic++;
}
// The fetched corpus is named by its manifest, not by a path on this machine.
const named = (dir: string): string => (dir === fetchedCorpusDir() ? 'tests/corpus/external.tsv (npm run corpus:fetch)' : dir);
const trainedOn = { corpora: [...values.corpus, ...values['train-with']].map(named), mails: inDomain.length, options: defaultTrainOptions, sources };
const body = JSON.stringify({ ...model, trainedOn }, null, 2);
const file = values.out;
const text = readFileSync(file, 'utf8');
const marker = 'export const shippedModel: ClassifierModel = ';
const start = text.indexOf(marker);
if (start < 0) throw new Error(`${file}: no "${marker}"`);
// Written as the formatter writes it (the model file's own settings), so it passes `npm run lint` as committed.
const formatted = execFileSync('node_modules/.bin/biome', ['format', '--stdin-file-path=src/classify/model-weights.ts'], {
  input: `${text.slice(0, start)}${marker}${body};\n`,
  encoding: 'utf8',
});
writeFileSync(file, formatted);
process.stdout.write(`wrote ${file}: ${Object.keys(model.weights).length} weights from ${inDomain.length} mails in ${Object.keys(sources).length} sources\n`);
