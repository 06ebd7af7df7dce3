// `npm run corpus:fetch [-- --into DIR] [--git-cache DIR] [--manifest FILE]`: materialises the external real-mail
// corpus named in tests/corpus/external.tsv. The repository holds only references and our labels (repository,
// path, commit, label, why); the mail itself is other projects' test data and is read from their git history,
// byte for byte, at the recorded commit. Bare clones are kept in the git cache (DIR/owner+name) and fetched from
// GitHub when absent, so a second run works offline.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { corpusCacheDir, fetchedCorpusDir } from '../src/classify/corpora.ts';

const { values } = parseArgs({
  options: {
    into: { type: 'string', default: fetchedCorpusDir() },
    'git-cache': { type: 'string', default: corpusCacheDir('git') },
    manifest: { type: 'string', default: 'tests/corpus/external.tsv' },
    offline: { type: 'boolean', default: false },
  },
});

const manifest = resolve(values.manifest);
const into = resolve(values.into);
const cache = resolve(values['git-cache']);
const lines = readFileSync(manifest, 'utf8').split('\n');
const header = (lines[0] ?? '').split('\t');
const col = (name: string): number => {
  const i = header.indexOf(name);
  if (i < 0) throw new Error(`${manifest}:1: no column "${name}"`);
  return i;
};
const [cFile, cRepo, cPath, cCommit] = ['filename', 'source_repo', 'source_path', 'source_commit'].map(col) as [number, number, number, number];
const cSha = header.indexOf('sha256');

function gitDir(repo: string): string {
  const dir = join(cache, repo.replace('/', '+'));
  if (!existsSync(dir)) {
    if (values.offline) throw new Error(`${repo}: not in the git cache ${cache} (--offline)`);
    mkdirSync(cache, { recursive: true });
    execFileSync('git', ['clone', '--quiet', '--bare', '--filter=blob:none', `https://github.com/${repo}.git`, dir], { stdio: 'inherit' });
  }
  return dir;
}

function show(repo: string, commit: string, path: string): Buffer {
  const dir = gitDir(repo);
  const read = (): Buffer => execFileSync('git', ['--git-dir', dir, 'show', `${commit}:${path}`], { maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    return read();
  } catch (error) {
    if (values.offline) throw error;
    execFileSync('git', ['--git-dir', dir, 'fetch', '--quiet', 'origin', commit], { stdio: 'inherit' });
    return read();
  }
}

/** The Message-ID in a message's header block: one message kept at two paths (a fixture copied, a post to two lists) counts once. */
function messageIdIn(bytes: Buffer): string | undefined {
  const text = bytes.subarray(0, 64 * 1024).toString('latin1');
  const head = text.split(/\r?\n\r?\n/, 1)[0] ?? '';
  return /^message-id:\s*(<[^<>\s]+>)/im.exec(head.replace(/\r?\n[ \t]+/g, ' '))?.[1];
}

const kept: string[] = [lines[0] ?? ''];
const failures: string[] = [];
const seen = new Map<string, string>();
for (const [index, line] of lines.entries()) {
  if (index === 0 || !line.trim() || line.startsWith('#')) continue;
  const cols = line.split('\t');
  const at = `${manifest}:${index + 1}`;
  const [file, repo, path, commit] = [cols[cFile], cols[cRepo], cols[cPath], cols[cCommit]];
  if (!file || !repo || !path || !/^[0-9a-f]{40}$/.test(commit ?? '')) {
    failures.push(`${at}: filename, source_repo, source_path and a 40-hex source_commit are required`);
    continue;
  }
  if (file.includes('..') || file.startsWith('/')) {
    failures.push(`${at}: filename: must stay inside the corpus (${file})`);
    continue;
  }
  try {
    const bytes = show(repo, commit as string, path);
    const sha = cSha >= 0 ? cols[cSha] : '';
    const got = createHash('sha256').update(bytes).digest('hex');
    if (sha && sha !== got) {
      failures.push(`${at}: sha256: ${repo}@${commit?.slice(0, 12)}:${path} hashes to ${got}, the manifest says ${sha}`);
      continue;
    }
    const id = messageIdIn(bytes);
    const first = id ? seen.get(id) : undefined;
    if (id && first) {
      failures.push(`${at}: the same message as ${first} (Message-ID ${id}): one copy counts`);
      continue;
    }
    if (id) seen.set(id, file);
    const target = join(into, file);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
    kept.push(line);
  } catch (error) {
    failures.push(`${at}: ${repo}@${commit?.slice(0, 12)}:${path}: ${(error as Error).message.split('\n')[0]}`);
  }
}
mkdirSync(into, { recursive: true });
// Only what was written is labelled, so a partial fetch still evaluates.
writeFileSync(join(into, 'labels.tsv'), `${kept.join('\n')}\n`);
const groups = join(dirname(manifest), 'source-groups.tsv');
if (existsSync(groups)) copyFileSync(groups, join(into, 'source-groups.tsv'));
console.log(`${kept.length - 1} mails written to ${into}${failures.length ? `; ${failures.length} failed:` : ''}`);
for (const f of failures) console.error(`  ${f}`);
process.exitCode = failures.length ? 1 : 0;
