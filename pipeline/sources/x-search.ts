/**
 * `x-search`: polls X's recent search for accounts without streaming access. One poll cycle per
 * `intervalMs`: request with since_id = the newest id seen, follow next_token through the pages, re-wrap
 * each tweet into the stream envelope shape ({data, includes, matching_rules: []}), then emit a
 * checkpoint carrying the new since_id. The runner stores checkpoints in the compacted state topic
 * only after the cycle's envelopes are durable, so a restart resumes there: nothing re-fetched after a
 * clean stop, nothing skipped ever (a crash mid-cycle re-fetches that cycle; dedupe drops the repeats).
 * Rate limits: when x-rate-limit-remaining reaches 0 the next request waits for x-rate-limit-reset
 * (the 15-minute window); a 429 waits for the reset too, other failures back off by X's policy.
 * Without a stored since_id the first cycle reads only the newest page (not 7 days of history).
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { asyncScheduler, Observable, type SchedulerLike } from 'rxjs';
import type { TwitterApi } from 'twitter-api-v2';
import type { RawEnvelope, RawTweetData, RawUser } from '../../operators/types.js';
import { type BackoffState, INITIAL_BACKOFF, nextBackoff } from './backoff.js';
import { classifyEnvelope } from './classify-envelope.js';
import { ALWAYS_READY, type Demand, type IngestItem } from './types.js';
import { classifyXError } from './x-errors.js';
import { X_TWEET_QUERY } from './x-stream.js';

export interface XSearchOptions {
  readonly client: TwitterApi;
  readonly logger: Logger;
  /** X search query, e.g. '($BTC OR bitcoin) -is:retweet'. */
  readonly query: string;
  /** since_id to resume from (the value of the last stored checkpoint), if any. */
  readonly sinceId?: string | null;
  readonly intervalMs?: number;
  readonly maxResults?: number;
  readonly scheduler?: SchedulerLike;
  readonly demand?: Demand;
}

interface SearchPage {
  readonly data?: RawTweetData[];
  readonly includes?: { readonly users?: RawUser[]; readonly tweets?: RawTweetData[] };
  readonly meta?: {
    readonly newest_id?: string;
    readonly next_token?: string;
    readonly result_count?: number;
  };
}

/** The state key of a query's checkpoint. */
export function searchStateKey(query: string): string {
  return `x-search:${createHash('sha256').update(query).digest('hex').slice(0, 16)}`;
}

/** Splits a search page into one stream-shaped envelope per tweet. */
export function rewrapSearchPage(page: SearchPage): RawEnvelope[] {
  const users = new Map((page.includes?.users ?? []).map((u) => [u.id, u]));
  const tweets = new Map((page.includes?.tweets ?? []).map((t) => [t.id, t]));
  return (page.data ?? []).map((data) => {
    const author = data.author_id === undefined ? undefined : users.get(data.author_id);
    const referenced = (data.referenced_tweets ?? []).flatMap((r) => tweets.get(r.id) ?? []);
    return {
      data,
      includes: {
        users: author === undefined ? [] : [author],
        ...(referenced.length === 0 ? {} : { tweets: referenced }),
      },
      matching_rules: [],
    };
  });
}

export function createXSearch$({
  client,
  logger,
  query,
  sinceId = null,
  intervalMs = 60_000,
  maxResults = 100,
  scheduler = asyncScheduler,
  demand = ALWAYS_READY,
}: XSearchOptions): Observable<IngestItem> {
  const key = searchStateKey(query);
  const log = logger.child({ module: 'x-search' });
  return new Observable<IngestItem>((subscriber) => {
    const timers = new Set<{ unsubscribe(): void }>();
    const sleep = (ms: number): Promise<void> =>
      new Promise((resolve) => {
        const timer = scheduler.schedule(
          () => {
            timers.delete(timer);
            resolve();
          },
          Math.max(0, ms),
        );
        timers.add(timer);
      });
    let since = sinceId;
    let waitUntilMs = 0;
    let backoff: BackoffState = INITIAL_BACKOFF;
    let n = 0;

    const request = async (nextToken: string | undefined): Promise<SearchPage | null> => {
      for (;;) {
        if (scheduler.now() < waitUntilMs) {
          log.info(
            { resumeAt: new Date(waitUntilMs).toISOString() },
            'rate-limit window used up; waiting for reset',
          );
          await sleep(waitUntilMs - scheduler.now());
        }
        if (subscriber.closed) return null;
        try {
          const response = await client.v2.get<SearchPage>(
            'tweets/search/recent',
            {
              query,
              max_results: maxResults,
              expansions: X_TWEET_QUERY.expansions.join(','),
              'tweet.fields': X_TWEET_QUERY['tweet.fields'].join(','),
              'user.fields': X_TWEET_QUERY['user.fields'].join(','),
              ...(since === null ? {} : { since_id: since }),
              ...(nextToken === undefined ? {} : { next_token: nextToken }),
            },
            { fullResponse: true },
          );
          backoff = INITIAL_BACKOFF;
          const limit = response.rateLimit;
          if (limit !== undefined && limit.remaining <= 0) waitUntilMs = limit.reset * 1000;
          return response.data;
        } catch (error) {
          const verdict = classifyXError(error, 'recent search');
          if ('fatal' in verdict) throw verdict.fatal;
          const step = nextBackoff(backoff, verdict.retry, scheduler.now());
          backoff = step.state;
          log.warn({ reason: verdict.reason, delayMs: step.delayMs }, 'recent search failed; retrying');
          await sleep(step.delayMs);
        }
      }
    };

    const cycle = async (): Promise<void> => {
      let nextToken: string | undefined;
      let newest: string | null = null;
      const firstEver = since === null;
      do {
        const waiting = demand.ready();
        if (waiting !== undefined) await waiting;
        const page = await request(nextToken);
        if (page === null || subscriber.closed) return;
        newest ??= page.meta?.newest_id ?? null;
        for (const envelope of rewrapSearchPage(page)) {
          n += 1;
          subscriber.next(classifyEnvelope(envelope, JSON.stringify(envelope), 'x-search', `x-search#${n}`));
        }
        nextToken = firstEver ? undefined : page.meta?.next_token;
      } while (nextToken !== undefined && !subscriber.closed);
      if (newest !== null && !subscriber.closed) {
        since = newest;
        subscriber.next({ kind: 'checkpoint', key, value: JSON.stringify({ sinceId: newest }) });
      }
    };

    const loop = async (): Promise<void> => {
      while (!subscriber.closed) {
        const started = scheduler.now();
        await cycle();
        if (subscriber.closed) return;
        await sleep(intervalMs - (scheduler.now() - started));
      }
    };
    loop().catch((error: unknown) => subscriber.error(error));
    return () => {
      for (const timer of timers) timer.unsubscribe();
      timers.clear();
    };
  });
}
