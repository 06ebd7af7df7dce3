#!/usr/bin/env node
// Entry point of the installed command: runs the built CLI (dist/, `npm run build`) when the build is newer than every
// source file, else registers tsx and runs the TypeScript CLI in this process. FIRSTREPLY_FROM_SOURCE=1 always runs the sources.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The build's stamp time when it is newer than every file under src/, else undefined. */
function freshBuild() {
  let builtAt;
  try {
    builtAt = statSync(join(root, 'dist', 'built-at')).mtimeMs;
  } catch {
    return undefined; // never built
  }
  for (const entry of readdirSync(join(root, 'src'), { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && statSync(join(entry.parentPath, entry.name)).mtimeMs > builtAt) return undefined;
  }
  return builtAt;
}

if (process.env.FIRSTREPLY_FROM_SOURCE !== '1' && freshBuild() !== undefined) {
  await import('../dist/lib/cli.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
