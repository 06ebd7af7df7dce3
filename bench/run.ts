// `npm run bench [-- NAME…]`: runs the benches and prints one JSON object per figure on stdout.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface Figure {
  bench: string;
  figure: string;
  value: number;
  unit: string;
  note?: string;
}

/** A bench module exports `run`, yielding its figures; progress goes to stderr. */
export type BenchRun = () => AsyncIterable<Figure> | Promise<Figure[]>;

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length > 0) {
  process.stderr.write(`unknown bench: ${unknown.join(', ')} (available: ${available.join(', ')})\n`);
  process.exit(2);
}
let failed = false;
for (const name of wanted.length > 0 ? wanted : available) {
  try {
    const mod: { run: BenchRun } = await import(pathToFileURL(join(here, `${name}.bench.ts`)).href);
    const figures = await mod.run();
    for await (const figure of figures) process.stdout.write(`${JSON.stringify(figure)}\n`);
  } catch (err) {
    failed = true;
    process.stderr.write(`bench ${name} failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  }
}
process.exit(failed ? 1 : 0);
