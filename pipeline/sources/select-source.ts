/**
 * Turns `--source <spec>` into a source: `x-stream`, `x-search`, `synthetic`, `file:<path>`, `bluesky`
 * or `mastodon:<instance>` (a host name, or an http(s):// base URL).
 * Without a spec: the X stream when a bearer token is configured, the synthetic generator otherwise.
 */
import type { Logger } from 'pino';
import { ConfigError } from '../../lib/errors.js';
import { createFileSource$, type FileFormat } from './file.js';
import { createJetstream$, type JetstreamOptions } from './jetstream.js';
import { createMastodonStream$, type MastodonSourceOptions } from './mastodon-stream.js';
import type { Pace } from './pacer.js';
import type { SyntheticOptions } from './synthetic.js';
import { createSyntheticSource$ } from './synthetic-source.js';
import type { IngestSource, SourceKind } from './types.js';
import { createXClient } from './x-client.js';
import { createXSearch$ } from './x-search.js';
import { createXStream$ } from './x-stream.js';

export type SourceSpec =
  | { readonly kind: 'x-stream' }
  | { readonly kind: 'x-search' }
  | { readonly kind: 'synthetic' }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'bluesky' }
  | { readonly kind: 'mastodon'; readonly baseUrl: string };

const MASTODON_HELP = '--source mastodon:<instance> needs an instance, e.g. mastodon:mastodon.social';

/** `mastodon.social` -> https://mastodon.social; an http(s) URL stays (tests use http://127.0.0.1:port). */
function mastodonBaseUrl(instance: string): string {
  if (/^https?:\/\//i.test(instance)) {
    let url: URL;
    try {
      url = new URL(instance);
    } catch {
      throw new ConfigError(`${MASTODON_HELP}; "${instance}" is not a URL`);
    }
    if (url.pathname !== '/' || url.search !== '')
      throw new ConfigError(`${MASTODON_HELP}; give the bare instance URL`);
    return url.origin;
  }
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d{1,5})?$/i.test(instance)) {
    throw new ConfigError(`${MASTODON_HELP}; "${instance}" is not a host name`);
  }
  return `https://${instance.toLowerCase()}`;
}

export function parseSourceSpec(spec: string | undefined, hasXToken: boolean): SourceSpec {
  if (spec === undefined || spec === '') return hasXToken ? { kind: 'x-stream' } : { kind: 'synthetic' };
  if (spec.startsWith('file:')) {
    const path = spec.slice('file:'.length);
    if (path === '') throw new ConfigError('--source file:<path> needs a path');
    return { kind: 'file', path };
  }
  if (spec.startsWith('mastodon:')) {
    const instance = spec.slice('mastodon:'.length);
    if (instance === '') throw new ConfigError(MASTODON_HELP);
    return { kind: 'mastodon', baseUrl: mastodonBaseUrl(instance) };
  }
  if (spec === 'x-stream' || spec === 'x-search' || spec === 'synthetic' || spec === 'bluesky')
    return { kind: spec };
  throw new ConfigError(
    `unknown --source "${spec}": expected x-stream, x-search, synthetic, bluesky, mastodon:<instance> or file:<path>`,
  );
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
  readonly bluesky?: Omit<JetstreamOptions, 'logger' | 'demand'>;
  readonly mastodon?: Omit<MastodonSourceOptions, 'logger' | 'demand' | 'api'> & {
    readonly token?: string | undefined;
  };
}

export function sourceKindOf(spec: SourceSpec): SourceKind {
  return spec.kind;
}

export function buildSource(spec: SourceSpec, context: SourceContext): IngestSource {
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
    case 'bluesky': {
      if (context.bluesky === undefined) throw new ConfigError('--source bluesky needs its settings');
      return createJetstream$({ ...context.bluesky, logger });
    }
    case 'mastodon': {
      if (context.mastodon === undefined) throw new ConfigError('--source mastodon needs its settings');
      const { token, ...rest } = context.mastodon;
      return createMastodonStream$({ ...rest, api: { baseUrl: spec.baseUrl, token }, logger });
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
