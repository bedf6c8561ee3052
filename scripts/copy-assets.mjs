// Copies non-TypeScript assets the built CLI reads at run time (SQL migrations, the scorer model) next to
// the compiled code.
import { cpSync } from 'node:fs';

cpSync('sinks/clickhouse/migrations', 'dist/sinks/clickhouse/migrations', { recursive: true });
cpSync('pipeline/models', 'dist/pipeline/models', { recursive: true });
