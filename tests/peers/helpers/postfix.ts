// A private Postfix for the peer tests: its own main.cf/master.cf, queue and data in a temp dir, smtpd on 127.0.0.1 only,
// relaying only to the loopback targets it is given (LMTP, SMTP, a pipe to a command, or a bounce), everything else refused.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, chmodSync, chownSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { freePort } from '../../../src/sandbox/dovecot.ts';
import { spawnPeerProcess, type PeerProcess } from './process-group.ts';

const postfixPaths = {
  master: '/usr/lib/postfix/sbin/master',
  sendmail: '/usr/sbin/sendmail',
} as const;
const postfixPackages = ['postfix'] as const;

/** Why a private Postfix cannot run here, or null when it can. */
export function postfixMissing(): string | null {
  if (!existsSync(postfixPaths.master)) return `${postfixPaths.master} is missing: install ${postfixPackages.join(' ')} (scripts/setup.sh)`;
  if (process.getuid?.() !== 0) return "Postfix's master runs only as root (it drops to the postfix user itself)";
  if (uidOf('postfix') === undefined || gidOf('postdrop') === undefined) return 'the postfix user or the postdrop group is missing (reinstall postfix)';
  return null;
}

/** Where mail for a domain (or one address) goes. Every target is on loopback. */
type PostfixTransport =
  /** LMTP delivery, e.g. into a test Dovecot; an unknown user there is refused and bounces back to the sender. */
  | { kind: 'lmtp'; port: number; host?: string }
  /** SMTP relay to a listener on loopback. */
  | { kind: 'smtp'; port: number; host?: string }
  /**
   * The message on the command's stdin, one run per recipient, as `user` (Postfix never pipes as root; default
   * nobody). argv may use Postfix's macros (${sender}, ${recipient}, ${extension}…). Exit 0 delivers, 75 defers,
   * anything else bounces with the command's output.
   */
  | { kind: 'pipe'; argv: readonly string[]; user?: string; flags?: string }
  /** Every recipient is refused at RCPT with this status text (smtpd knows the route fails; no DSN is queued). */
  | { kind: 'error'; text?: string };

interface PostfixOptions {
  /** Parent directory; a temp dir is made inside it and removed by stop(). */
  dir: string;
  /** Domain (`vendor.test`) or address (`support@vendor.test`) → target. Anything else is refused at RCPT. */
  transports: Record<string, PostfixTransport>;
  /** myhostname: the HELO name and the MAILER-DAEMON@ domain of bounces (e.g. `mx.vendor.test` for a vendor's MX). */
  hostname?: string;
  /** smtpd's port; a free one by default. Give one when a peer started in parallel must know it beforehand. */
  port?: number;
  startTimeoutMs?: number;
}

export interface PostfixPeer {
  smtpPort: number;
  smtp: { host: string; port: number };
  hostname: string;
  dir: string;
  /** A `sendmail` that injects into this instance (Postfix's own, with -C); works as root only. */
  sendmail: string;
  /** The instance's mail log (maillog_file), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

function idOf(file: string, name: string): number | undefined {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields[2] !== undefined) return Number(fields[2]);
  }
  return undefined;
}
const uidOf = (user: string) => idOf('/etc/passwd', user);
const gidOf = (group: string) => idOf('/etc/group', group);

const domainOf = (key: string): string => key.slice(key.lastIndexOf('@') + 1).toLowerCase();

/** A master.cf argument: Postfix 3 keeps `{ … }` together as one argument. */
const masterArgument = (arg: string): string => (/\s/.test(arg) ? `{ ${arg} }` : arg);

interface Layout {
  mainCf: string;
  masterCf: string;
  transportMap: string;
}

function layout(dir: string, options: PostfixOptions, hostname: string, port: number): Layout {
  const pipes: string[] = [];
  const pipeLimits: string[] = [];
  const routes: string[] = [];
  Object.entries(options.transports).forEach(([key, target], index) => {
    const host = 'host' in target && target.host ? target.host : '127.0.0.1';
    if ((target.kind === 'lmtp' || target.kind === 'smtp') && !/^127\.|^localhost$/.test(host)) throw new Error(`${key}: ${host} is not loopback`);
    if (target.kind === 'lmtp') routes.push(`${key} lmtp:inet:${host}:${target.port}`);
    else if (target.kind === 'smtp') routes.push(`${key} smtp:[${host}]:${target.port}`);
    else if (target.kind === 'error') routes.push(`${key} error:${target.text ?? '5.1.1 mailbox unavailable'}`);
    else {
      const service = `pipe${index}`;
      if (target.user === 'root') throw new Error(`${key}: Postfix never runs a pipe as root`);
      pipes.push(
        `${service} unix - n n - - pipe\n  flags=${target.flags ?? 'RX'} user=${target.user ?? 'nobody'} argv=${target.argv.map(masterArgument).join(' ')}`,
      );
      pipeLimits.push(`${service}_destination_recipient_limit = 1`);
      routes.push(`${key} ${service}:`);
    }
  });
  const domains = [...new Set(Object.keys(options.transports).map(domainOf))];
  const mainCf = `# generated for the peer tests; lives and dies with this directory
compatibility_level = 3.6
config_directory = ${dir}/conf
queue_directory = ${dir}/queue
data_directory = ${dir}/data
maillog_file = ${dir}/postfix.log
maillog_file_prefixes = ${dir}
myhostname = ${hostname}
mydomain = ${hostname.split('.').slice(1).join('.') || hostname}
myorigin = $myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relay_domains = ${domains.join(' ')}
transport_maps = texthash:${dir}/conf/transport
# Nothing leaves loopback: whatever no transport names bounces here instead of a DNS lookup.
default_transport = error:5.7.1 not served by this test instance
relay_transport = error:5.7.1 not served by this test instance
local_transport = error:5.7.1 no local delivery in this test instance
smtpd_relay_restrictions = reject_unauth_destination
smtpd_banner = $myhostname ESMTP
recipient_delimiter = +
alias_maps =
alias_database =
local_recipient_maps =
notify_classes =
biff = no
smtp_dns_support_level = disabled
delay_warning_time = 0
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 4s
${pipeLimits.join('\n')}
`;
  const masterCf = `# service type private unpriv chroot wakeup maxproc command
127.0.0.1:${port} inet n - n - - smtpd
pickup unix n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
smtp unix - - n - - smtp
lmtp unix - - n - - lmtp
showq unix n - n - - showq
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
${pipes.join('\n')}
`;
  return { mainCf, masterCf, transportMap: `${routes.join('\n')}\n` };
}

/** The queue layout `postfix check` would create, made directly (it takes seconds, this takes none). */
function makeQueue(dir: string): void {
  const postfix = uidOf('postfix');
  const postdrop = gidOf('postdrop');
  if (postfix === undefined || postdrop === undefined) throw new Error('the postfix user or postdrop group is missing');
  const owned = (path: string, mode: number, gid = 0) => {
    mkdirSync(path, { recursive: true, mode });
    chownSync(path, postfix, gid);
    chmodSync(path, mode);
  };
  mkdirSync(join(dir, 'queue', 'pid'), { recursive: true, mode: 0o755 });
  chmodSync(join(dir, 'queue'), 0o755);
  for (const name of ['active', 'bounce', 'corrupt', 'defer', 'deferred', 'flush', 'hold', 'incoming', 'private', 'saved', 'trace'])
    owned(join(dir, 'queue', name), 0o700);
  owned(join(dir, 'queue', 'maildrop'), 0o730, postdrop);
  owned(join(dir, 'queue', 'public'), 0o710, postdrop);
  owned(join(dir, 'data'), 0o700);
}

/** Whether the postfix user can traverse every directory down to `dir`. */
function othersCanReach(dir: string): boolean {
  for (let current = resolve(dir); ; current = dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) return false;
    if (dirname(current) === current) return true;
  }
}

