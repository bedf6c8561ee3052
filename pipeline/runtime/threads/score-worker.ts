/**
 * A score thread, of `process` and of `backtest` alike (started by score-threads.ts): raw frames of its
 * tweets.raw partitions in, each answered with its scored frame and the raw frame's buffer (the
 * consuming thread fills it again); a cut is answered with the rows encoded since the last one (their
 * UTF-8 chunks transferred, not copied) and, when asked, the dedupe memories at that point
 * (thread-scorer.ts). It loads the same chain module as the consuming thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { DedupeSnapshot } from '../../../operators/index.js';
import { loadChainModule } from '../chain-module.js';
import { tsvBuffers } from '../output/formats.js';
import type { Frame } from './raw-frames.js';
import { type ScoredFrame, transferablesOf } from './scored-frames.js';
import {
  createThreadScorer,
  dedupeBuffers,
  type ThreadRows,
  type ThreadScorerOptions,
} from './thread-scorer.js';

export interface ScoreWorkerData extends ThreadScorerOptions {
  /** URL of the chain module (chain-module.ts). */
  readonly chainModule: string;
}

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
const data = workerData as ScoreWorkerData;
const failed = (error: unknown): void => {
  const e = error instanceof Error ? error : new Error(String(error));
  port.postMessage({
    kind: 'error',
    name: e.name,
    message: e.message,
    ...(e.stack ? { stack: e.stack } : {}),
  } satisfies FromScoreWorker);
};
// Messages wait in the port until the chain is loaded and the listener is on.
const scorer = await loadChainModule(data.chainModule).then(
  (chain) => createThreadScorer(data, chain.scoreChain),
  (error: unknown) => {
    failed(error);
    return null;
  },
);
port.on('message', (message: ToScoreWorker) => {
  if (scorer === null) return;
  try {
    if (message.kind === 'frame') {
      const frame = scorer.score(message.frame);
      const reply: FromScoreWorker = { kind: 'scored', frame, buffer: message.frame.buffer };
      port.postMessage(reply, [...transferablesOf(frame), message.frame.buffer]);
    } else {
      const cut = scorer.cut(message.state);
      port.postMessage({ kind: 'cut', ...cut } satisfies FromScoreWorker, [
        ...dedupeBuffers(cut.dedupe),
        ...tsvBuffers(cut.rows.tweets, cut.rows.intake),
      ]);
    }
  } catch (error) {
    failed(error);
  }
});
