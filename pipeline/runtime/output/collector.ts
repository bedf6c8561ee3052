/**
 * The one collector every mode writes through: what the chain produced since the last cut, per output,
 * already in its output's format (formats.ts). The runtime takes it whole at a cut (`take`) and the
 * commit protocol hands it to the writer; neither knows the tables. Score threads keep a collector of
 * their own for the rows they encode and hand those over at the cut (`absorbRows`).
 */
import { type Bucket, type Decision, type Dropped, sourceOfId } from '../../../operators/index.js';
import type { OutgoingMessage } from '../../../sinks/kafka/producer.js';
import type { ScoreResult } from '../score-task.js';
import {
  addTally,
  countInput,
  emptyTally,
  type IntakeRecord,
  type IntakeTally,
  type Rejection,
} from '../tally.js';
import type { WindowOutputs } from '../window-task.js';
import { addIntakeRow, addTweetRows, dlqMessage, type TableRows, TableRowsBuilder } from './formats.js';

/** Everything one cut covers, formatted for its tables and topics. */
export interface OutputBatch {
  readonly tweets: TableRows;
  readonly intake: TableRows;
  readonly dlq: OutgoingMessage[];
  /** tweets.scored records and marks (`--stage score`). */
  readonly repartition: OutgoingMessage[];
  readonly buckets: Bucket[];
  readonly decisions: Decision[];
  /** Stored tweets that came after their bucket closed (counted, in no bucket). */
  readonly late: Dropped[];
  /** What the cut's inputs became. */
  readonly tally: IntakeTally;
}

export interface CollectorOptions {
  /** The input topic, as intake rows and DLQ messages name it. */
  readonly topic: string;
  /** Encode the rows of `tweets` and `intake` (a backtest only counts). */
  readonly rows: boolean;
}

/** A batch but for the big tables' rows, which a collector builds apart (TableRowsBuilder). */
type SmallOutputs = Omit<OutputBatch, 'tweets' | 'intake'>;

const noSmallOutputs = (): SmallOutputs => ({
  dlq: [],
  repartition: [],
  buckets: [],
  decisions: [],
  late: [],
  tally: emptyTally(),
});

export function emptyBatch(): OutputBatch {
  return { ...noSmallOutputs(), tweets: { tsv: [], json: [] }, intake: { tsv: [], json: [] } };
}

/** True when a batch has nothing to write. */
export function isEmptyBatch(b: OutputBatch): boolean {
  return (
    b.tally.consumed === 0 &&
    b.repartition.length === 0 &&
    b.buckets.length === 0 &&
    b.decisions.length === 0 &&
    b.late.length === 0
  );
}

export function intakeRecordOf({ input, outcome, item, eventTime }: ScoreResult): IntakeRecord {
  const drop = item.kind === 'dropped' ? item : null;
  return {
    partition: input.partition,
    offset: input.offset,
    eventTime,
    tweetId: drop === null ? (item as { id: string }).id : outcome === 'dropped' ? (drop.tweetId ?? '') : '',
    outcome,
    stage: drop?.stage ?? '',
    reason: drop?.reason ?? '',
    source: drop === null ? (item as { source: string }).source : sourceOfId(drop.tweetId),
  };
}

export class Collector implements WindowOutputs {
  private batch = noSmallOutputs();
  private readonly tweets = new TableRowsBuilder();
  private readonly intake = new TableRowsBuilder();

  constructor(private readonly options: CollectorOptions) {}

  /** One input's result from a score task: its intake row, its tweet rows or its DLQ message. */
  score(r: ScoreResult): void {
    const { batch } = this;
    const drop = r.item.kind === 'dropped' ? r.item : null;
    countInput(batch.tally, r.outcome, r.eventTime, drop?.stage ?? '', drop?.reason ?? '');
    if (this.options.rows) {
      addIntakeRow(this.intake, this.options.topic, intakeRecordOf(r));
      if (r.item.kind === 'scored') addTweetRows(this.tweets, r.item);
    }
    if (r.outcome === 'rejected') this.reject({ input: r.input, drop: r.item as Dropped });
  }

  reject(rejection: Rejection): void {
    this.batch.dlq.push(dlqMessage(this.options.topic, rejection));
  }

  repartition(messages: readonly OutgoingMessage[]): void {
    for (const m of messages) this.batch.repartition.push(m);
  }

  bucket(bucket: Bucket): void {
    this.batch.buckets.push(bucket);
  }

  decision(decision: Decision): void {
    this.batch.decisions.push(decision);
  }

  late(drop: Dropped): void {
    this.batch.late.push(drop);
  }

  /** Counts inputs a score thread tallied. */
  absorbTally(tally: IntakeTally): void {
    addTally(this.batch.tally, tally);
  }

  /** Rows a score thread encoded. */
  absorbRows(rows: { readonly tweets: TableRows; readonly intake: TableRows }): void {
    this.tweets.absorb(rows.tweets);
    this.intake.absorb(rows.intake);
  }

  /** Closed buckets, decisions or late tweets wait (inputs aside). */
  get pendingOutput(): boolean {
    const b = this.batch;
    return b.buckets.length > 0 || b.decisions.length > 0 || b.late.length > 0 || b.repartition.length > 0;
  }

  /** Everything since the last take; the collector starts empty again. */
  take(): OutputBatch {
    const taken = { ...this.batch, tweets: this.tweets.take(), intake: this.intake.take() };
    this.batch = noSmallOutputs();
    return taken;
  }
}
