// Debian's Request Tracker 5 as a test peer: a private site config, SQLite database and mail script in a temp dir, its standalone server on 127.0.0.1.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMailStack, type MailStack, type OutboundMail } from '../../../src/sandbox/mail-stack.ts';
import { freePort, startDovecot, type Endpoint, type MailUser } from '../../../src/sandbox/dovecot.ts';
import { spawnPeerProcess, type PeerProcess } from './process-group.ts';
import { postfixMissing, startPostfix, type PostfixPeer } from './postfix.ts';

const rtPaths = {
  setupDatabase: '/usr/sbin/rt-setup-database-5',
  server: '/usr/share/request-tracker5/libexec/rt-server',
  mailgate: '/usr/bin/rt-mailgate-5',
  initialdata: '/usr/share/request-tracker5/etc/initialdata',
} as const;

/** The Debian packages the RT peer needs (scripts/setup.sh installs them as root). */
const rtPackages = ['request-tracker5', 'rt5-db-sqlite', 'rt5-clients', 'rt5-standalone'] as const;

/** Why RT cannot run here, or null when it can. */
export function rtMissing(): string | null {
  for (const path of Object.values(rtPaths)) {
    if (!existsSync(path)) return `${path} not found: install Debian's ${rtPackages.join(' ')} (scripts/setup.sh does, as root)`;
  }
  return null;
}

export interface RtUser {
  name: string;
  realName: string;
  email: string;
  password: string;
}

interface RtOptions {
  /** `$rtname`: the tag in subjects (`[rtname #N]`) and the domain of `<RT-Ticket-N@rtname>`. */
  rtname: string;
  /** The General queue's correspond address (and `$CorrespondAddress`). */
  correspondAddress: string;
  /** Privileged users who answer tickets (REST 2 basic auth); the first is the default agent. */
  agents: RtUser[];
  /** Unprivileged users who may log in to SelfService. */
  customers?: RtUser[];
  /** Where RT's outgoing mail goes: an SMTP listener on loopback (its `$SendmailPath` script speaks SMTP to it). */
  smtp: { host: string; port: number };
  /** The web server's port; a free one by default. Give one when a peer started in parallel must know RT's URL. */
  port?: number;
}

/** One mail RT handed to its `$SendmailPath`, as the script logged it. */
export interface RtOutgoing {
  /** Our clock when the script started and when the SMTP server accepted the message (ms). */
  startedAt: number;
  acceptedAt: number;
  from: string;
  to: string[];
  subject: string;
  messageId: string;
}

export interface RtTransaction {
  id: number;
  type: string;
  /** RT's own Created time (whole seconds, UTC) in ms. */
  created: number;
  creator: string;
}

export interface RtPeer {
  dir: string;
  url: string;
  port: number;
  rtname: string;
  queue: string;
  correspondAddress: string;
  agents: RtUser[];
  customers: RtUser[];
  /** Feeds one raw message to `rt-mailgate --action correspond`, as a mail server's pipe would. */
  mailgate(raw: Buffer | string): Promise<void>;
  /** A REST 2 call as `user` (default: the first agent); throws on a non-2xx status. */
  rest<T = unknown>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, user?: RtUser): Promise<T>;
  /** Ticket ids whose subject contains `text`. */
  ticketsWith(text: string): Promise<number[]>;
  /** An agent's reply on a ticket (REST 2 `correspond`), with our clock just before and after the call. */
  correspond(ticket: number, text: string, options?: { subject?: string; as?: RtUser }): Promise<{ requestedAt: number; answeredAt: number }>;
  update(ticket: number, fields: Record<string, string>, as?: RtUser): Promise<void>;
  history(ticket: number): Promise<RtTransaction[]>;
  /** What RT has handed to its mail script so far. */
  outgoing(): RtOutgoing[];
  /** RT's server and set-up logs so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/** A Perl single-quoted string literal. */
