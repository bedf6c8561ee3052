/**
 * The config sections of the live sources that need no paid account: `bluesky` (Jetstream) and
 * `mastodon` (streaming API). Their defaults live beside the sources; the schema spreads these sections in.
 */
import { z } from 'zod';
import {
  DEFAULT_JETSTREAM_HOSTS,
  DEFAULT_JETSTREAM_STALL_MS,
  DEFAULT_MAX_MESSAGE_BYTES,
} from '../sources/jetstream.js';
import { DEFAULT_CURSOR_MARGIN_MS } from '../sources/jetstream-cursor.js';
import { DEFAULT_MASTODON_STALL_MS } from '../sources/mastodon-stream.js';
import { DEFAULT_RULES_POLL_MS } from '../sources/rules-file.js';
import { positiveInt } from './fields.js';

/** "a,b" (env) or ["a", "b"] (file). */
const list = (item: z.ZodString) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((s) => (Array.isArray(s) ? s : s.split(',')).map((v) => v.trim()).filter((v) => v !== ''))
    .pipe(z.array(item));
const host = z
  .string()
  .regex(/^(wss?:\/\/[^\s/]+|[a-z0-9.-]+(:\d{1,5})?)$/i, 'expected a host name or ws(s)://host[:port]');

export const MASTODON_STREAMS = ['hashtag', 'local'] as const;

export const LIVE_SOURCE_SECTIONS = {
  bluesky: z
    .object({
      hosts: list(host)
        .pipe(z.array(z.string()).min(1, 'expected at least one host'))
        .default([...DEFAULT_JETSTREAM_HOSTS]),
      /** JSON array of {"value", "tag"} in X rule syntax (`sentiflow rules`); re-read while running. */
      rulesFile: z.string().min(1).optional(),
      rulesPollMs: positiveInt.default(DEFAULT_RULES_POLL_MS),
      cursorMarginMs: z.coerce.number().int().min(0).default(DEFAULT_CURSOR_MARGIN_MS),
      stallTimeoutMs: positiveInt.default(DEFAULT_JETSTREAM_STALL_MS),
      maxMessageBytes: positiveInt.default(DEFAULT_MAX_MESSAGE_BYTES),
    })
    .strict()
    .prefault({}),
  mastodon: z
    .object({
      token: z.string().min(1).optional(),
      /** Hashtags to stream, without '#'; empty: the rules' cashtags and hashtags. */
      tags: list(z.string().regex(/^[\p{L}\p{N}_]+$/u, 'expected hashtags without #')).default([]),
      stream: z.enum(MASTODON_STREAMS).default('hashtag'),
      rulesFile: z.string().min(1).optional(),
      rulesPollMs: positiveInt.default(DEFAULT_RULES_POLL_MS),
      stallTimeoutMs: positiveInt.default(DEFAULT_MASTODON_STALL_MS),
      maxMessageBytes: positiveInt.default(DEFAULT_MAX_MESSAGE_BYTES),
    })
    .strict()
    .prefault({}),
};
