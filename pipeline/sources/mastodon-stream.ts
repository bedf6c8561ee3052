/**
 * Mastodon's streaming API as an ingest source: one SSE connection per hashtag
 * (`/api/v1/streaming/hashtag?tag=<tag>`) or the instance's local timeline
 * (`/api/v1/streaming/public/local`), an optional bearer token (MASTODON_TOKEN, never logged).
 * - `event: update` carries a Status: written to tweets.raw as received. Hashtag streams are already
 *   selected by the server (their tags come from the rules); the local timeline is matched against the
 *   rules in force, and what no rule matches is counted, not written.
 * - Policy for changes: `delete` and `status.update` (edits) are counted, not written: tweets.raw is an
 *   append-only record of what was said, an edit is not counted twice and a delete does not retract.
 * - After every (re)connect, once the server has accepted the stream, what was posted while away is
 *   fetched through the REST timeline with since_id = the newest status id written for that stream
 *   (mastodon-catchup.ts) before the stream is read; repeats between the two are dropped by key.
 *   The newest ids are checkpointed (key `mastodon:<host>`) only once a catch-up is complete, and once
 *   more when ingest stops, so a restart fills its gap without loss. A first run starts from the
 *   newest status on the timeline when it connects (nothing older is fetched).
 * - Reconnects back off by `nextBackoff` on the injected scheduler; a stream silent for
 *   `stallTimeoutMs` (Mastodon sends a heartbeat comment every few seconds) is cut and reopened.
 */
import type { Logger } from 'pino';
import { asyncScheduler, Observable, type SchedulerLike } from 'rxjs';
import { RejectedError } from '../../lib/errors.js';
import { type BackoffState, type Failure, INITIAL_BACKOFF, nextBackoff } from './backoff.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './jetstream.js';
import {
  authHeaders,
  classifyMastodonError,
  fetchNewestId,
  fetchSince,
  type MastodonApi,
  MastodonHttpError,
  type MastodonStream,
  streamingUrl,
  streamName,
} from './mastodon-catchup.js';
import { classifyStatus, newerId } from './mastodon-status.js';
import type { LiveRules } from './rules-file.js';
import { createSseParser } from './sse.js';
import { watchStall } from './stall-watch.js';
import {
  ALWAYS_READY,
  type CheckpointItem,
  type Demand,
  type IngestItem,
  type IngestSource,
} from './types.js';

export const DEFAULT_MASTODON_STALL_MS = 60_000;
const RECENT_KEYS = 10_000;

export type MastodonCount =
  | 'matched'
  | 'unmatched'
  | 'repeat'
  | 'rejected'
  | 'status_delete'
  | 'status_update'
  | 'other_event';

/** A stream that was accepted and then ended, broke or went silent. */
class Dropped extends Error {}

export function mastodonStateKey(baseUrl: string): string {
  return `mastodon:${new URL(baseUrl).host}`;
}

/** Stored value: {"v":1,"since":{"<stream name>":"<newest status id>"}}. */
export function parseMastodonState(text: string): Record<string, string> {
  const parsed = JSON.parse(text) as { v?: unknown; since?: unknown };
  if (parsed.v !== 1 || typeof parsed.since !== 'object' || parsed.since === null) {
    throw new RangeError(`unknown mastodon checkpoint version ${String(parsed.v)}`);
  }
  return Object.fromEntries(Object.entries(parsed.since).filter(([, v]) => typeof v === 'string'));
}

export interface MastodonSourceOptions {
  readonly api: MastodonApi;
  readonly streams: readonly MastodonStream[];
  readonly rules: LiveRules;
  readonly logger: Logger;
  /** Newest status id per stream name, from the stored checkpoint. */
  readonly since?: Readonly<Record<string, string>>;
  readonly stallTimeoutMs?: number;
  readonly maxMessageBytes?: number;
  readonly checkpointIntervalMs?: number;
  readonly catchUpLimit?: number;
  readonly scheduler?: SchedulerLike;
  readonly demand?: Demand;
  readonly onCount?: (outcome: MastodonCount, tags?: readonly string[]) => void;
}

