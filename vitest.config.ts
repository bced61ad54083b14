import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Two files at a time: most tests wait on brokers, DuckDB and child processes rather than on a core,
    // and Vitest's default (cores − 1) ran one at a time on this 2-core machine (~16 min for the suite).
    maxWorkers: 2,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.{ts,tsx}', 'tests/integration/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['tests/helpers/setup-children.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['tests/helpers/setup-children.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // A value read once can race the screen's next render under load; polled reads wait this long.
          expect: { poll: { timeout: 15_000 } },
          // One Chromium at a time: this is a 2-core machine.
          fileParallelism: false,
        },
      },
    ],
  },
});
