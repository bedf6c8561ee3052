/**
 * The reliability suite (`npm run test:reliability`): load, faults, bad input and (on demand) soak
 * against real Kafka and ClickHouse. Not part of `npm test`. Sizes come from the environment:
 *   RELIABILITY_PROFILE=ci        bounded sizes for CI (about 10 minutes in all)
 *   RELIABILITY_RATE              load: target envelopes/s (default 5000)
 *   RELIABILITY_LOAD_SECONDS      load: how long to ingest (default 180; ci 30)
 *   RELIABILITY_CH_DOWN_MS        faults: how long ClickHouse stays dead (default 60000; ci 10000)
 *   RELIABILITY_FUZZ_COUNT        bad input: malformed payloads (default 30000; ci 10000)
 *   RELIABILITY_SOAK_MINUTES      soak: runs only when set (e.g. 30)
 * The summary table (scenario, messages in, rows out, lost, duplicated, recovery time) is printed at
 * the end by summary-setup.ts.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));
const soak =
  process.env.RELIABILITY_SOAK_MINUTES !== undefined && process.env.RELIABILITY_SOAK_MINUTES !== '';

export default defineConfig({
  test: {
    root,
    name: 'reliability',
    include: ['test/reliability/**/*.spec.ts'],
    // The soak runs on demand only: without RELIABILITY_SOAK_MINUTES it is not collected at all.
    exclude: soak ? [] : ['test/reliability/soak.spec.ts'],
    globalSetup: ['test/support/global-setup.ts', 'test/reliability/summary-setup.ts'],
    testTimeout: 3_600_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
