/**
 * Score thread of a replay: takes raw frames of its partitions from the fetching thread, scores them
 * (score-frames.ts) and posts back each scored frame together with the raw frame's buffer, which the
 * fetching thread fills again.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { describeError } from '../../sinks/errors.js';
import type { Frame } from './replay-frames.js';
import { createFrameScorer, type FrameScorerOptions } from './score-frames.js';
import { type ScoredFrame, transferablesOf } from './scored-frames.js';

export type ToScorer = { readonly kind: 'frame'; readonly frame: Frame };
export type FromScorer =
  | { readonly kind: 'scored'; readonly frame: ScoredFrame; readonly buffer: ArrayBuffer }
  | { readonly kind: 'error'; readonly message: string };

const parent = parentPort!;
const scorer = createFrameScorer(workerData as FrameScorerOptions);
parent.on('message', (message: ToScorer) => {
  let reply: FromScorer;
  try {
    reply = { kind: 'scored', frame: scorer.score(message.frame), buffer: message.frame.buffer };
  } catch (error) {
    parent.postMessage({ kind: 'error', message: describeError(error) } satisfies FromScorer);
    return;
  }
  parent.postMessage(reply, [...transferablesOf(reply.frame), reply.buffer]);
});
