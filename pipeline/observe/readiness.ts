/**
 * Real dependency state for /readyz: each dependency (kafka, clickhouse) is ready while its last
 * successful contact (a write, a commit, a probe) is at most `staleMs` old. A dependency that was
 * registered but never reached is not ready.
 */
import type { Metrics } from './metrics.js';

export interface DependencyState {
  readonly name: string;
  readonly ready: boolean;
  /** Milliseconds since the last success, or null if never reached. */
  readonly sinceOkMs: number | null;
  readonly lastError: string | null;
}

export interface Readiness {
  /** Adds a dependency that must be reachable for the process to be ready. */
  register(name: string): void;
  ok(name: string): void;
  failed(name: string, error: string): void;
  states(): DependencyState[];
  readonly ready: () => boolean;
}

export function createReadiness(options: {
  readonly staleMs: number;
  readonly now?: () => number;
  readonly metrics?: Metrics;
}): Readiness {
  const now = options.now ?? Date.now;
  const deps = new Map<string, { lastOk: number | null; lastError: string | null }>();
  const entry = (name: string) => {
    let d = deps.get(name);
    if (!d) {
      d = { lastOk: null, lastError: null };
      deps.set(name, d);
    }
    return d;
  };
  const states = (): DependencyState[] =>
    [...deps].map(([name, d]) => {
      const sinceOkMs = d.lastOk === null ? null : now() - d.lastOk;
      return {
        name,
        ready: sinceOkMs !== null && sinceOkMs <= options.staleMs,
        sinceOkMs,
        lastError: d.lastError,
      };
    });
  return {
    register: (name) => void entry(name),
    ok(name) {
      const d = entry(name);
      d.lastOk = now();
      d.lastError = null;
      options.metrics?.dependencyUp.set({ dependency: name }, 1);
    },
    failed(name, error) {
      entry(name).lastError = error;
      options.metrics?.dependencyUp.set({ dependency: name }, 0);
    },
    states,
    ready: () => states().every((s) => s.ready),
  };
}
