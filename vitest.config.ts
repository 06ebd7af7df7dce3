import { configDefaults, defineConfig } from 'vitest/config';

const slow = [
  'tests/unit/alerts-simulation.test.ts',
  'tests/unit/metrics-simulation.test.ts',
  'tests/unit/scheduler-week.test.ts',
  'tests/unit/classify-corpus.test.ts',
  'tests/unit/store-rollups.test.ts',
];

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
      // Tiers: a developer runs the fast one in seconds (`npm run test:unit`); `npm test` runs them all.
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], exclude: [...configDefaults.exclude, ...slow] } },
      // Long simulations and evaluations: alert and statistics simulations over simulated years, the classifier
      // corpora, the rollups against random windows.
      { extends: true, test: { name: 'sim', include: slow } },
      { extends: true, test: { name: 'integration', include: ['tests/integration/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'] } },
      // Real vendor-side software (Postfix, Dovecot Sieve, Request Tracker, Prosody) started per file on loopback; the
      // global set-up prints which peers ran, which were skipped and why, and the figures the tests measured.
      {
        extends: true,
        test: { name: 'peers', include: ['tests/peers/**/*.test.ts'], globalSetup: ['tests/peers/summary.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
      },
    ],
  },
});
