/**
 * Turns `--source <spec>` into a source: `x-stream`, `x-search`, `synthetic`, or `file:<path>`.
 * Without a spec: the X stream when a bearer token is configured, the synthetic generator otherwise.
 */
import type { Logger } from 'pino';
import type { Observable } from 'rxjs';
import { ConfigError } from '../../lib/errors.js';
import { createFileSource$, type FileFormat } from './file.js';
import type { Pace } from './pacer.js';
import type { SyntheticOptions } from './synthetic.js';
import { createSyntheticSource$ } from './synthetic-source.js';
import type { Demand, IngestItem, SourceKind } from './types.js';
import { createXClient } from './x-client.js';
import { createXSearch$ } from './x-search.js';
import { createXStream$ } from './x-stream.js';

export type SourceSpec =
  | { readonly kind: 'x-stream' }
  | { readonly kind: 'x-search' }
  | { readonly kind: 'synthetic' }
  | { readonly kind: 'file'; readonly path: string };

export function parseSourceSpec(spec: string | undefined, hasXToken: boolean): SourceSpec {
  if (spec === undefined || spec === '') return hasXToken ? { kind: 'x-stream' } : { kind: 'synthetic' };
  if (spec.startsWith('file:')) {
    const path = spec.slice('file:'.length);
    if (path === '') throw new ConfigError('--source file:<path> needs a path');
    return { kind: 'file', path };
  }
  if (spec === 'x-stream' || spec === 'x-search' || spec === 'synthetic') return { kind: spec };
  throw new ConfigError(`unknown --source "${spec}": expected x-stream, x-search, synthetic or file:<path>`);
}

export interface SourceContext {
  readonly logger: Logger;
  readonly x: { readonly bearerToken?: string | undefined; readonly apiUrl: string };
  readonly search?: { readonly query: string; readonly intervalMs: number; readonly sinceId: string | null };
  readonly synthetic?: {
    readonly rate: number;
    readonly options: SyntheticOptions;
    /** After every tick of a paced synthetic source: how far it is behind its rate (for metrics). */
    readonly onPace?: (pace: Pace) => void;
  };
  readonly file?: { readonly format?: FileFormat; readonly progress: NodeJS.WriteStream | null };
}

export function sourceKindOf(spec: SourceSpec): SourceKind {
  return spec.kind;
}

export function buildSource(
  spec: SourceSpec,
  context: SourceContext,
): (demand: Demand) => Observable<IngestItem> {
  const { logger, x } = context;
  const xClient = () => {
    if (x.bearerToken === undefined) {
      throw new ConfigError(`--source ${spec.kind} needs X_BEARER_TOKEN`);
    }
    return createXClient({ bearerToken: x.bearerToken, apiUrl: x.apiUrl });
  };
  switch (spec.kind) {
    case 'x-stream': {
      const client = xClient();
      return (demand) => createXStream$({ client, logger: logger.child({ module: 'x-stream' }), demand });
    }
    case 'x-search': {
      const client = xClient();
      const search = context.search;
      if (search === undefined) throw new ConfigError('--source x-search needs a --query');
      return (demand) => createXSearch$({ client, logger, ...search, demand });
    }
    case 'synthetic': {
      const synthetic = context.synthetic ?? { rate: 20, options: {} };
      return (demand) =>
        createSyntheticSource$({
          rate: synthetic.rate,
          synthetic: synthetic.options,
          demand,
          logger,
          ...(synthetic.onPace === undefined ? {} : { onPace: synthetic.onPace }),
        });
    }
    case 'file':
      return (demand) =>
        createFileSource$({
          path: spec.path,
          demand,
          progress: context.file?.progress ?? null,
          ...(context.file?.format === undefined ? {} : { format: context.file.format }),
        });
  }
}
