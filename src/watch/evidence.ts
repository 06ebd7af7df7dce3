// Raw evidence (sent and received .eml) stored once under the evidence dir, named by content hash.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

interface StoredEvidence {
  path: string;
  sha256: string;
}

export async function saveEvidence(dir: string, raw: Buffer, extension = 'eml'): Promise<StoredEvidence> {
  const sha256 = createHash('sha256').update(raw).digest('hex');
  const folder = join(dir, sha256.slice(0, 2));
  const path = join(folder, `${sha256}.${extension}`);
  await mkdir(folder, { recursive: true });
  try {
    await writeFile(path, raw, { flag: 'wx' });
  } catch (err) {
    // The same bytes were stored before: content addressing makes that a success.
    if (!(err instanceof Error && 'code' in err && err.code === 'EEXIST')) throw err;
  }
  return { path, sha256 };
}
