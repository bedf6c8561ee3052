export { INGEST_STATE_TOPIC, type IngestTopics, routeItem } from './messages.js';
export { createPaceMetrics } from './pace-metrics.js';
export { type IngestStats, type RunIngestOptions, runIngest } from './run-ingest.js';
