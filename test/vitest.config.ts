/**
 * The suite's vitest configuration (`npm test`). It lives under test/ so the top level stays
 * package.json, tsconfig.json and README.md.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    dir: 'test',
    // Generous per-test limit: the suite must pass on a loaded 2-core machine, where a test that
    // takes 1 s idle can take 20. Speed goals live in `npm run bench`, never here.
    testTimeout: 120_000,
    setupFiles: ['test/setup/yield-between-tests.ts'],
  },
});
