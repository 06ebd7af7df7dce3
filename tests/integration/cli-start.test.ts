// The installed command as the README shows it: every command answers --help, and `start` serves a catalog and stops on Ctrl-C.
import { afterAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { writePhoneCatalog } from '../helpers/phone-catalog.ts';
import { commands } from '../../src/cli/registry.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/firstreply.js');
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('firstreply command line', () => {
  it('lists every registered command and answers --help for each', async () => {
    const { stdout } = await run(process.execPath, [bin, '--help'], { cwd: root });
    for (const name of Object.keys(commands)) {
      expect(stdout).toContain(`  ${name}`);
      const help = await run(process.execPath, [bin, name, '--help'], { cwd: root });
      expect(help.stdout).toMatch(/^usage: firstreply /);
    }
  }, 120_000);

  it('exits 2 with a clear message on an unknown command', async () => {
    const failed = await run(process.execPath, [bin, 'frobnicate'], { cwd: root }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failed).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "frobnicate"') });
  });

  it('starts on a catalog, serves the status page and stops cleanly on SIGINT', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firstreply-start-'));
    dirs.push(dir);
    writePhoneCatalog(dir);

    const child = spawn(process.execPath, [bin, 'start', dir, '--port', '0'], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 30_000);
        child.stdout.on('data', () => {
          const match = /status page at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        void exited.then((code) => reject(new Error(`start exited with ${code}:\n${out}`)));
      });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${url}/api/v1/vendors`)).text()).toContain('phoneco');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(out).toContain('stopping');
  }, 60_000);
});
