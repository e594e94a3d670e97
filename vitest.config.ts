/** Small and medium tests (CONVENTIONS §9): pure logic, and routes through app.request() on a fresh SQLite. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'server/**/*.test.ts',
      'renderer/**/*.test.ts',
      'scripts/**/*.test.ts',
      'bench/**/*.test.ts',
      'electron/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one worker per core minus one: a single worker on the 2-core CI machine. Most
    // suites wait on PostgreSQL, PGlite, child processes (the sync fault tests) or HTTP, so two workers
    // keep both cores busy (the whole run, 1,207 tests, went from 512 s to 362 s here; 2026-12-01).
    maxWorkers: 2,
  },
});