export function createMastodonStream$(options: MastodonSourceOptions): IngestSource {
  const { api, streams, rules, logger, scheduler = asyncScheduler, onCount = () => undefined } = options;
  const { stallTimeoutMs = DEFAULT_MASTODON_STALL_MS, maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES } = options;
  const checkpointIntervalMs = options.checkpointIntervalMs ?? 1_000;
  if (streams.length === 0) throw new RangeError('createMastodonStream$ needs at least one stream');
  const log = logger.child({ module: 'mastodon', instance: api.baseUrl });
  const key = mastodonStateKey(api.baseUrl);
  /** What may be stored: per stream, the newest id written with nothing older missing. */
  const durable: Record<string, string> = { ...options.since };
  let lastWritten = JSON.stringify({ v: 1, since: durable });
  const checkpoint = (): CheckpointItem | undefined => {
    const value = JSON.stringify({ v: 1, since: durable });
    if (value === lastWritten || Object.keys(durable).length === 0) return undefined;
    lastWritten = value;
    return { kind: 'checkpoint', key, value };
  };
  const recent = new Set<string>();

  const items$ = (demand: Demand) =>
    new Observable<IngestItem>((subscriber) => {
      const timers = new Set<{ unsubscribe(): void }>();
      const controllers = new Set<AbortController>();
      const later = (ms: number, work: () => void) => {
        const timer = scheduler.schedule(() => {
          timers.delete(timer);
          work();
        }, ms);
        timers.add(timer);
        return timer;
      };
      const sleep = (ms: number) => new Promise<void>((resolve) => later(ms, resolve));
      let checkpointAt = scheduler.now();

      const handle = (
        s: MastodonStream,
        json: string,
        parsed: unknown,
        where: string,
        live: boolean,
      ): void => {
        const name = streamName(s);
        const outcome = classifyStatus(json, where, parsed);
        if (outcome.kind === 'reject') {
          onCount('rejected');
          subscriber.next(outcome);
          return;
        }
        const { item, facts, statusId } = outcome;
        if (recent.has(item.id)) onCount('repeat');
        else {
          const tags = s.kind === 'hashtag' ? [name] : rules.get().match(facts);
          if (tags.length === 0) onCount('unmatched');
          else {
            recent.add(item.id);
            if (recent.size > RECENT_KEYS) recent.delete(recent.values().next().value as string);
            subscriber.next(item);
            onCount('matched', tags);
          }
        }
        if (live && newerId(statusId, durable[name] ?? null)) durable[name] = statusId;
        if (live && scheduler.now() - checkpointAt >= checkpointIntervalMs) {
          checkpointAt = scheduler.now();
          const c = checkpoint();
          if (c !== undefined) subscriber.next(c);
        }
      };

      /** One connection: subscribe, catch up, then read until it ends. Throws why it ended. */
      const connection = async (s: MastodonStream, attempt: number, healthy: () => void): Promise<never> => {
        const name = streamName(s);
        const where = `${name}#${attempt}`;
        const controller = new AbortController();
        controllers.add(controller);
        let connected = false;
        // Not in `timers`: touched per chunk, and stopped in `finally` (teardown aborts the fetch).
        const stall = watchStall(scheduler, stallTimeoutMs, () => controller.abort());
        stall.touch();
        try {
          // A first run starts from the newest status now, so that a drop can be caught up from there.
          if (durable[name] === undefined) durable[name] = await fetchNewestId(api, s, controller.signal);
          const response = await fetch(streamingUrl(api, s), {
            headers: authHeaders(api, 'text/event-stream'),
            signal: controller.signal,
          });
          if (!response.ok || response.body === null) {
            await response.body?.cancel();
            throw new MastodonHttpError(response.status, `stream ${name}`);
          }
          connected = true;
          log.info({ stream: name, since: durable[name] ?? null }, 'mastodon stream connected');
          const since = durable[name]!;
          stall.touch(); // the catch-up gets a stall period of its own
          const gap = await fetchSince(api, s, since, {
            signal: controller.signal,
            ...(options.catchUpLimit === undefined ? {} : { limit: options.catchUpLimit }),
          });
          if (gap.truncated)
            log.warn({ stream: name, since }, 'gap longer than the catch-up reaches: older posts skipped');
          for (const [json, parsed] of gap.statuses) handle(s, json, parsed, `${where} catch-up`, false);
          const newest = gap.statuses.at(-1)?.[1] as { id?: unknown } | undefined;
          if (typeof newest?.id === 'string' && newerId(newest.id, durable[name] ?? null))
            durable[name] = newest.id;
          const c = checkpoint();
          if (c !== undefined) subscriber.next(c);
          stall.touch();
          const reader = response.body.getReader();
          const decoder = new TextDecoder();
          const parser = createSseParser();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) throw new Error('stream ended');
            healthy();
            stall.touch();
            for (const event of parser.push(decoder.decode(value, { stream: true }))) {
              if (event.event === 'delete') onCount('status_delete');
              else if (event.event === 'status.update') onCount('status_update');
              else if (event.event !== 'update') onCount('other_event');
              else if (
                event.data.length > maxMessageBytes / 4 &&
                Buffer.byteLength(event.data) > maxMessageBytes
              ) {
                onCount('rejected');
                subscriber.next({
                  kind: 'reject',
                  reason: 'oversized',
                  detail: `${where}: status of ${Buffer.byteLength(event.data)} bytes over the ${maxMessageBytes}-byte limit (first 16 KiB kept)`,
                  payload: event.data.slice(0, 16 * 1024),
                  source: 'mastodon',
                });
              } else handle(s, event.data, undefined, where, true);
            }
            if (parser.pending > maxMessageBytes * 4)
              throw new Error('an event without end beyond the size limit');
            const waiting = demand.ready();
            if (waiting !== undefined) {
              stall.stop();
              await waiting;
              stall.touch();
            }
          }
        } catch (error) {
          if (controller.signal.aborted && !subscriber.closed) {
            throw new Dropped(`stalled: nothing for ${stallTimeoutMs} ms`);
          }
          // Once the stream was accepted, losing it is a drop (reconnect at once), not a network failure.
          if (connected && !(error instanceof MastodonHttpError)) throw new Dropped((error as Error).message);
          throw error;
        } finally {
          stall.stop();
          controllers.delete(controller);
          controller.abort();
        }
      };

      const run = async (s: MastodonStream): Promise<void> => {
        let backoff: BackoffState = INITIAL_BACKOFF;
        for (let attempt = 1; !subscriber.closed; attempt++) {
          try {
            await connection(s, attempt, () => {
              backoff = INITIAL_BACKOFF;
            });
          } catch (error) {
            if (subscriber.closed) return;
            const verdict: Failure | RejectedError =
              error instanceof Dropped ? { kind: 'dropped' } : classifyMastodonError(error, api.baseUrl);
            if (verdict instanceof RejectedError) throw verdict;
            const step = nextBackoff(backoff, verdict, scheduler.now());
            backoff = step.state;
            log.warn(
              { stream: streamName(s), reason: (error as Error).message, delayMs: step.delayMs },
              'mastodon stream disconnected; reconnecting',
            );
            await sleep(step.delayMs);
          }
        }
      };

      for (const s of streams) run(s).catch((error: unknown) => subscriber.error(error));
      return () => {
        for (const timer of timers) timer.unsubscribe();
        for (const controller of controllers) controller.abort();
      };
    });
  return Object.assign((demand: Demand = ALWAYS_READY) => items$(demand), { finalCheckpoint: checkpoint });
}
