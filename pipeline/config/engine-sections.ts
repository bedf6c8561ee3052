import { z } from 'zod';
import {
  DEFAULT_FILTER_OPTIONS,
  DEFAULT_STRATEGY,
  DEFAULT_SYMBOL_MAP,
  DEFAULT_WINDOW_OPTIONS,
  SCORER_MODES,
  STRATEGY_NAMES,
} from '../../operators/index.js';
import { DEFAULT_SCORER_MODE } from '../scorer-model.js';
import { boolish, finite, nonNegative, positiveInt, terms } from './fields.js';

/**
 * What the operator chain does: symbols and their keywords, filters, scorer, window and strategy.
 * `process` and `backtest` take their engine options from these sections (engineOptionsFrom), so a
 * backtest decides exactly what the live pipeline decided with the same file.
 */
export const ENGINE_SECTIONS = {
  /** Symbol -> the cashtags, hashtags and plain keywords that make a tweet count for it. */
  symbols: z
    .record(
      z.string().regex(/^[A-Z0-9]{2,10}$/, 'expected a symbol code like BTC'),
      z.object({ cashtags: terms, hashtags: terms, keywords: terms }).strict(),
    )
    .default(
      () =>
        structuredClone(DEFAULT_SYMBOL_MAP) as Record<
          string,
          { cashtags: string[]; hashtags: string[]; keywords: string[] }
        >,
    ),
  filter: z
    .object({
      languages: z
        .array(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/, 'expected a BCP 47 code'))
        .default([...DEFAULT_FILTER_OPTIONS.languages]),
      keepUndetermined: boolish.default(DEFAULT_FILTER_OPTIONS.keepUndetermined),
      minAccountAgeDays: nonNegative.default(DEFAULT_FILTER_OPTIONS.minAccountAgeMs / 86_400_000),
      minFollowers: nonNegative.default(DEFAULT_FILTER_OPTIONS.minFollowers),
      maxCashtags: positiveInt.default(DEFAULT_FILTER_OPTIONS.maxCashtags),
      /** Regular expressions (JavaScript syntax) matched against the lower-cased text; replace the defaults. */
      spamPatterns: z
        .array(
          z.string().refine((p) => {
            try {
              new RegExp(p);
              return true;
            } catch {
              return false;
            }
          }, 'expected a valid regular expression'),
        )
        .default(DEFAULT_FILTER_OPTIONS.spamPatterns.map((r) => r.source)),
    })
    .strict()
    .prefault({}),
  scorer: z
    .object({
      /** Crypto lexicon, market emoji and price-move rule on top of the general lexicon. */
      crypto: boolish.default(true),
      /** Extra or overriding words on VADER's [-4, 4] scale; keys with spaces are phrases. */
      lexicon: z.record(z.string().min(1), z.number().min(-4).max(4)).default({}),
      negationScalar: finite.default(-0.74),
      normalizationAlpha: z.coerce.number().positive().default(15),
      /** lexicon, model (the learned model alone) or combined (both; see docs/scorer.md). */
      mode: z.enum(SCORER_MODES).default(DEFAULT_SCORER_MODE),
      /** The learned model's file (npm run train:scorer); the one shipped with sentiflow when absent. */
      modelFile: z.string().min(1).optional(),
      weight: z
        .object({
          maxWeight: z.coerce.number().min(1).default(10),
          unknownFollowers: nonNegative.default(100),
          reachFactor: nonNegative.default(0.5),
          engagementFactor: nonNegative.default(0.75),
        })
        .strict()
        .prefault({}),
    })
    .strict()
    .prefault({}),
  window: z
    .object({
      maxOutOfOrdernessMs: nonNegative.default(DEFAULT_WINDOW_OPTIONS.maxOutOfOrdernessMs),
      allowedLatenessMs: nonNegative.default(DEFAULT_WINDOW_OPTIONS.allowedLatenessMs),
      neutralBand: z.coerce.number().min(0).max(1).default(DEFAULT_WINDOW_OPTIONS.neutralBand),
      maxAuthorsPerBucket: positiveInt.default(DEFAULT_WINDOW_OPTIONS.maxAuthorsPerBucket),
    })
    .strict()
    .prefault({}),
  strategy: z
    .object({
      name: z.enum(STRATEGY_NAMES).default(DEFAULT_STRATEGY),
      /** The strategy's parameters (see `sentiflow backtest --help`); missing ones take defaults. */
      params: z.record(z.string(), z.union([z.number(), z.string()])).default({}),
    })
    .strict()
    .prefault({}),
};
