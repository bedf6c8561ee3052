/**
 * Builds a ccxt client from config: any exchange id, keys from config (env only), sandbox when the
 * venue has one, and an optional REST base URL that replaces the origin of every `urls.api` entry
 * (so the same build can talk to a local test double).
 */
import { type Exchange as CcxtExchange, exchanges } from 'ccxt';
import { ConfigError } from '../../lib/errors.js';

export interface CcxtClientOptions {
  readonly exchangeId: string;
  readonly apiKey?: string | null;
  readonly secret?: string | null;
  /** Replaces scheme, host and port of every REST endpoint; a path prefix is kept in front of theirs. */
  readonly apiUrl?: string | null;
  readonly sandbox?: boolean;
  readonly timeoutMs?: number;
  /** ccxt's own rate limiter; keep on against real venues. */
  readonly enableRateLimit?: boolean;
  /** Extra ccxt options (e.g. { fetchCurrencies: false }). */
  readonly options?: Readonly<Record<string, unknown>>;
}

type CcxtConstructor = new (config: Record<string, unknown>) => CcxtExchange;

export function ccxtExchangeIds(): readonly string[] {
  return Object.keys(exchanges);
}

/** Binance loads currencies and margin pairs from private endpoints when keys are set; spot trading needs neither. */
const VENUE_OPTIONS: Readonly<Record<string, Record<string, unknown>>> = {
  binance: {
    fetchCurrencies: false,
    fetchMargins: false,
    fetchMarkets: { types: ['spot'] },
    defaultType: 'spot',
  },
};

export function createCcxtClient(options: CcxtClientOptions): CcxtExchange {
  const constructors = exchanges as unknown as Readonly<Record<string, CcxtConstructor>>;
  const Venue = Object.hasOwn(constructors, options.exchangeId)
    ? constructors[options.exchangeId]
    : undefined;
  if (!Venue) throw new ConfigError(`EXCHANGE_ID '${options.exchangeId}' is not a ccxt exchange id`);
  const client = new Venue({
    apiKey: options.apiKey ?? undefined,
    secret: options.secret ?? undefined,
    timeout: options.timeoutMs ?? 10_000,
    enableRateLimit: options.enableRateLimit ?? true,
    options: { ...(VENUE_OPTIONS[options.exchangeId] ?? {}), ...(options.options ?? {}) },
  });
  if (options.sandbox) {
    // ccxt keeps an empty `urls.test` key on venues without a sandbox: check the value, not the key.
    if (!(client.urls as { test?: unknown }).test) {
      throw new ConfigError(`exchange '${options.exchangeId}' has no sandbox; drop --sandbox`);
    }
    client.setSandboxMode(true);
  }
  if (options.apiUrl) client.urls.api = rebaseUrls(client.urls.api, options.apiUrl, client.hostname);
  return client;
}

/** Returns `api` with every URL's origin replaced by `base` (recursively through nested entries). */
export function rebaseUrls<T>(api: T, base: string, hostname?: string): T {
  let target: URL;
  try {
    target = new URL(base);
  } catch {
    throw new ConfigError(`EXCHANGE_API_URL '${base}' is not a URL`);
  }
  const prefix = target.pathname.replace(/\/+$/, '');
  const rebase = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (!URL.canParse(value.replaceAll('{hostname}', hostname ?? 'localhost'))) return value;
      const source = new URL(value.replaceAll('{hostname}', hostname ?? 'localhost'));
      return `${target.origin}${prefix}${source.pathname.replace(/\/+$/, '')}`;
    }
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, rebase(entry)]));
    }
    return value;
  };
  return rebase(api) as T;
}
