/**
 * Bluesky's Jetstream as an ingest source: JSON events over a WebSocket, no account needed
 * (`wss://<host>/subscribe?wantedCollections=app.bsky.feed.post&cursor=<time_us>`).
 * - Jetstream does not filter by content: each post is matched against the rules in force (re-read
 *   while running, see rules-file.ts); posts no rule matches are counted, not written.
 * - Each connection attempt goes to the next host of the list (failover), after a back-off delay from
 *   `nextBackoff` on the injected scheduler; a socket silent for `stallTimeoutMs` is cut and replaced.
 * - It resumes at the newest time_us seen minus a safety margin; the repeats that brings are dropped
 *   by key (jetstream-cursor.ts). The position is emitted as a checkpoint every `checkpointIntervalMs`
 *   and once more when ingest stops (`finalCheckpoint`), so a clean restart neither loses nor repeats.
 * - A message over `maxMessageBytes` or not JSON goes to the DLQ with its reason (a long one cut to
 *   its first 16 KiB); what Jetstream sends besides new posts is counted by kind (jetstream-event.ts).
 */
import type { Logger } from 'pino';
import { asyncScheduler, Observable, type SchedulerLike, type Subscription } from 'rxjs';
import WebSocket from 'ws';
import { type BackoffState, type Failure, INITIAL_BACKOFF, nextBackoff } from './backoff.js';
import {
  BLUESKY_STATE_KEY,
  type CursorState,
  DEFAULT_CURSOR_MARGIN_MS,
  ResumeWindow,
} from './jetstream-cursor.js';
import { classifyJetstreamMessage, type JetstreamIgnored, POST_COLLECTION } from './jetstream-event.js';
import type { LiveRules } from './rules-file.js';
import { type StallWatch, watchStall } from './stall-watch.js';
import {
  ALWAYS_READY,
  type CheckpointItem,
  type Demand,
  type IngestItem,
  type IngestSource,
} from './types.js';

export const DEFAULT_JETSTREAM_HOSTS = [
  'jetstream1.us-east.bsky.network',
  'jetstream2.us-east.bsky.network',
  'jetstream1.us-west.bsky.network',
  'jetstream2.us-west.bsky.network',
] as const;
/** The public firehose carries hundreds of events a second; a quiet minute-half means a dead socket. */
export const DEFAULT_JETSTREAM_STALL_MS = 30_000;
/** Posts are a few KB; normalize refuses payloads over 256 KiB anyway. */
export const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;
const KEPT_OVERSIZED_BYTES = 16 * 1024;

export type JetstreamCount = 'matched' | 'unmatched' | 'repeat' | 'rejected' | JetstreamIgnored;

export interface JetstreamOptions {
  /** Host names (wss:// implied) or ws(s):// base URLs, tried in turn. */
  readonly hosts: readonly string[];
  readonly rules: LiveRules;
  readonly logger: Logger;
  /** The stored checkpoint, if any: resume from its cursor minus the margin. */
  readonly state?: CursorState | null;
  readonly cursorMarginMs?: number;
  readonly stallTimeoutMs?: number;
  readonly maxMessageBytes?: number;
  readonly checkpointIntervalMs?: number;
  readonly scheduler?: SchedulerLike;
  readonly demand?: Demand;
  /** Called for every message by outcome; `tags` are the matched rules' tags. */
  readonly onCount?: (outcome: JetstreamCount, tags?: readonly string[]) => void;
}

export function jetstreamUrl(host: string, cursor: number | null): string {
  const base = /^wss?:\/\//.test(host) ? host.replace(/\/+$/, '') : `wss://${host}`;
  const query = `wantedCollections=${POST_COLLECTION}${cursor === null ? '' : `&cursor=${cursor}`}`;
  return `${base}/subscribe?${query}`;
}

