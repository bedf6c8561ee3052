/**
 * The one error hierarchy. Every operational error says whether retrying can help and keeps its cause.
 * Programmer errors (TypeError, RangeError) are not wrapped: they crash.
 */
export class SentiflowError extends Error {
  readonly retriable: boolean;
  constructor(message: string, options: { retriable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable;
  }
}

/** Bad configuration or CLI input. Handled by the CLI: one line, exit code 2. */
export class ConfigError extends SentiflowError {
  constructor(message: string, cause?: unknown) {
    super(message, { retriable: false, cause });
  }
}

/** A dependency (Kafka, ClickHouse, X, exchange) could not be reached or answered with a transient failure.
 * Handled by the caller's back-off loop; surfaced to the CLI as one line after the deadline. */
export class UnavailableError extends SentiflowError {
  readonly service: string;
  constructor(service: string, message: string, cause?: unknown) {
    super(message, { retriable: true, cause });
    this.service = service;
  }
}

/** A dependency refused the request for good (auth, bad request, schema). Handled by the CLI: one line, exit 1. */
export class RejectedError extends SentiflowError {
  readonly service: string;
  constructor(service: string, message: string, cause?: unknown) {
    super(message, { retriable: false, cause });
    this.service = service;
  }
}

/** Bad input data (a file, a payload). Handled by dead-lettering and counting; never stops the pipeline. */
export class InputError extends SentiflowError {
  readonly where: string;
  constructor(where: string, message: string, cause?: unknown) {
    super(`${where}: ${message}`, { retriable: false, cause });
    this.where = where;
  }
}

export function isRetriable(error: unknown): boolean {
  return error instanceof SentiflowError && error.retriable;
}

/** One line for a human: the message of the error and of its causes, without stack traces. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
    const message = (current instanceof Error ? current.message : String(current))
      .replace(/\s+/g, ' ')
      .trim();
    if (message && !parts.some((p) => p.includes(message))) parts.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(': ');
}