const perl = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function siteConfig(dir: string, port: number, options: RtOptions): string {
  const [local = '', domain = ''] = options.correspondAddress.split('@');
  const addressRegexp = `^${local.replace(/\W/g, '\\$&')}(-comment)?\\@${domain.replace(/\W/g, '\\$&')}$`;
  return `# Written by the peer tests; RT reads nothing from /etc/request-tracker5 (RT_SITE_CONFIG and RT_SITE_CONFIG_DIR point here).
Set($rtname, ${perl(options.rtname)});
Set($Organization, ${perl(options.rtname)});
Set($CorrespondAddress, ${perl(options.correspondAddress)});
Set($CommentAddress, ${perl(`${local}-comment@${domain}`)});
Set($RTAddressRegexp, qr/${addressRegexp}/i);
Set($OwnerEmail, ${perl(options.correspondAddress)});
Set($WebDomain, '127.0.0.1');
Set($WebPort, ${port});
Set($WebPath, '');
Set($WebBaseURL, 'http://127.0.0.1:${port}');
Set($DatabaseType, 'SQLite');
Set($DatabaseName, ${perl(join(dir, 'rt.db'))});
Set($MasonDataDir, ${perl(join(dir, 'mason'))});
Set($MasonSessionDir, ${perl(join(dir, 'sessions'))});
Set($LogToSyslog, undef);
Set($LogToFile, undef);
Set($LogToSTDERR, 'warning');
Set($Timezone, 'UTC');
Set($MailCommand, 'sendmailpipe');
Set($SendmailPath, ${perl(join(dir, 'sendmail'))});
Set($SendmailArguments, '-oi -t');
1;
`;
}

/** Our own initialdata, inserted after RT's stock one (its default scrips and templates stay as shipped). */
function initialData(options: RtOptions): string {
  const user = (u: RtUser, privileged: boolean) =>
    `  { Name => ${perl(u.name)}, RealName => ${perl(u.realName)}, EmailAddress => ${perl(u.email)}, Password => ${perl(u.password)}, Privileged => ${privileged ? 1 : 0} },`;
  return `@Users = (
${options.agents.map((u) => user(u, true)).join('\n')}
${(options.customers ?? []).map((u) => user(u, false)).join('\n')}
);
# A public helpdesk: anyone may open a ticket by mail or SelfService and follow it; the agents may do everything.
@ACL = (
  { GroupDomain => 'SystemInternal', GroupType => 'Everyone', Right => 'CreateTicket' },
  { GroupDomain => 'SystemInternal', GroupType => 'Everyone', Right => 'ReplyToTicket' },
  { GroupDomain => 'SystemInternal', GroupType => 'Everyone', Right => 'SeeQueue' },
  { GroupDomain => 'RT::System-Role', GroupType => 'Requestor', Right => 'ShowTicket' },
${options.agents.map((u) => `  { UserId => ${perl(u.name)}, Right => 'SuperUser' },`).join('\n')}
);
@Final = (sub {
  my $queue = RT::Queue->new(RT->SystemUser);
  $queue->Load('General');
  my ($ok, $msg) = $queue->SetCorrespondAddress(${perl(options.correspondAddress)});
  die "CorrespondAddress: $msg" unless $ok;
  ($ok, $msg) = $queue->SetDescription('Vendor Support');
  die "Description: $msg" unless $ok;
});
1;
`;
}

