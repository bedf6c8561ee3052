/**
 * What the synthetic generator can be asked for (see synthetic.ts) and its defaults: the share of
 * each kind of tweet in the stream, the symbols, the event-time rate.
 */

export interface SyntheticOptions {
  readonly seed?: number;
  /** How many envelopes to yield; Infinity for an endless stream. */
  readonly count?: number;
  /** Event time of the first envelope, epoch ms. */
  readonly startTime?: number;
  /** Event-time rate: envelopes per second of created_at. */
  readonly tweetsPerSecond?: number;
  /**
   * created_at lags its slot by up to this much, so fresh envelopes are out of order within this
   * bound. Exact repeats (mix.repeat) are byte-identical copies of one of the last 500 envelopes.
   */
  readonly maxJitterMs?: number;
  /** Size of the regular author population. */
  readonly authors?: number;
  readonly symbols?: readonly string[];
  /** Shares of the stream (the rest is regular on-topic tweets). */
  readonly mix?: Partial<SyntheticMix>;
}

export interface SyntheticMix {
  readonly retweet: number;
  readonly spam: number;
  readonly giveaway: number;
  readonly stuffing: number;
  readonly repeat: number;
  readonly offTopic: number;
  readonly foreign: number;
}

export const DEFAULT_SYNTHETIC_MIX: SyntheticMix = {
  retweet: 0.15,
  spam: 0.06,
  giveaway: 0.02,
  stuffing: 0.01,
  repeat: 0.01,
  offTopic: 0.1,
  foreign: 0.08,
};

export const DEFAULT_SYNTHETIC_SYMBOLS = ['BTC', 'ETH', 'SOL', 'ADA', 'DOGE', 'XRP'] as const;

const HOUR = 3_600_000;

/** Cumulative shares in the order the generator rolls them (the order is part of the seed's output). */
export function cumulative(mix: SyntheticMix): Record<keyof SyntheticMix, number> {
  const order = ['repeat', 'retweet', 'spam', 'giveaway', 'stuffing', 'offTopic', 'foreign'] as const;
  const out = {} as Record<keyof SyntheticMix, number>;
  let sum = 0;
  for (const key of order) {
    sum += mix[key];
    out[key] = sum;
  }
  return out;
}

/** One hour of event time at the given rate, for sizing runs: `count: envelopesPerHour(50)`. */
export function envelopesPerHour(tweetsPerSecond: number): number {
  return Math.round((tweetsPerSecond * HOUR) / 1000);
}
