/**
 * A score thread, of `process` and of `backtest` alike (started by score-threads.ts): raw frames of its
 * tweets.raw partitions in, each answered with its scored frame and the raw frame's buffer (the
 * consuming thread fills it again); a cut is answered with the rows encoded since the last one and,
 * when asked, the dedupe memories at that point (frame-scorer.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { DedupeSnapshot } from '../../operators/index.js';
import {
  createFrameScorer,
  dedupeBuffers,
  type FrameScorerOptions,
  type ThreadRows,
} from './frame-scorer.js';
import type { Frame } from './raw-frames.js';
import { type ScoredFrame, transferablesOf } from './scored-frames.js';

export type ToScoreWorker =
  | { readonly kind: 'frame'; readonly frame: Frame }
  | { readonly kind: 'cut'; readonly state: boolean };

export interface CutReply {
  readonly kind: 'cut';
  readonly rows: ThreadRows;
  readonly dedupe: Readonly<Record<string, DedupeSnapshot>> | null;
}

export type FromScoreWorker =
  | { readonly kind: 'scored'; readonly frame: ScoredFrame; readonly buffer: ArrayBuffer }
  | CutReply
  | { readonly kind: 'error'; readonly name: string; readonly message: string; readonly stack?: string };

const port = parentPort!;
const scorer = createFrameScorer(workerData as FrameScorerOptions);
port.on('message', (message: ToScoreWorker) => {
  try {
    if (message.kind === 'frame') {
      const frame = scorer.score(message.frame);
      const reply: FromScoreWorker = { kind: 'scored', frame, buffer: message.frame.buffer };
      port.postMessage(reply, [...transferablesOf(frame), message.frame.buffer]);
    } else {
      const cut = scorer.cut(message.state);
      port.postMessage({ kind: 'cut', ...cut } satisfies FromScoreWorker, dedupeBuffers(cut.dedupe));
    }
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    port.postMessage({
      kind: 'error',
      name: e.name,
      message: e.message,
      ...(e.stack ? { stack: e.stack } : {}),
    } satisfies FromScoreWorker);
  }
});
