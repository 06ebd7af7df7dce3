// `npm run soak [-- NAME…]`: runs each slow soak (tests/soak/*.soak.ts, or those named) in turn; each prints a JSON line last.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const soaks = readdirSync(here)
  .filter((f) => f.endsWith('.soak.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.soak\.ts$/, '')));
if (soaks.length === 0) {
  console.error(`no soak named ${wanted.join(', ')} in tests/soak/`);
  process.exit(2);
}
let failed = 0;
for (const soak of soaks) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, soak)], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
