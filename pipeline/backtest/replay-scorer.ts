/**
 * Score thread of a replay: takes raw frames of its partitions from the fetch thread (a MessagePort),
 * scores them (score-frames.ts) and posts the scored frames to the window thread. Back-pressure runs
 * end to end: the fetch thread's frame is acknowledged only once the window thread took its scored
 * frame, so at most a few frames per score thread are ever in flight.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { describeError } from '../../sinks/errors.js';
import type { Frame } from './replay-frames.js';
import { createFrameScorer, type FrameScorerOptions } from './score-frames.js';
import { transferablesOf } from './scored-frames.js';

export interface ReplayScorerData extends FrameScorerOptions {
  /** From the fetch thread: raw frames, then 'end'; acks go back on it. */
  readonly input: MessagePort;
}

export type FromFetch = { kind: 'frame'; frame: Frame } | { kind: 'end' };

const data = workerData as ReplayScorerData;
const parent = parentPort!;
const scorer = createFrameScorer(data);
data.input.on('message', (message: FromFetch) => {
  try {
    if (message.kind === 'end') {
      parent.postMessage({ kind: 'done' });
      data.input.close();
      return;
    }
    const scored = scorer.score(message.frame);
    parent.postMessage({ kind: 'scored', frame: scored }, transferablesOf(scored));
  } catch (error) {
    parent.postMessage({ kind: 'error', message: describeError(error) });
  }
});
// The window thread took a scored frame: the fetch thread may send one more.
parent.on('message', (message: 'ack') => {
  if (message === 'ack') data.input.postMessage('ack');
});
