import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:container`: the compose stack and the testcontainers path on locally built images.
// Slow (a cold machine builds base images for minutes), so it is a suite of its own, not part of `npm test`.
export default defineConfig({
  test: {
    name: 'container',
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/container/**/*.spec.ts'],
    globalSetup: ['test/container/global-setup.ts'],
    testTimeout: 240_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
