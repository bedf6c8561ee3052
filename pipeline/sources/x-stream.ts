/**
 * The X API v2 filtered stream as an Observable of ingest items, reconnecting by X's policy.
 *
 * twitter-api-v2's own reconnect schedule (5 s .. 15 min) and 120 s keep-alive timeout do not follow
 * X's guidance, so both are switched off (`autoReconnect: false`, `keepAliveTimeout: 'disable'`) and
 * this source drives the connection: each attempt is a fresh TweetStream (a fresh line parser, so a
 * line cut by a dropped connection is discarded, never glued to the next one); a stall watch
 * (stall-watch.ts, as for Jetstream and Mastodon) ends a connection when neither a tweet nor the
 * keep-alive newline arrives within `stallTimeoutMs` (X: 20 s); the delay
 * before each reconnect comes from `nextBackoff` and runs on the injected scheduler, so tests assert
 * delays without waiting. Credentials and access errors end the Observable with one RejectedError.
 */
import type { Logger } from 'pino';
import { asyncScheduler, Observable, type SchedulerLike, type Subscription } from 'rxjs';
import {
  ETwitterStreamEvent,
  type TweetSearchV2StreamParams,
  type TweetStream,
  type TwitterApi,
} from 'twitter-api-v2';
import { type BackoffState, type Failure, INITIAL_BACKOFF, nextBackoff } from './backoff.js';
import { classifyEnvelope } from './classify-envelope.js';
import { type StallWatch, watchStall } from './stall-watch.js';
import { ALWAYS_READY, type Demand, type IngestItem } from './types.js';
import { classifyXError } from './x-errors.js';

/** The expansions and fields normalize/filter/score need (author reach and age, metrics, references). */
export const X_TWEET_QUERY = {
  expansions: ['author_id', 'referenced_tweets.id'],
  'tweet.fields': ['created_at', 'lang', 'public_metrics', 'referenced_tweets', 'entities', 'author_id'],
  'user.fields': ['public_metrics', 'created_at', 'username'],
} as const satisfies Partial<TweetSearchV2StreamParams>;

/** X sends a keep-alive newline at least every 20 s and tells clients to reconnect after 20 s of silence. */
export const X_STALL_TIMEOUT_MS = 20_000;

export interface XStreamOptions {
  readonly client: TwitterApi;
  readonly logger: Logger;
  readonly scheduler?: SchedulerLike;
  readonly stallTimeoutMs?: number;
  /** Enterprise accounts can ask X to replay up to 5 minutes missed while disconnected. */
  readonly backfillMinutes?: number;
  /** Back-pressure from the sink: while not ready, the socket is paused (X may then drop a slow client). */
  readonly demand?: Demand;
}

type StreamPayload = { readonly errors?: unknown; readonly data?: unknown };

