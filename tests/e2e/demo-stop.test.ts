// Ctrl-C twice on `npm run demo`, as a terminal sends it (SIGINT to the whole foreground process group, through npm):
// no Dovecot or Chromium process of that run and none of its temp dirs is left.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true, maxRetries: 5 });
});

interface Proc {
  pid: number;
  cmdline: string;
}

/** Every process below `pid`, read from /proc, with its command line. */
async function descendants(pid: number): Promise<Proc[]> {
  const parents = new Map<number, number[]>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (Number.isFinite(ppid)) parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
  }
  const out: Proc[] = [];
  const walk = async (p: number): Promise<void> => {
    for (const c of parents.get(p) ?? []) {
      out.push({ pid: c, cmdline: (await readFile(`/proc/${c}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ').trim() });
      await walk(c);
    }
  };
  await walk(pid);
  return out;
}

async function stillRunning(proc: Proc): Promise<boolean> {
  const stat = await readFile(`/proc/${proc.pid}/stat`, 'utf8').catch(() => undefined);
  if (!stat || stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
  // The same pid with another command line is a new process.
  const cmdline = (await readFile(`/proc/${proc.pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ').trim();
  return cmdline === proc.cmdline;
}

/** Resolves when `check` holds, re-checked every 200 ms (there is no event for another process's children). */
async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('npm run demo, Ctrl-C twice', () => {
  it('leaves no Dovecot, no Chromium and no temp dir of the run', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'firstreply-demo-stop-'));
    dirs.push(dataDir);
    // Its own process group, as a shell gives a foreground job: the group gets the signals a terminal sends.
    const npm = spawn('npm', ['run', 'demo', '--', '--port', '0', '--data', dataDir], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'error', FR_DEMO_LUMEN_EVERY: '3s' },
    });
    const group = npm.pid ?? -1;
    let out = '';
    npm.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    npm.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    try {
      await waitFor(async () => (/status page at http/.test(out) ? true : undefined), 90_000, `the demo's URL:\n${out}`);
      // Both kinds of child running: Dovecot at once, Chromium with the first web-form or chat probe.
      const children = await waitFor(
        async () => {
          const procs = await descendants(group);
          const dovecot = procs.filter((p) => /dovecot/.test(p.cmdline));
          const chromium = procs.filter((p) => /--firstreply-pool=/.test(p.cmdline));
          return dovecot.length > 0 && chromium.length > 0 ? { dovecot, chromium } : undefined;
        },
        60_000,
        'Dovecot and Chromium',
      );
      const conf = /-c (\S+dovecot\.conf)/.exec(children.dovecot.map((p) => p.cmdline).join('\n'))?.[1];
      expect(conf).toBeDefined();
      const dovecotDir = dirname(conf ?? '/nonexistent/x');
      const mailDir = dirname(dovecotDir);
      const profile = /--user-data-dir=(\S+)/.exec(children.chromium.map((p) => p.cmdline).join('\n'))?.[1];
      expect(existsSync(dovecotDir)).toBe(true);

      process.kill(-group, 'SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 50));
      process.kill(-group, 'SIGINT');
      await Promise.race([exited, new Promise((_, reject) => setTimeout(() => reject(new Error(`npm did not exit:\n${out}`)), 30_000))]);

      const all = [...children.dovecot, ...children.chromium];
      const left = await waitFor(
        async () => {
          const running: Proc[] = [];
          for (const p of all) if (await stillRunning(p)) running.push(p);
          return running.length === 0 ? running : undefined;
        },
        10_000,
        `the children to end: ${all.map((p) => p.cmdline.slice(0, 80)).join('; ')}`,
      ).catch(async () => {
        const running: Proc[] = [];
        for (const p of all) if (await stillRunning(p)) running.push(p);
        return running;
      });
      expect(left.map((p) => `${p.pid} ${p.cmdline.slice(0, 120)}`)).toEqual([]);
      expect(existsSync(dovecotDir)).toBe(false);
      if (mailDir.startsWith(tmpdir()) && mailDir !== tmpdir()) expect(existsSync(mailDir)).toBe(false);
      if (profile) expect(existsSync(profile)).toBe(false);
    } finally {
      if (npm.exitCode === null && npm.signalCode === null) {
        try {
          process.kill(-group, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
  }, 180_000);
});
