// Dovecot with Pigeonhole Sieve for the peer tests: mailboxes whose Sieve scripts run at LMTP delivery; what a script
// sends (vacation replies) goes out over SMTP to the given submission peer, e.g. the private Postfix.
import { chownSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dovecotBinary, startDovecot, type Dovecot, type Endpoint, type MailUser } from '../../../src/sandbox/dovecot.ts';

const sievePlugin = '/usr/lib/dovecot/modules/lib90_sieve_plugin.so';
const sievePackages = ['dovecot-sieve'] as const;

/** Why Dovecot with Sieve cannot run here, or null when it can. */
export function sieveMissing(): string | null {
  if (!existsSync(dovecotBinary)) return `${dovecotBinary} is missing: install dovecot-imapd dovecot-lmtpd (scripts/setup.sh)`;
  if (!existsSync(sievePlugin)) return `${sievePlugin} is missing: install ${sievePackages.join(' ')} (scripts/setup.sh)`;
  return null;
}

interface SieveMailbox extends MailUser {
  /** The user's active Sieve script, run on every delivery to them. */
  sieve?: string;
}

interface SieveDovecotOptions {
  dir: string;
  users: SieveMailbox[];
  /** Where Sieve sends what it sends (vacation replies, redirects): an SMTP listener on loopback. */
  submission: Endpoint;
}

/** An RFC 5230 vacation answering every message (`:seconds 1`, with the server's minimum period set to 0). */
export function vacationScript(fields: { addresses: readonly string[]; subject: string; reason: string; from?: string }): string {
  const quoted = (text: string) => `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  return [
    'require ["vacation", "vacation-seconds"];',
    `vacation :seconds 1 :subject ${quoted(fields.subject)}${fields.from ? ` :from ${quoted(fields.from)}` : ''}`,
    `  :addresses [${fields.addresses.map(quoted).join(', ')}]`,
    `  text:\n${fields.reason.replace(/^\./gm, '..')}\n.\n;`,
    '',
  ].join('\n');
}

function sieveConfig(submission: Endpoint): string {
  return `
submission_host = ${submission.host}:${submission.port}
protocol lmtp {
  mail_plugins = $mail_plugins sieve
}
plugin {
  sieve = file:~/sieve;active=~/.dovecot.sieve
  sieve_extensions = +vacation-seconds
  sieve_vacation_min_period = 0
  sieve_vacation_default_period = 1s
}
`;
}

export async function startSieveDovecot(options: SieveDovecotOptions): Promise<Dovecot> {
  const missing = sieveMissing();
  if (missing) throw new Error(missing);
  const dovecot = await startDovecot({
    dir: options.dir,
    users: options.users.map(({ user, pass, address }) => ({ user, pass, address })),
    extraConfig: sieveConfig(options.submission),
  });
  try {
    for (const user of options.users) {
      if (!user.sieve) continue;
      // The home belongs to the mail user (nobody, as root): Pigeonhole compiles the script next to it.
      const home = dirname(dovecot.maildir(user.user));
      const script = join(home, '.dovecot.sieve');
      writeFileSync(script, user.sieve, { mode: 0o644 });
      const owner = statSync(home);
      chownSync(script, owner.uid, owner.gid);
    }
  } catch (err) {
    await dovecot.stop();
    throw err;
  }
  return dovecot;
}