/** RT's $SendmailPath: reads the message (sendmail -t), delivers it over SMTP on loopback, logs one JSON line per mail. */
function sendmailScript(dir: string, options: RtOptions): string {
  return `#!/usr/bin/perl
use strict;
use warnings;
use Net::SMTP;
use Email::Address;
use Time::HiRes ();
use JSON::PP ();
my $started = int(Time::HiRes::time() * 1000);
my $from = ${perl(options.correspondAddress)};
for (my $i = 0; $i < @ARGV; $i++) {
  if ($ARGV[$i] eq '-f') { $from = $ARGV[++$i] // $from } elsif ($ARGV[$i] =~ /^-f(.+)$/) { $from = $1 }
}
$from =~ s/^<(.*)>$/$1/;
my $raw = do { local $/; <STDIN> };
$raw =~ s/\\r?\\n/\\r\\n/g;
my ($head, $body) = split /\\r\\n\\r\\n/, $raw, 2;
$body //= '';
(my $unfolded = $head) =~ s/\\r\\n[ \\t]+/ /g;
my (@rcpt, $subject, $id);
for my $line (split /\\r\\n/, $unfolded) {
  push @rcpt, map { $_->address } Email::Address->parse($1) if $line =~ /^(?:To|Cc|Bcc):\\s*(.*)$/i;
  $subject //= $1 if $line =~ /^Subject:\\s*(.*)$/i;
  $id //= $1 if $line =~ /^Message-ID:\\s*(.*)$/i;
}
$head =~ s/^Bcc:.*(?:\\r\\n[ \\t].*)*(?:\\r\\n|\\z)//mig;
my %entry = (startedAt => $started, from => $from, to => [@rcpt], subject => $subject // '', messageId => $id // '');
if (@rcpt) {
  my $smtp = Net::SMTP->new(${perl(options.smtp.host)}, Port => ${options.smtp.port}, Hello => ${perl(`rt.${options.rtname}`)}, Timeout => 30)
    or do { print STDERR "sendmail: cannot connect: $@\\n"; exit 75 };
  $smtp->mail($from) or do { print STDERR 'sendmail: MAIL FROM refused: ', $smtp->message, "\\n"; exit 75 };
  $smtp->to(@rcpt, { SkipBad => 1 }) or do { print STDERR 'sendmail: every RCPT refused: ', $smtp->message, "\\n"; exit 75 };
  $smtp->data("$head\\r\\n\\r\\n$body") or do { print STDERR 'sendmail: DATA refused: ', $smtp->message, "\\n"; exit 75 };
  $smtp->quit;
}
$entry{acceptedAt} = int(Time::HiRes::time() * 1000);
open(my $log, '>>', ${perl(join(dir, 'outgoing.jsonl'))}) or die "sendmail: log: $!";
print $log JSON::PP->new->canonical->encode(\\%entry), "\\n";
close $log;
exit 0;
`;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string, stdin?: Buffer | string, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = openSync(logFile, 'a');
    const child = spawn(command, args, { env, stdio: ['pipe', out, out] });
    closeSync(out);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}; see ${logFile}`));
    });
    child.stdin?.end(stdin ?? '');
  });
}

const parseLog = (file: string): RtOutgoing[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as RtOutgoing)
    : [];

async function startRt(options: RtOptions): Promise<RtPeer> {
  const missing = rtMissing();
  if (missing) throw new Error(missing);
  const agent = options.agents[0];
  if (!agent) throw new Error('RT needs at least one agent');
  const dir = mkdtempSync(join(tmpdir(), 'firstreply-rt-'));
  for (const sub of ['siteconfig.d', 'mason', 'sessions']) mkdirSync(join(dir, sub));
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(join(dir, 'RT_SiteConfig.pm'), siteConfig(dir, port, options));
  writeFileSync(join(dir, 'initialdata.pl'), initialData(options));
  writeFileSync(join(dir, 'sendmail'), sendmailScript(dir, options));
  chmodSync(join(dir, 'sendmail'), 0o755);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    RT_SITE_CONFIG: join(dir, 'RT_SiteConfig.pm'),
    RT_SITE_CONFIG_DIR: join(dir, 'siteconfig.d'),
  };
  const setupLog = join(dir, 'setup.log');
  const outgoingLog = join(dir, 'outgoing.jsonl');

  let server: PeerProcess | undefined;
  const log = () =>
    [setupLog, join(dir, 'mailgate.log')]
      .filter(existsSync)
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n') + (server?.output() ?? '');
  const stop = async () => {
    await server?.stop(5_000);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await run(rtPaths.setupDatabase, ['--action', 'init', '--skip-create', '--dba-password', ''], env, setupLog);
    await run(rtPaths.setupDatabase, ['--action', 'insert', '--datafile', join(dir, 'initialdata.pl'), '--skip-create'], env, setupLog);

    // Starlet with two workers (mail, REST and the browser may overlap), in its own process group; stopped by SIGTERM,
    // never SIGINT: rt-server's SIGINT handler chowns /var/lib/request-tracker5 when run as root.
    server = spawnPeerProcess(rtPaths.server, ['--host', '127.0.0.1', '--port', String(port), '--max-workers', '2'], { env, cwd: dir });
    const s = server;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (!s.running()) throw new Error(`rt-server exited before it was ready:\n${log()}`);
      const ready = await fetch(`${url}/NoAuth/Login.html`, { signal: AbortSignal.timeout(2_000) }).then(
        (res) => res.status === 200,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`rt-server did not answer on ${url} within 60 s:\n${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (err) {
    const text = log();
    await stop();
    throw err instanceof Error ? Object.assign(err, { message: `${err.message}\n${text}` }) : err;
  }

  const authOf = (u: RtUser) => `Basic ${Buffer.from(`${u.name}:${u.password}`).toString('base64')}`;
  const rest = async <T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, user: RtUser = agent): Promise<T> => {
    const res = await fetch(`${url}/REST/2.0${path}`, {
      method,
      headers: { authorization: authOf(user), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`RT REST 2 ${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };

  return {
    dir,
    url,
    port,
    rtname: options.rtname,
    queue: 'General',
    correspondAddress: options.correspondAddress,
    agents: options.agents,
    customers: options.customers ?? [],
    mailgate: (raw) =>
      run(rtPaths.mailgate, ['--url', `${url}/`, '--queue', 'General', '--action', 'correspond', '--timeout', '60'], env, join(dir, 'mailgate.log'), raw),
    rest,
    async ticketsWith(text) {
      const query = encodeURIComponent(`Subject LIKE '${text.replace(/['\\]/g, '')}'`);
      const page = await rest<{ items: Array<{ id: string | number }> }>('GET', `/tickets?query=${query}&orderby=id&per_page=100`);
      return page.items.map((t) => Number(t.id));
    },
    async correspond(ticket, text, opts = {}) {
      const requestedAt = Date.now();
      await rest(
        'POST',
        `/ticket/${ticket}/correspond`,
        { Content: text, ContentType: 'text/plain', ...(opts.subject ? { Subject: opts.subject } : {}) },
        opts.as,
      );
      return { requestedAt, answeredAt: Date.now() };
    },
    async update(ticket, fields, as) {
      await rest('PUT', `/ticket/${ticket}`, fields, as);
    },
    async history(ticket) {
      const page = await rest<{ items: Array<{ id: string; Type: string; Created: string; Creator: { id: string } }> }>(
        'GET',
        `/ticket/${ticket}/history?fields=Type,Created,Creator&per_page=100`,
      );
      return page.items.map((t) => ({ id: Number(t.id), type: t.Type, created: Date.parse(t.Created), creator: t.Creator.id }));
    },
    outgoing: () => parseLog(outgoingLog),
    log,
    stop,
  };
}

