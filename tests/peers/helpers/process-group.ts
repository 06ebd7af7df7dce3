// Runs a peer's daemon in its own process group, ended by stop(), by this process's exit, or by a guard if we are killed.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface PeerProcess {
  /** The daemon's pid, which is also its process group's id. */
  pgid: number;
  running(): boolean;
  /** What the daemon wrote to stdout and stderr, last 64 KiB. */
  output(): string;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once no process of the group is left. */
  stop(graceMs?: number): Promise<void>;
}

interface PeerProcessOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * The guard, in a group of its own, ends the daemon's group within half a second of this Node process disappearing
 * without stopping it (even by SIGKILL, when no 'exit' listener runs).
 */
const guard = [
  'parent=$1; group=$2',
  // dash's kill takes a negative pid (a process group) without "--".
  'while kill -0 "$parent" 2>/dev/null && kill -0 "-$group" 2>/dev/null; do sleep 0.5; done',
  'kill -0 "-$group" 2>/dev/null || exit 0',
  'kill -TERM "-$group"; sleep 3; kill -KILL "-$group" 2>/dev/null',
].join('\n');

const outputLimit = 64 * 1024;

/**
 * Whether a process of the group is still running. Zombies do not count: a daemon's children that outlive it are
 * reparented to PID 1, which may reap them a second or two later, and they hold no port or file by then.
 */
function groupAlive(pgid: number): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // the process ended while we listed /proc
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so read after the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if (!(err instanceof Error && 'code' in err && err.code === 'ESRCH')) throw err;
  }
}

/** Starts `command` as the leader of a new process group (daemons such as Postfix's master signal their own group). */
export function spawnPeerProcess(command: string, args: readonly string[], options: PeerProcessOptions = {}): PeerProcess {
  const daemon = spawn(command, [...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env, cwd: options.cwd });
  const pgid = daemon.pid;
  if (pgid === undefined) throw new Error(`could not start ${command}`);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-outputLimit);
  };
  daemon.stdout?.on('data', keep);
  daemon.stderr?.on('data', keep);
  daemon.once('error', (err) => keep(Buffer.from(`${err.message}\n`)));
  let daemonRunning = true;
  daemon.once('exit', () => {
    daemonRunning = false;
  });
  const watcher = spawn('/bin/sh', ['-c', guard, 'peer-guard', String(process.pid), String(pgid)], { detached: true, stdio: 'ignore' });
  watcher.unref();
  // 'exit' listeners run on every exit of ours except SIGKILL (which the guard covers).
  const onExit = (): void => signalGroup(pgid, 'SIGKILL');
  process.on('exit', onExit);

  let stopping: Promise<void> | undefined;
  return {
    pgid,
    running: () => daemonRunning,
    output: () => output,
    stop(graceMs = 3000) {
      stopping ??= (async () => {
        if (watcher.pid !== undefined) signalGroup(watcher.pid, 'SIGTERM');
        signalGroup(pgid, 'SIGTERM');
        const deadline = Date.now() + graceMs;
        let killed = false;
        while (groupAlive(pgid)) {
          if (!killed && Date.now() > deadline) {
            signalGroup(pgid, 'SIGKILL');
            killed = true;
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        process.off('exit', onExit);
      })();
      return stopping;
    },
  };
}
