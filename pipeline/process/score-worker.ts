/**
 * A score thread of `process`: normalize -> dedupe -> filter -> score (classifyInput, the engine's own
 * step) for its tweets.raw partitions, batch by batch in the order they arrive. It answers each batch
 * with what the window needs (score-thread-messages.ts) and keeps the rows of the big tables, encoded,
 * until the next cut; a cut also carries its dedupe memories when asked, so the consuming thread can
 * checkpoint a consistent state.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  createDedupeState,
  createScoringModel,
  createTweetFilter,
  type DedupeSnapshot,
  type DedupeState,
  type Dropped,
} from '../../operators/index.js';
import type { EngineInput } from './engine.js';
import { intakeRow, tweetRows } from './rows.js';
import { classifyInput, intakeRecord } from './score-stage.js';
import type {
  BatchMessage,
  ClassifiedMessage,
  CutReply,
  FromScoreWorker,
  ScoreWorkerData,
  ToScoreWorker,
} from './score-thread-messages.js';
import { intakeRowTsv, tweetRowsTsv } from './tsv-rows.js';

const data = workerData as ScoreWorkerData;
const port = parentPort!;
const options = {
  scoring: createScoringModel(data.scoring),
  ...(data.normalize ? { normalize: data.normalize } : {}),
  ...(data.weight ? { weight: data.weight } : {}),
};
const filter = createTweetFilter(data.filter);
const dedupes = new Map<number, DedupeState>(
  data.partitions.map((p) => [p, createDedupeState(data.dedupe, data.from[String(p)])] as const),
);
let tweets: string[] = [];
let intake: string[] = [];
let tweetsJson: Record<string, unknown>[] = [];
let intakeJson: Record<string, unknown>[] = [];

function classifyBatch(batch: BatchMessage): ClassifiedMessage {
  const dedupe = dedupes.get(batch.partition);
  if (dedupe === undefined)
    throw new RangeError(`partition ${batch.partition} is not handled by this thread`);
  const n = batch.ends.length;
  const outcomes = new Uint8Array(n);
  const eventTimes = new Float64Array(n);
  const strings: string[] = [];
  const symbolCounts: number[] = [];
  const scores: number[] = [];
  const weights: number[] = [];
  const rejections: { index: number; drop: Dropped }[] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = batch.ends[i]!;
    const value = end < 0 ? null : batch.bytes.subarray(start, end);
    if (end >= 0) start = end;
    const input: EngineInput = {
      partition: batch.partition,
      offset: batch.offsets[i]!,
      value,
      timestamp: batch.timestamps[i]!,
    };
    const c = classifyInput(input, dedupe, filter, options);
    const record = intakeRecord(input, c);
    eventTimes[i] = c.eventTime;
    const line = intakeRowTsv(data.topic, record);
    if (line === null) intakeJson.push(intakeRow(data.topic, record));
    else intake.push(line);
    if (c.outcome === 'stored') {
      outcomes[i] = 0;
      const t = c.scored;
      strings.push(t.id, t.authorId, ...t.symbols);
      symbolCounts.push(t.symbols.length);
      scores.push(t.score);
      weights.push(t.weight);
      const rows = tweetRowsTsv(t);
      if (rows === null) tweetsJson.push(...tweetRows(t));
      else tweets.push(rows);
    } else if (c.outcome === 'dropped') {
      outcomes[i] = 1;
      strings.push(record.tweetId, record.stage, record.reason);
    } else {
      outcomes[i] = 2;
      rejections.push({ index: i, drop: c.drop });
    }
  }
  return {
    kind: 'classified',
    outcomes,
    eventTimes,
    strings,
    symbolCounts: Uint8Array.from(symbolCounts),
    scores: Float64Array.from(scores),
    weights: Float64Array.from(weights),
    rejections,
  };
}

function cut(state: boolean): CutReply {
  const reply: CutReply = {
    kind: 'cut',
    tweets: tweets.join(''),
    intake: intake.join(''),
    tweetsJson,
    intakeJson,
    dedupe: state
      ? Object.fromEntries(
          [...dedupes].map(([p, d]) => [String(p), d.snapshot()] as [string, DedupeSnapshot]),
        )
      : null,
  };
  tweets = [];
  intake = [];
  tweetsJson = [];
  intakeJson = [];
  return reply;
}

port.on('message', (message: ToScoreWorker) => {
  let reply: FromScoreWorker;
  try {
    if (message.kind === 'batch') {
      const classified = classifyBatch(message);
      port.postMessage(classified, [
        classified.outcomes.buffer,
        classified.eventTimes.buffer,
        classified.scores.buffer,
        classified.weights.buffer,
        classified.symbolCounts.buffer,
      ]);
      return;
    }
    reply = cut(message.state);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    reply = { kind: 'error', name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
  }
  port.postMessage(reply);
});