export function createJetstream$(options: JetstreamOptions): IngestSource {
  const {
    hosts,
    rules,
    logger,
    cursorMarginMs = DEFAULT_CURSOR_MARGIN_MS,
    stallTimeoutMs = DEFAULT_JETSTREAM_STALL_MS,
    maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES,
    checkpointIntervalMs = 1_000,
    scheduler = asyncScheduler,
    demand = ALWAYS_READY,
    onCount = () => undefined,
  } = options;
  if (hosts.length === 0) throw new RangeError('createJetstream$ needs at least one host');
  const log = logger.child({ module: 'jetstream' });
  const window = new ResumeWindow(cursorMarginMs * 1000, undefined, options.state ?? undefined);
  let lastWritten = window.serialize();
  const checkpoint = (): CheckpointItem | undefined => {
    const value = window.serialize();
    if (value === null || value === lastWritten) return undefined;
    lastWritten = value;
    return { kind: 'checkpoint', key: BLUESKY_STATE_KEY, value };
  };

  const items$ = (sink: Demand = demand) =>
    new Observable<IngestItem>((subscriber) => {
      let backoff: BackoffState = INITIAL_BACKOFF;
      let socket: WebSocket | null = null;
      let stall: StallWatch | null = null;
      let retryTimer: Subscription | null = null;
      let stopped = false;
      let attempts = 0;
      let checkpointAt = scheduler.now();

      const scheduleReconnect = (failure: Failure, reason: string): void => {
        const step = nextBackoff(backoff, failure, scheduler.now());
        backoff = step.state;
        log.warn(
          {
            reason,
            attempt: step.state.attempt,
            delayMs: step.delayMs,
            next: hosts[attempts % hosts.length],
          },
          'jetstream disconnected; reconnecting',
        );
        retryTimer = scheduler.schedule(() => {
          retryTimer = null;
          connect();
        }, step.delayMs);
      };

      const handle = (data: Buffer, where: string): void => {
        if (data.length > maxMessageBytes) {
          onCount('rejected');
          subscriber.next({
            kind: 'reject',
            reason: 'oversized',
            detail: `${where}: message of ${data.length} bytes over the ${maxMessageBytes}-byte limit (first ${KEPT_OVERSIZED_BYTES} bytes kept)`,
            payload: data.subarray(0, KEPT_OVERSIZED_BYTES).toString('utf8'),
            source: 'bluesky',
          });
          return;
        }
        const outcome = classifyJetstreamMessage(data.toString('utf8'), where);
        if (outcome.kind === 'reject') {
          onCount('rejected');
          subscriber.next(outcome);
          return;
        }
        window.advance(outcome.timeUs);
        if (outcome.kind === 'ignored') onCount(outcome.reason);
        else if (window.seen(outcome.item.id)) onCount('repeat');
        else {
          const tags = rules.get().match(outcome.facts);
          if (tags.length === 0) onCount('unmatched');
          else {
            window.remember(outcome.item.id, outcome.timeUs);
            subscriber.next(outcome.item);
            onCount('matched', tags);
          }
        }
        if (scheduler.now() - checkpointAt >= checkpointIntervalMs) {
          checkpointAt = scheduler.now();
          const item = checkpoint();
          if (item !== undefined) subscriber.next(item);
        }
      };

      const connect = (): void => {
        if (stopped) return;
        const host = hosts[attempts % hosts.length]!;
        attempts += 1;
        const where = `${host}#${attempts}`;
        const url = jetstreamUrl(host, window.resumeCursor());
        const ws = new WebSocket(url, {
          // Over the limit still arrives (and goes to the DLQ); far over it ends the connection.
          maxPayload: Math.max(maxMessageBytes * 4, 1024 * 1024),
          handshakeTimeout: stallTimeoutMs,
          perMessageDeflate: false,
        });
        socket = ws;
        let ended = false;
        const watchdog = watchStall(scheduler, stallTimeoutMs, () =>
          end({ kind: 'dropped' }, `stalled: nothing for ${stallTimeoutMs} ms`),
        );
        stall = watchdog;
        const end = (failure: Failure, reason: string): void => {
          if (ended || stopped) return;
          ended = true;
          watchdog.stop();
          ws.removeAllListeners();
          ws.on('error', () => undefined);
          ws.terminate();
          if (socket === ws) socket = null;
          scheduleReconnect(failure, `${where}: ${reason}`);
        };
        ws.on('open', () => {
          log.info({ host, cursor: window.resumeCursor() }, 'jetstream connected');
          watchdog.touch();
        });
        ws.on('message', (data: Buffer) => {
          if (ended || stopped) return;
          if (backoff.attempt !== 0) backoff = INITIAL_BACKOFF;
          watchdog.touch();
          handle(data, where);
          const waiting = sink.ready();
          if (waiting === undefined) return;
          // Kafka holds us back: stop reading (no stall meanwhile); Jetstream buffers on its side.
          ws.pause();
          watchdog.stop();
          void waiting.then(() => {
            if (ended || stopped) return;
            ws.resume();
            watchdog.touch();
          });
        });
        ws.on('unexpected-response', (_request, response) => {
          const status = response.statusCode ?? 0;
          response.resume();
          end(status === 429 ? { kind: 'rate-limit' } : { kind: 'http' }, `HTTP ${status}`);
        });
        ws.on('error', (error: Error) => end({ kind: 'network' }, error.message));
        ws.on('close', (code: number) => end({ kind: 'dropped' }, `closed (${code})`));
        watchdog.touch(); // also bounds a connect that never completes
      };

      connect();
      return () => {
        stopped = true;
        stall?.stop();
        retryTimer?.unsubscribe();
        if (socket !== null) {
          socket.removeAllListeners();
          socket.on('error', () => undefined);
          socket.terminate();
          socket = null;
        }
      };
    });
  return Object.assign((sink: Demand) => items$(sink), { finalCheckpoint: checkpoint });
}
