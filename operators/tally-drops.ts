import type { Dropped, DropStage } from './types.js';

/**
 * Why normalize rejects a payload. These are rejections: the pipeline dead-letters them. Most apply to
 * every source; `not_a_post`, `deleted_post` and `bad_did` are Bluesky's (a Jetstream identity, account or
 * non-post event; a deleted post; an author DID that is no DID).
 */
export const NORMALIZE_REASONS = [
  'payload_too_large',
  'invalid_utf8',
  'invalid_json',
  'not_an_object',
  'missing_data',
  'missing_id',
  'bad_id',
  'missing_text',
  'bad_text',
  'text_too_long',
  'missing_created_at',
  'bad_created_at',
  'missing_author',
  'bad_author',
  'bad_lang',
  'bad_metrics',
  'bad_reference',
  'bad_includes',
  'bad_rules',
  'not_a_post',
  'deleted_post',
  'bad_did',
] as const;
export type NormalizeReason = (typeof NORMALIZE_REASONS)[number];

/** Why dedupe drops a tweet. */
export const DEDUPE_REASONS = ['duplicate_id', 'retweet', 'near_duplicate'] as const;
export type DedupeReason = (typeof DEDUPE_REASONS)[number];

/** Why filter drops a tweet, in the order the checks run. */
export const FILTER_REASONS = [
  'language',
  'no_symbol',
  'spam_giveaway',
  'cashtag_stuffing',
  'new_account',
  'no_followers',
] as const;
export type FilterReason = (typeof FILTER_REASONS)[number];

/** Why window drops a tweet: its bucket had closed (`late`), or closed before this run resumed. */
export const WINDOW_REASONS = ['late', 'closed_before_resume'] as const;
export type WindowReason = (typeof WINDOW_REASONS)[number];

/** Every (stage, reason) pair, e.g. to pre-register metrics so that zero counts are visible too. */
export const DROP_REASONS: Readonly<Record<DropStage, readonly string[]>> = {
  normalize: NORMALIZE_REASONS,
  dedupe: DEDUPE_REASONS,
  filter: FILTER_REASONS,
  window: WINDOW_REASONS,
};

export function dropped(
  stage: DropStage,
  reason: string,
  detail: string,
  tweetId: string | null,
  eventTime: number | null,
): Dropped {
  return { kind: 'dropped', stage, reason, detail, tweetId, eventTime };
}

export function isDropped(item: { readonly kind: string }): item is Dropped {
  return item.kind === 'dropped';
}

/** Drop counts keyed `stage/reason`, e.g. `filter/no_symbol`. */
export type DropTally = Readonly<Record<string, number>>;

/**
 * Counts one more item into a tally: drops add one to their `stage/reason` key, anything else
 * returns the tally unchanged (same object). Pure, so it can seed a `scan`:
 *
 *   items$.pipe(scan(tallyDrops, {} as DropTally))
 */
export function tallyDrops(tally: DropTally, item: { readonly kind: string }): DropTally {
  if (!isDropped(item)) return tally;
  const key = `${item.stage}/${item.reason}`;
  return { ...tally, [key]: (tally[key] ?? 0) + 1 };
}
