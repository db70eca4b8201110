import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Shared vitest settings for every package: workspace packages resolve to their TypeScript
 * sources (the `source` export condition), so tests need no build; the setup file wires
 * `@ot/test-utils` to `@ot/core`'s backend initialisation.
 */
export const shared = defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    setupFiles: [fileURLToPath(new URL('./vitest.setup.ts', import.meta.url))],
  },
});