export function createXStream$({
  client,
  logger,
  scheduler = asyncScheduler,
  stallTimeoutMs = X_STALL_TIMEOUT_MS,
  backfillMinutes,
  demand = ALWAYS_READY,
}: XStreamOptions): Observable<IngestItem> {
  return new Observable<IngestItem>((subscriber) => {
    let backoff: BackoffState = INITIAL_BACKOFF;
    let current: TweetStream | null = null;
    let watchdog: StallWatch | null = null;
    let retryTimer: Subscription | null = null;
    let stopped = false;
    let connections = 0;

    const healthy = (): void => {
      if (backoff.attempt !== 0) backoff = INITIAL_BACKOFF;
    };

    const scheduleReconnect = (failure: Failure, reason: string): void => {
      const step = nextBackoff(backoff, failure, scheduler.now());
      backoff = step.state;
      logger.warn(
        { reason, kind: failure.kind, attempt: step.state.attempt, delayMs: step.delayMs },
        'x stream disconnected; reconnecting',
      );
      retryTimer = scheduler.schedule(() => {
        retryTimer = null;
        connect();
      }, step.delayMs);
    };

    const connect = (): void => {
      if (stopped) return;
      connections += 1;
      const attempt = connections;
      const stream = client.v2.searchStream({
        ...X_TWEET_QUERY,
        expansions: [...X_TWEET_QUERY.expansions],
        'tweet.fields': [...X_TWEET_QUERY['tweet.fields']],
        'user.fields': [...X_TWEET_QUERY['user.fields']],
        ...(backfillMinutes === undefined ? {} : { backfill_minutes: backfillMinutes }),
        autoConnect: false,
      });
      current = stream;
      let ended = false;
      const stall = watchStall(scheduler, stallTimeoutMs, () =>
        end({ kind: 'dropped' }, `stalled: nothing for ${stallTimeoutMs} ms`),
      );
      watchdog = stall;

      const end = (failure: Failure, reason: string): void => {
        if (ended || stopped) return;
        ended = true;
        stall.stop();
        stream.destroy();
        if (current === stream) current = null;
        scheduleReconnect(failure, reason);
      };

      // Connected fires once the response is there and before the library attaches its data listener:
      // decode UTF-8 across chunk boundaries (the library calls chunk.toString() per chunk, which would
      // mangle a multi-byte character split between two TCP reads).
      stream.on(ETwitterStreamEvent.Connected, () => {
        const response = (stream as unknown as { res?: NodeJS.ReadableStream }).res;
        response?.setEncoding('utf8');
      });
      stream.on(ETwitterStreamEvent.Data, (payload: unknown) => {
        stall.touch();
        healthy();
        const item = classifyEnvelope(payload, JSON.stringify(payload), 'x-stream', `x-stream#${attempt}`);
        subscriber.next(item);
        const waiting = demand.ready();
        if (waiting === undefined) return;
        // The sink is full: stop reading until it drains; no stall while we are the ones holding back.
        const response = (stream as unknown as { res?: NodeJS.ReadableStream }).res;
        response?.pause();
        stall.stop();
        void waiting.then(() => {
          if (ended || stopped) return;
          response?.resume();
          stall.touch();
        });
      });
      stream.on(ETwitterStreamEvent.DataKeepAlive, () => {
        stall.touch();
        healthy();
      });
      stream.on(ETwitterStreamEvent.DataError, (payload: StreamPayload) => {
        stall.touch();
        // X announces operational disconnects in-band before it closes; the close triggers the reconnect.
        logger.warn({ errors: payload.errors }, 'x stream sent an error message');
      });
      stream.on(ETwitterStreamEvent.TweetParseError, (error: unknown) => {
        stall.touch();
        const detail = error instanceof Error ? error.message : String(error);
        subscriber.next({ kind: 'reject', reason: 'invalid_json', detail, payload: '', source: 'x-stream' });
      });
      stream.on(ETwitterStreamEvent.ConnectionError, (error: unknown) => {
        end({ kind: 'dropped' }, error instanceof Error ? error.message : 'connection error');
      });
      stream.on(ETwitterStreamEvent.ConnectionClosed, () => end({ kind: 'dropped' }, 'connection closed'));

      stall.touch(); // also bounds a connect that never gets response headers
      stream.connect({ autoReconnect: false, keepAliveTimeout: 'disable' }).then(
        () => {
          if (stopped || ended) {
            stream.destroy();
            return;
          }
          logger.info({ connection: attempt }, 'x stream connected');
          stall.touch();
        },
        (error: unknown) => {
          if (ended || stopped) return;
          ended = true;
          stall.stop();
          if (current === stream) current = null;
          let verdict: ReturnType<typeof classifyXError>;
          try {
            verdict = classifyXError(error, 'the filtered stream');
          } catch (unexpected) {
            subscriber.error(unexpected);
            return;
          }
          if ('fatal' in verdict) subscriber.error(verdict.fatal);
          else scheduleReconnect(verdict.retry, verdict.reason);
        },
      );
    };

    connect();
    return () => {
      stopped = true;
      watchdog?.stop();
      retryTimer?.unsubscribe();
      current?.destroy();
      current = null;
    };
  });
}
