// `npm run build`: bundles the CLI and the worker threads' entries into dist/lib/ (esbuild) and copies the migrations
// beside them. dist/lib/ sits two levels below the repository like src/<dir>/, so paths resolved from a module's own
// URL (site/, probes/, node_modules) land where they do from the sources.
import { build, type BuildOptions } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'lib');
const src = join(root, 'src');

/**
 * Dependencies stay outside the bundle only where they must: a native addon (better-sqlite3), a package that finds its
 * own files by path at run time (playwright-core's browsers and drivers, node-cron's daemon), tsx (the sources' loader).
 * The rest is bundled: resolving and reading ~700 files of node_modules cost about a third of the start-up
 * (`npm run bench -- startup`).
 */
const external = ['better-sqlite3', 'playwright-core', 'node-cron', 'tsx', 'tsx/*'];

/** CommonJS dependencies in an ES module bundle ask for `require`, `__filename` and `__dirname`: each chunk gets its own. */
const banner = [
  "import { createRequire as __firstreplyRequire } from 'node:module';",
  "import { fileURLToPath as __firstreplyPath } from 'node:url';",
  "import { dirname as __firstreplyDir } from 'node:path';",
  'const require = __firstreplyRequire(import.meta.url);',
  'const __filename = __firstreplyPath(import.meta.url);',
  'const __dirname = __firstreplyDir(__filename);',
].join(' ');

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  banner: { js: banner },
  sourcemap: 'linked',
  logLevel: 'warning',
};

/** A worker entry without tsx: the module's own entry (.mjs) registers tsx and imports these, the bundle imports them directly. */
const workerEntry = (dir: string, lines: string[]) => ({
  contents: lines.join('\n'),
  resolveDir: join(src, dir),
  sourcefile: `${dir}-worker-entry.ts`,
  loader: 'ts' as const,
});

const started = performance.now();
rmSync(join(root, 'dist'), { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await Promise.all([
  // Split: what a command loads with import() (the demo's sandbox, mail libraries) is a chunk of its own, read when used.
  build({ ...common, entryPoints: [join(src, 'cli.ts')], outdir: out, splitting: true, chunkNames: 'chunk-[hash]' }),
  build({
    ...common,
    outfile: join(out, 'classify-worker.mjs'),
    stdin: workerEntry('classify', [
      "import { parentPort } from 'node:worker_threads';",
      "import { serveJobs } from './classify-worker.ts';",
      'if (parentPort) serveJobs(parentPort);',
    ]),
  }),
  build({
    ...common,
    outfile: join(out, 'status-worker.mjs'),
    stdin: workerEntry('server', [
      "import { parentPort, workerData } from 'node:worker_threads';",
      "import '../config/schema.ts';",
      "import { serveStatusJobs } from './status-worker.ts';",
      'if (parentPort) serveStatusJobs(parentPort, workerData);',
    ]),
  }),
]);
mkdirSync(join(out, 'migrations'));
for (const file of readdirSync(join(src, 'store', 'migrations'))) copyFileSync(join(src, 'store', 'migrations', file), join(out, 'migrations', file));
// Written last: bin/firstreply.js runs the build only when this stamp is newer than every source file.
writeFileSync(join(root, 'dist', 'built-at'), `${new Date().toISOString()}\n`);
process.stderr.write(`firstreply build: dist/lib in ${Math.round(performance.now() - started)} ms\n`);
