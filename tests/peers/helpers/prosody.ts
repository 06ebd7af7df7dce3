// Debian's Prosody as a test peer: a private config in a temp dir, loopback only, websocket/BOSH, an anonymous host for visitors and a desk host with a registered agent.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../src/sandbox/dovecot.ts';
import { spawnPeerProcess, type PeerProcess } from './process-group.ts';

const prosodyBinary = '/usr/bin/prosody';
const prosodyctlBinary = '/usr/bin/prosodyctl';

export interface ProsodyPeer {
  dir: string;
  configFile: string;
  c2sPort: number;
  httpPort: number;
  /** Where converse.js connects (XEP-0156 websocket, RFC 7395). */
  websocketUrl: string;
  boshUrl: string;
  /** The host visitors log in to anonymously. */
  anonymousDomain: string;
  /** The desk's host and its registered agent account. */
  deskDomain: string;
  agent: { username: string; password: string; jid: string };
  /** Prosody's process group (ended by stop()). */
  pgid: number;
  /** Prosody's own log so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/** Why Prosody cannot run here, or null when it can. */
export function prosodyMissing(): string | null {
  if (!existsSync(prosodyBinary) || !existsSync(prosodyctlBinary))
    return `${prosodyBinary} not found: install Debian's prosody (scripts/setup.sh does, as root)`;
  return null;
}

const lua = (s: string) => JSON.stringify(s); // a Lua string literal for our own paths and names (no control characters)

function configText(dir: string, ports: { c2s: number; http: number }, deskDomain: string, anonymousDomain: string): string {
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return `-- Written by the peer tests; nothing outside ${dir} is read or written.
${asRoot ? '-- The tests run as root here; Prosody refuses that unless told.\nrun_as_root = true\n' : ''}daemonize = false
pidfile = ${lua(join(dir, 'prosody.pid'))}
data_path = ${lua(join(dir, 'data'))}
log = { info = ${lua(join(dir, 'prosody.log'))}; error = ${lua(join(dir, 'prosody.err'))} }
interfaces = { "127.0.0.1" }
local_interfaces = { "127.0.0.1" }
c2s_ports = { ${ports.c2s} }
c2s_direct_tls_ports = {}
s2s_ports = {}
http_ports = { ${ports.http} }
http_interfaces = { "127.0.0.1" }
https_ports = {}
https_interfaces = {}
-- converse.js waits for the blocklist (XEP-0191) before it opens a chat; carbons spare it a warning.
modules_enabled = { "roster", "saslauth", "disco", "ping", "posix", "websocket", "bosh", "vcard_legacy", "blocklist", "carbons" }
modules_disabled = { "s2s", "tls" }
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
consider_websocket_secure = true
consider_bosh_secure = true
cross_domain_websocket = true
cross_domain_bosh = true
authentication = "internal_hashed"
storage = "internal"
certificates = ${lua(join(dir, 'certs'))}

VirtualHost ${lua(deskDomain)}

VirtualHost ${lua(anonymousDomain)}
  authentication = "anonymous"
`;
}

/** Connects to 127.0.0.1:port, resolving true when something listens. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function websocketReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(url.replace(/^ws/, 'http'), { signal: AbortSignal.timeout(1000) });
    return response.ok && (await response.text()).includes('WebSocket');
  } catch {
    return false;
  }
}

interface StartProsodyOptions {
  deskDomain?: string;
  anonymousDomain?: string;
  agentUsername?: string;
  agentPassword?: string;
  readyTimeoutMs?: number;
}

/** Starts Prosody as our child (its own process group, with the guard) and waits until c2s and the websocket answer. */
export async function startProsody(options: StartProsodyOptions = {}): Promise<ProsodyPeer> {
  const missing = prosodyMissing();
  if (missing) throw new Error(missing);
  const deskDomain = options.deskDomain ?? 'desk.localhost';
  const anonymousDomain = options.anonymousDomain ?? 'guest.localhost';
  const username = options.agentUsername ?? 'agent';
  const password = options.agentPassword ?? 'agent-password-1';
  const dir = mkdtempSync(join(tmpdir(), 'fr-prosody-'));
  mkdirSync(join(dir, 'data'));
  mkdirSync(join(dir, 'certs'));
  const configFile = join(dir, 'prosody.cfg.lua');
  const env = { ...process.env, PROSODY_CONFIG: configFile };
  let daemon: PeerProcess | undefined;
  const readLog = () =>
    [
      daemon?.output() ?? '',
      ...['prosody.err', 'prosody.log']
        .map((f) => join(dir, f))
        .filter(existsSync)
        .map((f) => readFileSync(f, 'utf8')),
    ].join('\n');
  const stop = async () => {
    await daemon?.stop();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    // Ports are chosen free, then bound by Prosody: another process may take one in between, so a failed start retries.
    for (let attempt = 1; ; attempt++) {
      const ports = { c2s: await freePort(), http: await freePort() };
      writeFileSync(configFile, configText(dir, ports, deskDomain, anonymousDomain));
      if (attempt === 1) {
        const registered = spawnSync(prosodyctlBinary, ['--config', configFile, 'register', username, deskDomain, password], {
          env,
          encoding: 'utf8',
          timeout: 30_000,
        });
        if (registered.status !== 0)
          throw new Error(
            `prosodyctl register ${username} ${deskDomain} failed (${registered.status ?? registered.signal}): ${registered.stdout}${registered.stderr}`,
          );
      }
      const started = spawnPeerProcess(prosodyBinary, ['--config', configFile, '-F'], { env, cwd: dir });
      daemon = started;
      const websocketUrl = `ws://127.0.0.1:${ports.http}/xmpp-websocket`;
      const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
      let outcome: string | undefined;
      while (outcome === undefined) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        if (!started.running()) outcome = 'exited';
        else if ((await listening(ports.c2s)) && (await websocketReady(websocketUrl))) outcome = 'ready';
        else if (Date.now() > deadline) outcome = 'not ready in time';
      }
      if (outcome === 'ready') {
        return {
          dir,
          configFile,
          c2sPort: ports.c2s,
          httpPort: ports.http,
          websocketUrl,
          boshUrl: `http://127.0.0.1:${ports.http}/http-bind`,
          anonymousDomain,
          deskDomain,
          agent: { username, password, jid: `${username}@${deskDomain}` },
          pgid: started.pgid,
          log: readLog,
          stop,
        };
      }
      const log = readLog();
      await started.stop();
      if (attempt >= 3 || !/address already in use|Failed to open server port/i.test(log)) throw new Error(`prosody ${outcome}:\n${log.slice(-4000)}`);
    }
  } catch (err) {
    await stop();
    throw err;
  }
}
