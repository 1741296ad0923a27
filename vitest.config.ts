import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['common/**/*.test.ts', 'main/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    // Native better-sqlite3 and child processes: separate processes are the robust choice.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
