// `npm run train-classifier` writes a model file that passes the project's formatter as written.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'fr-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run train-classifier', () => {
  it("writes the shipped model in the formatter's layout, trained on the corpora it is given", { timeout: 120_000 }, () => {
    const out = join(dir, 'model-weights.ts');
    copyFileSync(join(root, 'src', 'classify', 'model-weights.ts'), out);
    try {
      const printed = execFileSync(
        join(root, 'node_modules', '.bin', 'tsx'),
        ['scripts/train-classifier.ts', '--corpus', 'tests/fixtures/mail', '--train-with', 'tests/fixtures/mail', '--out', out],
        { cwd: root, encoding: 'utf8' },
      );
      expect(printed).toMatch(/wrote .* \d+ weights from \d+ mails/);
      expect(readFileSync(out, 'utf8')).toContain("corpora: ['tests/fixtures/mail'");
      const written = readFileSync(out, 'utf8');
      const check = spawnSync(join(root, 'node_modules', '.bin', 'biome'), ['format', '--stdin-file-path=src/classify/model-weights.ts'], {
        cwd: root,
        input: written,
        encoding: 'utf8',
      });
      expect(check.status, check.stderr).toBe(0);
      expect(check.stdout).toBe(written);
    } finally {
      rmSync(out, { force: true });
    }
  });
});

describe('trainWeights', () => {
  it("keeps each rule on its own side: a person's sign seen mostly on automatic mail weighs nothing, never for a machine", async () => {
    const { trainWeights } = await import('../../src/classify/model.ts');
    const sig = (rule: string, label: 'human' | 'auto_ack') => ({ rule, label, weight: 1 });
    const samples = [
      // A greeting by name on acknowledgements (automatic) far more than on answers.
      ...Array.from({ length: 20 }, (_, i) => ({
        signals: [sig('person.greets-by-name', 'human'), sig('en.ack', 'auto_ack')],
        human: false,
        source: `a${i % 4}`,
      })),
      ...Array.from({ length: 20 }, (_, i) => ({ signals: [sig('person.first-person', 'human')], human: true, source: `h${i % 4}` })),
      ...Array.from({ length: 5 }, (_, i) => ({
        signals: [sig('person.greets-by-name', 'human'), sig('person.first-person', 'human')],
        human: true,
        source: `h${i % 4}`,
      })),
    ];
    const { weights } = trainWeights(samples);
    expect(weights['person.greets-by-name:+']).toBeGreaterThanOrEqual(0);
    expect(weights['person.first-person:+']).toBeGreaterThan(0);
    expect(weights['en.ack:-']).toBeLessThan(0);
  });
});
