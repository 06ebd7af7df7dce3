// The external corpus is materialised from references: real git history at a recorded commit, verified by hash.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLabels } from '../../src/classify/evaluate.ts';

const root = mkdtempSync(join(tmpdir(), 'fr-corpus-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const git = (dir: string, ...args: string[]): string =>
  execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { encoding: 'utf8' }).trim();

const mail = Buffer.from('From: a@example.com\r\nSubject: Re: help\r\n\r\nThanks, that fixed it.\r\n');
const later = Buffer.from('From: a@example.com\r\nSubject: Re: help\r\n\r\nChanged after the commit we recorded.\r\n');

// A repository whose file changed after the recorded commit, cloned bare into the cache as owner+name.
const work = join(root, 'work');
mkdirSync(join(work, 'fixtures'), { recursive: true });
git(root, 'init', '-q', work);
writeFileSync(join(work, 'fixtures', 'reply.eml'), mail);
// One message kept twice, with other headers around it (a fixture copied, a post archived by two lists).
const posted = Buffer.from('Message-ID: <post-1@example.com>\r\nFrom: b@example.com\r\nSubject: [list-a] crash\r\n\r\nIt crashes.\r\n');
const copied = Buffer.from(
  'Received: by lists\r\nMessage-Id:\r\n <post-1@example.com>\r\nFrom: b@example.com\r\nSubject: [list-b] crash\r\n\r\nIt crashes.\r\n',
);
writeFileSync(join(work, 'fixtures', 'post.eml'), posted);
writeFileSync(join(work, 'fixtures', 'copy.eml'), copied);
git(work, 'add', '.');
git(work, 'commit', '-q', '-m', 'one');
const commit = git(work, 'rev-parse', 'HEAD');
writeFileSync(join(work, 'fixtures', 'reply.eml'), later);
git(work, 'commit', '-q', '-am', 'two');
const cache = join(root, 'cache');
mkdirSync(cache);
execFileSync('git', ['clone', '-q', '--bare', work, join(cache, 'someone+mailfixtures')]);

const sha = createHash('sha256').update(mail).digest('hex');
const header = 'filename\tlabel\tfine_label\tsource_repo\tsource_path\tsource_commit\tlabel_derivation\tnotes\tkind\tlang\tsha256';
const row = (file: string, hash: string, path = 'fixtures/reply.eml') =>
  [file, 'human', 'customer_reply', 'someone/mailfixtures', path, commit, 'inspection: a person thanks', '', 'human', 'en', hash].join('\t');

function fetchCorpus(rows: string[]): { status: number | null; out: string; into: string } {
  const dir = mkdtempSync(join(root, 'run-'));
  const manifest = join(dir, 'external.tsv');
  writeFileSync(manifest, `${[header, ...rows].join('\n')}\n`);
  const into = join(dir, 'corpus');
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/corpus-fetch.ts', '--manifest', manifest, '--into', into, '--git-cache', cache, '--offline'],
    { encoding: 'utf8' },
  );
  return { status: run.status, out: run.stdout + run.stderr, into };
}

describe('npm run corpus:fetch', () => {
  it('writes the bytes at the recorded commit, not the newest, and labels them for the evaluator', () => {
    const { status, out, into } = fetchCorpus([row('mailfixtures/reply.eml', sha)]);
    expect(out).toContain('1 mails written');
    expect(status).toBe(0);
    expect(readFileSync(join(into, 'mailfixtures', 'reply.eml')).equals(mail)).toBe(true);
    const labels = readLabels(into);
    expect(labels).toHaveLength(1);
    expect(labels[0]).toMatchObject({ file: 'mailfixtures/reply.eml', expected: 'human', origin: { repo: 'someone/mailfixtures', commit } });
  });

  it('refuses a file whose hash differs, a path leaving the corpus and a missing path, naming the manifest line, and labels only what it wrote', () => {
    const { status, out, into } = fetchCorpus([
      row('mailfixtures/reply.eml', sha),
      row('mailfixtures/bad-hash.eml', '0'.repeat(64)),
      row('../escape.eml', sha),
      row('mailfixtures/gone.eml', '', 'fixtures/none.eml'),
    ]);
    expect(status).toBe(1);
    expect(out).toContain('1 mails written');
    expect(out).toMatch(/external\.tsv:3: sha256: /);
    expect(out).toMatch(/external\.tsv:4: filename: must stay inside the corpus/);
    expect(out).toMatch(/external\.tsv:5: someone\/mailfixtures@/);
    expect(readLabels(into).map((l) => l.file)).toEqual(['mailfixtures/reply.eml']);
  });
});

describe('one message, one row', () => {
  it('refuses a second copy of a message (the same Message-ID, other headers), naming the first', () => {
    const hash = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const { status, out, into } = fetchCorpus([
      row('list-a/post.eml', hash(posted), 'fixtures/post.eml'),
      row('list-b/copy.eml', hash(copied), 'fixtures/copy.eml'),
    ]);
    expect(status).toBe(1);
    expect(out).toContain('1 mails written');
    expect(out).toMatch(/external\.tsv:3: the same message as list-a\/post\.eml \(Message-ID <post-1@example\.com>\)/);
    expect(readLabels(into).map((l) => l.file)).toEqual(['list-a/post.eml']);
  });
});

describe("the repository's manifest (tests/corpus)", () => {
  it("holds out one owner's repositories together: every folder of an owner maps to one source", () => {
    const cells = (file: string) =>
      readFileSync(join(import.meta.dirname, '..', 'corpus', file), 'utf8')
        .split('\n')
        .filter((l) => l.trim() && !l.startsWith('#'))
        .map((l) => l.split('\t'));
    const group = new Map(cells('source-groups.tsv').map(([folder, source]) => [folder, source]));
    const [header, ...rows] = cells('external.tsv');
    const col = (name: string) => header?.indexOf(name) ?? -1;
    const sourcesOf = new Map<string, Set<string>>();
    for (const r of rows) {
      const folder = r[col('filename')]?.split('/')[0] ?? '';
      const owner = r[col('source_repo')]?.split('/')[0] ?? '';
      const set = sourcesOf.get(owner) ?? new Set<string>();
      set.add(group.get(folder) ?? folder);
      sourcesOf.set(owner, set);
    }
    expect(rows.length).toBeGreaterThan(400);
    const split = [...sourcesOf].filter(([, s]) => s.size > 1).map(([owner, s]) => `${owner}: ${[...s].join(', ')}`);
    expect(split).toEqual([]);
  });
});
