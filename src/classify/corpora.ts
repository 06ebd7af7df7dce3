// Where the real-mail corpora live on a developer's machine: the shared base set beside the repository, and the
// larger set `npm run corpus:fetch` materialises from tests/corpus/external.tsv (other projects' mail, read from
// their git history; never copied into this repository).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const sharedCorpusDir = join('..', 'shared', 'corpus');

/** Where the corpus fetch keeps what it materialises (`corpus`) and its bare clones (`git`). */
export function corpusCacheDir(name: 'corpus' | 'git', env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'firstreply', name);
}

export function fetchedCorpusDir(env: NodeJS.ProcessEnv = process.env): string {
  return corpusCacheDir('corpus', env);
}

/** The real corpora present here, each with a labels.tsv. */
export function realCorpora(env: NodeJS.ProcessEnv = process.env): string[] {
  return [sharedCorpusDir, fetchedCorpusDir(env)].filter((dir) => existsSync(join(dir, 'labels.tsv')));
}
