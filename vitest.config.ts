import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // The JSON report lets .ci/run print the "N passed, N failed" line CI reads.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-artifacts/vitest.json' },
    projects: [
      { extends: true, test: { name: 'firstreply', include: ['tests/**/*.test.ts'], exclude: [...configDefaults.exclude, 'tests/peers/**'] } },
      // Real vendor-side software (Postfix, Dovecot Sieve, Request Tracker, Prosody) started per file on loopback; the
      // global set-up prints which peers ran, which were skipped and why, and the figures the tests measured.
      {
        extends: true,
        test: { name: 'peers', include: ['tests/peers/**/*.test.ts'], globalSetup: ['tests/peers/summary.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
      },
    ],
  },
});
