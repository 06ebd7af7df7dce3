// CLI consistency: --dir names the catalog for every command (a bare directory stays an alias), read-only commands
// run without mail secrets, and a bad option gives the usage line and exit code 2, never a stack trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const execFileAsync = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/firstreply.js');
const unsetVars = ['FR_TEST_UNSET_IMAP_PASS', 'FR_TEST_UNSET_SMTP_PASS'];
const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'error' };
for (const name of unsetVars) delete env[name];

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [bin, ...args], { cwd: root, env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Runs a long-lived command until it prints its URL, checks the page, then stops it with SIGINT. */
async function serveOnce(args: string[]): Promise<{ vendors: string; code: number | null }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
      void exited.then((code) => reject(new Error(`exited with ${code}:\n${out}`)));
    });
    return { vendors: await (await fetch(`${url}/api/v1/vendors`)).text(), code: null };
  } finally {
    child.kill('SIGINT');
    await exited;
  }
}

let withMail = '';
let manualOnly = '';
const vendorFile = (channels: string[]) =>
  [
    'slug: phoneco',
    'name: PhoneCo',
    'visibility: public',
    'timezone: Europe/Paris',
    'rate_caps: { per_day: 3, per_week: 10 }',
    'templates:',
    '  - { id: hotline-question, tier: P3, language: en, subject: "Question {{token}}", body: "Hello, ref {{token}}" }',
    'channels:',
    ...channels,
    '',
  ].join('\n');

beforeAll(async () => {
  withMail = await mkdtemp(join(tmpdir(), 'firstreply-cli-mail-'));
  await writeFile(
    join(withMail, 'settings.yaml'),
    [
      `database: ${join(withMail, 'data/firstreply.db')}`,
      `evidence_dir: ${join(withMail, 'data/evidence')}`,
      'mailboxes:',
      '  default:',
      '    address: probes@example.test',
      '    imap: { host: 127.0.0.1, port: 993, user: probes, pass: "${FR_TEST_UNSET_IMAP_PASS}" }',
      'smtp:',
      '  default: { host: 127.0.0.1, port: 587, user: probes, pass: "${FR_TEST_UNSET_SMTP_PASS}", from: "Probes <probes@example.test>" }',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(withMail, 'phoneco.yaml'),
    vendorFile(['  - { id: hotline, kind: manual, medium: phone }', '  - { id: email, kind: email, to: support@phoneco.test }']),
  );
  manualOnly = await mkdtemp(join(tmpdir(), 'firstreply-cli-manual-'));
  await writeFile(
    join(manualOnly, 'settings.yaml'),
    `database: ${join(manualOnly, 'data/firstreply.db')}\nevidence_dir: ${join(manualOnly, 'data/evidence')}\n`,
  );
  await writeFile(join(manualOnly, 'phoneco.yaml'), vendorFile(['  - { id: hotline, kind: manual, medium: phone }']));
});

afterAll(async () => {
  for (const dir of [withMail, manualOnly]) if (dir) await rm(dir, { recursive: true, force: true });
});

describe('read-only commands without mail secrets', () => {
  it('stats and review read the store with the IMAP and SMTP password variables unset; schema needs no catalog', async () => {
    const stats = await cli(['stats', '--dir', withMail]);
    expect(stats.stderr).toBe('');
    expect(stats.code).toBe(0);
    expect((await cli(['stats', '--dir', withMail, '--json'])).code).toBe(0);
    const review = await cli(['review', '--dir', withMail]);
    expect(review.stderr).toBe('');
    expect(review.code).toBe(0);
    expect(review.stdout).toContain('message(s) to review');
    const schema = await cli(['schema']);
    expect(schema.code).toBe(0);
    expect(JSON.parse(schema.stdout)).toMatchObject({ title: 'firstreply vendor definition' });
  }, 60_000);

  it('serve reads the store only, so it starts without them too', async () => {
    expect((await serveOnce(['serve', '--dir', withMail, '--port', '0'])).vendors).toContain('phoneco');
  }, 60_000);

  it('commands that connect still name every unset secret', async () => {
    const validate = await cli(['validate', '--dir', withMail]);
    expect(validate.code).toBe(2);
    for (const name of unsetVars) expect(validate.stderr).toContain(name);
  }, 30_000);
});

describe('--dir for every command', () => {
  it('start takes --dir (and the bare directory as before)', async () => {
    expect((await serveOnce(['start', '--dir', manualOnly, '--port', '0', '--no-schedule'])).vendors).toContain('phoneco');
  }, 60_000);

  it('validate takes --dir or the bare directory; two different ones are a usage error', async () => {
    expect((await cli(['validate', '--dir', manualOnly])).code).toBe(0);
    expect((await cli(['validate', manualOnly])).code).toBe(0);
    const both = await cli(['serve', '--dir', manualOnly, withMail]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('two catalog directories');
    expect(both.stderr).toContain('usage: firstreply serve');
  }, 60_000);
});

describe('bad options', () => {
  it.each([
    ['stats', ['--bogus']],
    ['review', ['--frobnicate', '1']],
    ['schema', ['--pretty']],
    ['start', ['--dri', 'probes']],
    ['serve', ['--port']],
    ['validate', ['--verbos']],
    ['probe', ['acme', 'email', '--now']],
    ['alerts', ['--opne']],
  ])(
    '%s %s: the usage line and exit code 2, no stack trace',
    async (name, args) => {
      const result = await cli([name, ...args]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`usage: firstreply ${name}`);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stderr).not.toContain('TypeError');
    },
    30_000,
  );
});
