/**
 * Mastodon's REST side for the streaming source: the endpoint paths of each stream, the catch-up after
 * a gap (`GET /api/v1/timelines/tag/<tag>?since_id=<id>`, or the local public timeline), and how HTTP
 * failures map onto the back-off policy. Mastodon answers since_id with the newest page first, so the
 * catch-up pages backwards with max_id down to since_id and hands the statuses back oldest first;
 * at most `maxStatuses` (a longer gap keeps its newest part and says so).
 */
import { RejectedError } from '../../lib/errors.js';
import type { Failure } from './backoff.js';

export type MastodonStream = { readonly kind: 'hashtag'; readonly tag: string } | { readonly kind: 'local' };

export interface MastodonApi {
  /** https://<instance> (or http:// for a test double). */
  readonly baseUrl: string;
  /** Bearer token; sent as a header, never logged. */
  readonly token?: string | undefined;
}

export const streamName = (s: MastodonStream): string => (s.kind === 'local' ? 'local' : `#${s.tag}`);

export function streamingUrl(api: MastodonApi, s: MastodonStream): string {
  return s.kind === 'local'
    ? `${api.baseUrl}/api/v1/streaming/public/local`
    : `${api.baseUrl}/api/v1/streaming/hashtag?tag=${encodeURIComponent(s.tag)}`;
}

function timelineUrl(api: MastodonApi, s: MastodonStream, params: Record<string, string>): string {
  const query = new URLSearchParams(s.kind === 'local' ? { local: 'true', ...params } : params);
  const path =
    s.kind === 'local' ? '/api/v1/timelines/public' : `/api/v1/timelines/tag/${encodeURIComponent(s.tag)}`;
  return `${api.baseUrl}${path}?${query}`;
}

export function authHeaders(api: MastodonApi, accept: string): Record<string, string> {
  return { accept, ...(api.token === undefined ? {} : { authorization: `Bearer ${api.token}` }) };
}

export class MastodonHttpError extends Error {
  constructor(
    readonly status: number,
    what: string,
  ) {
    super(`${what}: HTTP ${status}`);
  }
}

/** A failure to retry with back-off, or a refusal to stop on (credentials). */
export function classifyMastodonError(error: unknown, instance: string): Failure | RejectedError {
  if (error instanceof MastodonHttpError) {
    if (error.status === 401 || error.status === 403) {
      return new RejectedError(
        'mastodon',
        `${instance} refused access (HTTP ${error.status}): set MASTODON_TOKEN to an access token of an account there`,
      );
    }
    return error.status === 429 ? { kind: 'rate-limit' } : { kind: 'http' };
  }
  return { kind: 'network' };
}

export interface CatchUp {
  /** Oldest first: [JSON text as re-serialised, parsed status]. */
  readonly statuses: readonly (readonly [string, unknown])[];
  readonly truncated: boolean;
}

export async function fetchSince(
  api: MastodonApi,
  stream: MastodonStream,
  sinceId: string,
  {
    limit = 40,
    maxStatuses = 2_000,
    signal,
  }: { limit?: number; maxStatuses?: number; signal?: AbortSignal } = {},
): Promise<CatchUp> {
  const pages: (readonly [string, unknown])[][] = [];
  let count = 0;
  let maxId: string | undefined;
  for (;;) {
    const url = timelineUrl(api, stream, {
      since_id: sinceId,
      limit: String(limit),
      ...(maxId === undefined ? {} : { max_id: maxId }),
    });
    const response = await fetch(url, {
      headers: authHeaders(api, 'application/json'),
      ...(signal ? { signal } : {}),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new MastodonHttpError(response.status, `catch-up of ${streamName(stream)}`);
    }
    const page = (await response.json()) as unknown;
    if (!Array.isArray(page))
      throw new MastodonHttpError(502, `catch-up of ${streamName(stream)} (not an array)`);
    // Every element goes on (one that is no status is rejected downstream, never dropped here).
    pages.push(page.map((s: unknown) => [JSON.stringify(s), s] as const));
    count += page.length;
    const oldest = (page.at(-1) as { id?: unknown } | undefined)?.id;
    if (page.length < limit || count >= maxStatuses || typeof oldest !== 'string') {
      const truncated = page.length === limit && count >= maxStatuses;
      return { statuses: pages.flat().reverse(), truncated };
    }
    maxId = oldest;
  }
}

/** The newest status id on a stream's timeline now ('0' for an empty one): where a first run starts. */
export async function fetchNewestId(
  api: MastodonApi,
  stream: MastodonStream,
  signal?: AbortSignal,
): Promise<string> {
  const response = await fetch(timelineUrl(api, stream, { limit: '1' }), {
    headers: authHeaders(api, 'application/json'),
    ...(signal ? { signal } : {}),
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new MastodonHttpError(response.status, `timeline of ${streamName(stream)}`);
  }
  const page = (await response.json()) as unknown;
  const id = Array.isArray(page) ? (page[0] as { id?: unknown } | undefined)?.id : undefined;
  return typeof id === 'string' ? id : '0';
}
