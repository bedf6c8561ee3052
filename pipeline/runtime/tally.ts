/**
 * What became of each input (its intake record), and a run of inputs counted instead of listed:
 * consumed = stored + dropped + rejected, and every drop and rejection by stage and reason. Score threads
 * send the tally per frame, so the consuming thread counts a cut without holding a record per message.
 * Totals, metrics and "is there anything to write" read it.
 */
import type { Dropped } from '../../operators/index.js';
import type { InputMessage } from './message.js';

export const OUTCOMES = ['stored', 'dropped', 'rejected'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** What became of one input message: exactly one per input, so consumed = stored + dropped + rejected. */
export interface IntakeRecord {
  readonly partition: number;
  readonly offset: string;
  /** Event time (created_at) when known, else the Kafka timestamp. */
  readonly eventTime: number;
  readonly tweetId: string;
  readonly outcome: Outcome;
  readonly stage: string;
  readonly reason: string;
  /** The post's source ('x', 'bluesky', 'mastodon'); '' when a rejection gave no way to tell. */
  readonly source: string;
}

/** A payload normalize refused, kept whole for the DLQ. */
export interface Rejection {
  readonly input: InputMessage;
  readonly drop: Dropped;
}

export interface IntakeTally {
  consumed: number;
  stored: number;
  dropped: number;
  rejected: number;
  /** Dropped and rejected inputs per `outcome \t stage \t reason`. */
  readonly reasons: Map<string, number>;
  /** Largest event time among them; -Infinity when none. */
  latestEventTime: number;
}

export const emptyTally = (): IntakeTally => ({
  consumed: 0,
  stored: 0,
  dropped: 0,
  rejected: 0,
  reasons: new Map(),
  latestEventTime: Number.NEGATIVE_INFINITY,
});

export const reasonKey = (outcome: 'dropped' | 'rejected', stage: string, reason: string): string =>
  `${outcome}\t${stage}\t${reason}`;

/** Splits a reasons key back into its parts. */
export function reasonOf(key: string): { outcome: string; stage: string; reason: string } {
  const [outcome = '', stage = '', reason = ''] = key.split('\t');
  return { outcome, stage, reason };
}

/** Counts one input into `tally`. */
export function countInput(
  tally: IntakeTally,
  outcome: IntakeRecord['outcome'],
  eventTime: number,
  stage: string,
  reason: string,
): void {
  tally.consumed++;
  tally[outcome]++;
  if (outcome !== 'stored') {
    const key = reasonKey(outcome, stage, reason);
    tally.reasons.set(key, (tally.reasons.get(key) ?? 0) + 1);
  }
  if (eventTime > tally.latestEventTime) tally.latestEventTime = eventTime;
}

/** Adds `more` into `into`. */
export function addTally(into: IntakeTally, more: IntakeTally): void {
  into.consumed += more.consumed;
  into.stored += more.stored;
  into.dropped += more.dropped;
  into.rejected += more.rejected;
  for (const [key, n] of more.reasons) into.reasons.set(key, (into.reasons.get(key) ?? 0) + n);
  if (more.latestEventTime > into.latestEventTime) into.latestEventTime = more.latestEventTime;
}

export function tallyOf(intake: readonly IntakeRecord[]): IntakeTally {
  const tally = emptyTally();
  for (const r of intake) countInput(tally, r.outcome, r.eventTime, r.stage, r.reason);
  return tally;
}
