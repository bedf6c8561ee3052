/**
 * The one place that reads the environment. `loadConfig()` merges an optional JSON config file with
 * environment variables (env wins), validates everything with one zod schema, and reports every bad
 * key in one line. Factories receive their slice (`config.kafka`, `config.clickhouse`, ...).
 */
export * from './config/engine.js';
export * from './config/env-keys.js';
export * from './config/load.js';
export * from './config/schema.js';
