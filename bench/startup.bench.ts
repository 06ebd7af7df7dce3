// Start-up: from process start to the first 200 on /healthz, the built code (dist/) beside the TypeScript sources
// through tsx, alternating in the same run. `start` on a one-vendor catalog in a temp dir.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePhoneCatalog } from '../tests/helpers/phone-catalog.ts';
import type { Figure } from './run.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/firstreply.js');
const rounds = Number(process.env.BENCH_STARTUP_ROUNDS ?? 5);

/** Milliseconds from spawning `firstreply start` to its first 200 on /healthz. */
async function healthzMs(catalog: string, fromSource: boolean): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [bin, 'start', catalog, '--port', '0'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'error', ...(fromSource ? { FIRSTREPLY_FROM_SOURCE: '1' } : {}) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`firstreply start exited with ${code}: ${out}`)));
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const match = /status page at (http:\/\/[^/\s]+)\//.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
    });
    for (;;) {
      const res = await fetch(`${url}/healthz`).catch(() => undefined);
      if (res?.status === 200) return performance.now() - started;
    }
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

export async function run(): Promise<Figure[]> {
  const build = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/build.ts')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  const [code] = await once(build, 'exit');
  if (code !== 0) throw new Error(`npm run build failed (${code})`);
  const dir = mkdtempSync(join(tmpdir(), 'firstreply-startup-'));
  try {
    writePhoneCatalog(dir);
    await healthzMs(dir, false); // the first start creates the database and warms the file cache for both
    const built: number[] = [];
    const source: number[] = [];
    for (let i = 0; i < rounds; i++) {
      built.push(await healthzMs(dir, false));
      source.push(await healthzMs(dir, true));
    }
    const note = (values: number[]) =>
      `median of ${rounds} alternating starts (${values.map(Math.round).join(', ')} ms): node bin/firstreply.js start, one-vendor catalog, until /healthz answers 200`;
    const builtMs = median(built);
    const sourceMs = median(source);
    return [
      { bench: 'startup', figure: 'healthz_ms', value: Math.round(builtMs), unit: 'ms', note: `built code (dist/): ${note(built)}` },
      {
        bench: 'startup',
        figure: 'healthz_tsx_ms',
        value: Math.round(sourceMs),
        unit: 'ms',
        note: `sources through tsx (FIRSTREPLY_FROM_SOURCE=1): ${note(source)}`,
      },
      {
        bench: 'startup',
        figure: 'ratio_to_tsx',
        value: Math.round((builtMs / sourceMs) * 100) / 100,
        unit: 'ratio',
        note: 'built start-up over tsx start-up, same run',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
