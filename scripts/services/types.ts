/** What a provider hands out: where each server answers, which version it reports, and how to stop it. */

/** Which path provided a server, in order of choice. */
export const serviceSources = ['env', 'testcontainers', 'local'] as const;
export type ServiceSource = (typeof serviceSources)[number];

export interface KafkaEndpoint {
  readonly brokers: readonly string[];
  /** As reported by the broker itself (ApiVersions), refined by the launcher when it knows the build. */
  readonly version: string;
  readonly source: ServiceSource;
}

export interface ClickHouseEndpoint {
  readonly url: string;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** As reported by `SELECT version()`. */
  readonly version: string;
  readonly source: ServiceSource;
}

/** A server this process started (or adopted); stop() is idempotent. */
export interface StartedServer {
  /** OS process id when the server is a local process (used by the state file and the watchdog). */
  readonly pid?: number;
  /** Container id when the server runs in Docker. */
  readonly containerId?: string;
  /** Directory holding its data and logs, removed on stop. */
  readonly dir?: string;
  stop(): Promise<void>;
}

export interface Provided<E> {
  readonly endpoint: E;
  /** Absent when the server was given in the environment: we did not start it, so we do not stop it. */
  readonly server?: StartedServer;
  /** How long providing it took, for the start-up report. */
  readonly startMs: number;
}
