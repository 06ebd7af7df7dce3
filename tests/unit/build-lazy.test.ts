// The built CLI loads mail, sandbox and badge libraries when they are first used, not when it starts: what `start`
// reads before /healthz answers is the bundle's static import graph (its chunks and the packages left outside), and
// these libraries are ~400 ms of it.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const lib = join(root, 'dist', 'lib');

/** Every module a file imports statically, following the bundle's own chunks. */
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  const text = readFileSync(join(lib, file), 'utf8');
  for (const m of text.matchAll(/^(?:import|export)\s(?:[^;"']*?\sfrom\s)?["']([^"']+)["']/gm)) {
    const spec = m[1] ?? '';
    if (spec.startsWith('./')) {
      const chunk = spec.slice(2);
      if (!seen.has(chunk)) {
        seen.add(chunk);
        staticImports(chunk, seen);
      }
    } else seen.add(spec);
  }
  return seen;
}

/** A bundled package's code: esbuild marks each module it inlines with its path ("// node_modules/fastify/fastify.js"). */
const packageIn = (text: string, name: string): boolean => text.includes(`\n// node_modules/${name}/`);

describe('the built CLI', () => {
  it('keeps mail, sandbox and badge libraries out of what it loads at start, and still reaches them', { timeout: 60_000 }, () => {
    if (!existsSync(join(lib, 'cli.js'))) execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'build.ts')], { cwd: root });
    const eager = staticImports('cli.js');
    const eagerText =
      readFileSync(join(lib, 'cli.js'), 'utf8') +
      [...eager]
        .filter((f) => f.startsWith('chunk-'))
        .map((f) => readFileSync(join(lib, f), 'utf8'))
        .join('');
    // Dependencies are bundled (resolving node_modules at start cost a third of it); the native addon stays outside.
    expect(packageIn(eagerText, 'fastify')).toBe(true);
    expect(eager.has('better-sqlite3')).toBe(true);
    const lazy = ['mailparser', 'imapflow', 'nodemailer', 'smtp-server', 'badge-maker'];
    for (const name of lazy) {
      expect(packageIn(eagerText, name), name).toBe(false);
      expect(eager.has(name), name).toBe(false);
    }
    const everything = readdirSync(lib)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(lib, f), 'utf8'))
      .join('');
    for (const name of lazy) expect(packageIn(everything, name), name).toBe(true);
  });
});