/** The vendor's mail server: whatever the stack accepts for RT's correspond address is piped to rt-mailgate. */
function pipeDeskMail(stack: Pick<MailStack, 'onOutbound'>, rt: RtPeer): { settle(): Promise<string[]> } {
  const errors: string[] = [];
  const inFlight = new Set<Promise<void>>();
  stack.onOutbound((mail: OutboundMail) => {
    if (!mail.to.some((to) => to.toLowerCase() === rt.correspondAddress.toLowerCase())) return;
    const work = rt.mailgate(mail.raw).catch((err: unknown) => {
      errors.push(err instanceof Error ? err.message : String(err));
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  });
  return {
    async settle() {
      await Promise.allSettled([...inFlight]);
      return errors;
    },
  };
}

export interface RtTiming {
  /** first_human_at − the middle of the second RT stamped on its Correspond transaction (RT keeps whole seconds). */
  errorMs: number;
  /** first_human_at − when RT's mail script saw the SMTP server accept that reply (our clock, ms): firstreply's own share. */
  handoffErrorMs: number | undefined;
  /**
   * The reply's INTERNALDATE − RT's Created stamp, both whole seconds: 0 or 1000 means the arrival can lie within a
   * second after RT's transaction, as far as the two clocks' resolution can tell.
   */
  stampGapMs: number;
  /** One line for the printed figures. */
  line: string;
}

/** firstreply's first human reply on a probe against RT's own record of the n-th correspondence on its ticket. */
export async function timingAgainstRt(
  rt: RtPeer,
  ticket: number,
  probe: { sentAt: number; firstHumanAt: number; receivedAt: number; messageId: string | null },
  label: string,
  n = 0,
): Promise<RtTiming> {
  const history = await rt.history(ticket);
  const created = history.find((t) => t.type === 'Create');
  const correspond = history.filter((t) => t.type === 'Correspond')[n];
  if (!created || !correspond) throw new Error(`ticket #${ticket} has no Create or no Correspond transaction`);
  const errorMs = probe.firstHumanAt - (correspond.created + 500);
  const mail = rt.outgoing().find((m) => probe.messageId !== null && m.messageId.trim() === probe.messageId);
  const handoffErrorMs = mail ? probe.firstHumanAt - mail.acceptedAt : undefined;
  const stampGapMs = probe.receivedAt - correspond.created;
  const signed = (ms: number) => `${ms >= 0 ? '+' : ''}${ms} ms`;
  const line =
    `${label}: ticket #${ticket}: TTFHR ${probe.firstHumanAt - probe.sentAt} ms; RT Correspond stamped ${new Date(correspond.created).toISOString()} ` +
    `→ error ${signed(errorMs)} against its middle; against RT's SMTP hand-off ${handoffErrorMs === undefined ? 'n/a' : signed(handoffErrorMs)}; ` +
    `INTERNALDATE − RT stamp ${signed(stampGapMs)}; RT's own Create→Correspond ${correspond.created - created.created} ms`;
  return { errorMs, handoffErrorMs, stampGapMs, line };
}

export interface RtDesk {
  rt: RtPeer;
  /** Where firstreply sends its probes: the vendor's MX. */
  smtp: Endpoint;
  /** The probe mailboxes (Dovecot). */
  imap: Endpoint;
  /** How mail reaches rt-mailgate: Debian's Postfix (pipe transport), or, where Postfix cannot run, the sandbox's SMTP listener. */
  via: 'postfix' | 'smtp-server';
  /** Stops everything; resolves with what rt-mailgate refused (the sandbox path only; Postfix logs its own). */
  stop(): Promise<string[]>;
}

/**
 * RT behind a mail server on loopback: probes for RT's correspond address go through Postfix's pipe transport to
 * rt-mailgate, RT's own mail goes back through the same Postfix into Dovecot (LMTP), where firstreply reads it.
 * Without Postfix (`postfixMissing()` says why) the sandbox's SMTP listener pipes to rt-mailgate instead.
 */
export async function startRtDesk(options: { dir: string; users: MailUser[]; rt: Omit<RtOptions, 'smtp' | 'port'> }): Promise<RtDesk> {
  const [, deskDomain = ''] = options.rt.correspondAddress.split('@');
  if (postfixMissing() !== null) {
    const stack = await startMailStack({ dir: options.dir, users: options.users });
    try {
      const rt = await startRt({ ...options.rt, smtp: stack.smtp });
      const gate = pipeDeskMail(stack, rt);
      return {
        rt,
        smtp: stack.smtp,
        imap: stack.imap,
        via: 'smtp-server',
        async stop() {
          const errors = await gate.settle();
          try {
            await rt.stop();
          } finally {
            await stack.stop();
          }
          return errors;
        },
      };
    } catch (err) {
      await stack.stop();
      throw err;
    }
  }
  const dovecot = await startDovecot({ dir: options.dir, users: options.users });
  const localDomains = [...new Set(options.users.map((u) => u.address.slice(u.address.lastIndexOf('@') + 1).toLowerCase()))];
  let rt: RtPeer | undefined;
  let postfix: PostfixPeer | undefined;
  try {
    // Each must know the other's port: both are chosen first, then both start at once.
    const [rtPort, smtpPort] = [await freePort(), await freePort()];
    const started = await Promise.allSettled([
      startRt({ ...options.rt, port: rtPort, smtp: { host: '127.0.0.1', port: smtpPort } }),
      startPostfix({
        dir: options.dir,
        port: smtpPort,
        hostname: `mx.${deskDomain}`,
        transports: {
          [deskDomain]: {
            kind: 'pipe',
            argv: [rtPaths.mailgate, '--url', `http://127.0.0.1:${rtPort}/`, '--queue', 'General', '--action', 'correspond', '--timeout', '60'],
          },
          ...Object.fromEntries(localDomains.map((domain) => [domain, { kind: 'lmtp', port: dovecot.lmtp.port } as const])),
        },
      }),
    ]);
    if (started[0].status === 'fulfilled') rt = started[0].value;
    if (started[1].status === 'fulfilled') postfix = started[1].value;
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const [r, p] = [rt!, postfix!];
    return {
      rt: r,
      smtp: p.smtp,
      imap: dovecot.imap,
      via: 'postfix',
      async stop() {
        try {
          await r.stop();
        } finally {
          try {
            await p.stop();
          } finally {
            await dovecot.stop();
          }
        }
        return [];
      },
    };
  } catch (err) {
    await Promise.allSettled([rt?.stop(), postfix?.stop()]);
    await dovecot.stop();
    throw err;
  }
}
