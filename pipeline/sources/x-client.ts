/**
 * A twitter-api-v2 client pointed at X or at a test double. The library hard-codes https://api.x.com;
 * its plugin hooks run before each REST and stream request is built, so one plugin rewrites the
 * origin to `apiUrl` for both. It only speaks HTTPS (it uses node:https), hence the `ca` option for a
 * test double with its own certificate (child processes can use NODE_EXTRA_CA_CERTS instead).
 */
import { Agent } from 'node:https';
import { type ITwitterApiClientPlugin, TwitterApi } from 'twitter-api-v2';
import { ConfigError } from '../../lib/errors.js';

export const X_DEFAULT_API_URL = 'https://api.x.com';
const LIBRARY_ORIGINS = ['https://api.x.com', 'https://api.twitter.com'] as const;

export interface XClientOptions {
  readonly bearerToken: string;
  /** Base URL of the X API (origin, optionally with a path prefix). */
  readonly apiUrl?: string;
  /** Extra certificate authority (PEM) to trust, for a local test double. */
  readonly ca?: string | Buffer;
}

/** Rewrites the library's hard-coded origin; exported for its unit test. */
export function rewriteApiUrl(url: string, apiUrl: string): string {
  const base = apiUrl.replace(/\/+$/, '');
  for (const origin of LIBRARY_ORIGINS) {
    if (url === origin || url.startsWith(`${origin}/`)) return base + url.slice(origin.length);
  }
  return url;
}

function baseUrlPlugin(apiUrl: string): ITwitterApiClientPlugin {
  return {
    onBeforeRequestConfig: ({ params }) => {
      params.url = rewriteApiUrl(params.url, apiUrl);
    },
    onBeforeStreamRequestConfig: ({ params }) => {
      params.url = rewriteApiUrl(params.url, apiUrl);
    },
  };
}

export function createXClient({ bearerToken, apiUrl = X_DEFAULT_API_URL, ca }: XClientOptions): TwitterApi {
  if (bearerToken.trim() === '') throw new ConfigError('X_BEARER_TOKEN is empty');
  let parsed: URL;
  try {
    parsed = new URL(apiUrl);
  } catch (error) {
    throw new ConfigError(`X_API_URL is not a URL: ${apiUrl}`, error);
  }
  if (parsed.protocol !== 'https:') {
    throw new ConfigError(`X_API_URL must be https (twitter-api-v2 speaks only HTTPS), got ${apiUrl}`);
  }
  const plugins = apiUrl.replace(/\/+$/, '') === X_DEFAULT_API_URL ? [] : [baseUrlPlugin(apiUrl)];
  return new TwitterApi(bearerToken, {
    plugins,
    ...(ca === undefined ? {} : { httpAgent: new Agent({ ca }) }),
  });
}