/** Postfix's daemons open the queue as the postfix user: a private parent (a 0700 mkdtemp) is opened for traversal only, or the system temp dir is used. */
function reachableParent(dir: string): string {
  if (othersCanReach(dir)) return dir;
  try {
    chmodSync(dir, (statSync(dir).mode & 0o7777) | 0o011);
  } catch {
    return tmpdir();
  }
  return othersCanReach(dir) ? dir : tmpdir();
}

/** Resolves true once something on the port greets with `220`. */
function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('data', (chunk) => done(chunk.toString('latin1').startsWith('220')));
    socket.once('error', () => done(false));
  });
}

export async function startPostfix(options: PostfixOptions): Promise<PostfixPeer> {
  const missing = postfixMissing();
  if (missing) throw new Error(missing);
  let lastError: unknown;
  // A free port found by freePort() may be taken before master binds it; a fixed port is tried once.
  for (let attempt = 0; attempt < (options.port ? 1 : 3); attempt++) {
    try {
      return await startOnce(options, options.port ?? (await freePort()));
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

async function startOnce(options: PostfixOptions, port: number): Promise<PostfixPeer> {
  mkdirSync(options.dir, { recursive: true });
  const dir = mkdtempSync(join(reachableParent(options.dir), 'postfix-'));
  chmodSync(dir, 0o755);
  const hostname = options.hostname ?? 'mx.peers.test';
  const readLog = () => {
    try {
      return readFileSync(join(dir, 'postfix.log'), 'utf8');
    } catch {
      return '(no mail log yet)';
    }
  };
  let daemon: PeerProcess | undefined;
  try {
    const files = layout(dir, options, hostname, port);
    mkdirSync(join(dir, 'conf'));
    writeFileSync(join(dir, 'conf', 'main.cf'), files.mainCf);
    writeFileSync(join(dir, 'conf', 'master.cf'), files.masterCf);
    writeFileSync(join(dir, 'conf', 'transport'), files.transportMap);
    makeQueue(dir);
    const sendmail = join(dir, 'sendmail');
    writeFileSync(sendmail, `#!/bin/sh\nexec ${postfixPaths.sendmail} -C ${join(dir, 'conf')} "$@"\n`, { mode: 0o755 });

    // -d: master stays in the foreground, in the guard's process group, so stopping the group ends every daemon.
    daemon = spawnPeerProcess(postfixPaths.master, ['-d', '-c', join(dir, 'conf')], { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' } });
    const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
    let delay = 10;
    while (!(await greets(port))) {
      if (!daemon.running() || Date.now() > deadline) {
        throw new Error(`postfix did not start on 127.0.0.1:${port}: ${`${daemon.output()}\n${readLog()}`.trim().split('\n').slice(-5).join(' | ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 100);
    }
  } catch (err) {
    await daemon?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const running = daemon;
  // An exit that skips stop() still removes the queue (the process group is ended by spawnPeerProcess).
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true });
  process.on('exit', removeDir);
  return {
    smtpPort: port,
    smtp: { host: '127.0.0.1', port },
    hostname,
    dir,
    sendmail: join(dir, 'sendmail'),
    log: readLog,
    async stop() {
      await running.stop();
      removeDir();
      process.off('exit', removeDir);
    },
  };
}
