/**
 * A deterministic generator of realistic X API v2 filtered-stream envelopes about crypto, for
 * demos, tests and benchmarks. Pure and seeded with its own PRNG: the same options give the same
 * envelopes (and the same bytes once serialized), lazily, without bound if asked.
 *
 * The mix: several symbols tagged as `$BTC`, `#bitcoin` or `bitcoin`; authors with heavy-tailed
 * follower counts and account ages (some brand new, some follower-less); retweets carrying the
 * original in includes.tweets; copy-paste spam campaigns across bot accounts; giveaway bait and
 * cashtag stuffing; off-topic chatter; several languages; exact repeats (stream reconnects);
 * created_at advancing at a set rate with bounded out-of-order jitter; sentiment per symbol
 * drifting slowly over time.
 */
import type { RawEnvelope, RawTweetData, RawUser } from '../../operators/types.js';
import { iso, makeAuthors } from './synthetic-authors.js';
import { ACTORS, EMOJI, EVENTS, FILLERS, TIMEFRAMES, VERBS } from './synthetic-chatter.js';
import {
  cumulative,
  DEFAULT_SYNTHETIC_MIX,
  DEFAULT_SYNTHETIC_SYMBOLS,
  type SyntheticOptions,
} from './synthetic-options.js';
import {
  FOREIGN,
  GIVEAWAY,
  NAMES,
  NEGATIVE,
  NEUTRAL,
  OFF_TOPIC,
  POSITIVE,
  SPAM_CAMPAIGNS,
} from './synthetic-phrases.js';
import { createRandom } from './synthetic-random.js';

export {
  DEFAULT_SYNTHETIC_MIX,
  DEFAULT_SYNTHETIC_SYMBOLS,
  envelopesPerHour,
  type SyntheticMix,
  type SyntheticOptions,
} from './synthetic-options.js';

const DAY = 86_400_000;

/**
 * Yields envelopes lazily. Same options, same sequence.
 *
 * Example: `[...generateEnvelopes({ seed: 7, count: 1000 })]`
 * Cost: a few microseconds per envelope; memory bounded by the author pool and two small rings.
 */
export function* generateEnvelopes(options: SyntheticOptions = {}): Generator<RawEnvelope, void, undefined> {
  const rand = createRandom(options.seed ?? 1);
  const count = options.count ?? Number.POSITIVE_INFINITY;
  const startTime = options.startTime ?? Date.UTC(2026, 0, 1);
  const stepMs = 1000 / (options.tweetsPerSecond ?? 50);
  const jitter = options.maxJitterMs ?? 60_000;
  const symbols = options.symbols ?? DEFAULT_SYNTHETIC_SYMBOLS;
  const cut = cumulative({ ...DEFAULT_SYNTHETIC_MIX, ...options.mix });
  const authors = makeAuthors(rand, options.authors ?? 20_000, startTime, '1', false);
  const bots = makeAuthors(rand, 500, startTime, '2', true);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const zipf = (n: number): number => Math.min(n - 1, Math.floor(n * rand() ** 2.5));
  // Each symbol's mood drifts as a slow sine (period 1-3 days) plus a bounded random walk.
  const moods = symbols.map(() => ({ phase: rand() * 2 * Math.PI, period: (1 + rand() * 2) * DAY, walk: 0 }));
  const originals: { data: RawTweetData; user: RawUser }[] = [];
  const recent: RawEnvelope[] = [];
  const rules = [{ id: '1700000000000000001', tag: 'crypto' }];
  let campaign = { text: pick(SPAM_CAMPAIGNS), symbol: pick(symbols), left: 0 };

  // A varied clause so honest tweets differ the way people's do (and are not near duplicates).
  const context = (): string =>
    rand() < 0.5
      ? `on the ${pick(TIMEFRAMES)} chart with ${pick(ACTORS)} ${pick(VERBS)}`
      : `after the ${pick(EVENTS)}, ${pick(ACTORS)} ${pick(VERBS)} ${pick(FILLERS)}`;
  const name = (symbol: string): string => pick(NAMES[symbol] ?? [`$${symbol}`]);
  const fill = (template: string, symbol: string): string => template.replaceAll('{s}', name(symbol));
  const opinion = (symbolIndex: number, t: number): string => {
    const mood = moods[symbolIndex]!;
    mood.walk = Math.max(-0.4, Math.min(0.4, mood.walk + (rand() - 0.5) * 0.02));
    const m = 0.5 * Math.sin((2 * Math.PI * (t - startTime)) / mood.period + mood.phase) + mood.walk;
    const r = rand();
    const pos = 0.35 + 0.3 * m;
    const neg = 0.35 - 0.3 * m;
    return r < pos ? pick(POSITIVE) : r < pos + neg ? pick(NEGATIVE) : pick(NEUTRAL);
  };

  for (let i = 0; i < count; i++) {
    const slot = startTime + Math.floor(i * stepMs);
    const createdAt = slot - Math.floor(rand() * jitter);
    const roll = rand();
    if (roll < cut.repeat && recent.length > 0) {
      yield pick(recent);
      continue;
    }
    const id = `18${String(i).padStart(17, '0')}`;
    let author = authors[zipf(authors.length)]!.user;
    let text: string;
    let lang = 'en';
    let envelope: RawEnvelope | null = null;
    if (roll < cut.retweet && originals.length > 0) {
      const original = pick(originals);
      const data: RawTweetData = {
        id,
        text: truncate(`RT @${original.user.username}: ${original.data.text}`, 140),
        created_at: iso(createdAt),
        author_id: author.id,
        lang: original.data.lang ?? 'en',
        public_metrics: { retweet_count: 0, reply_count: 0, like_count: 0, quote_count: 0 },
        referenced_tweets: [{ type: 'retweeted', id: original.data.id }],
      };
      envelope = {
        data,
        includes: { users: [author, original.user], tweets: [original.data] },
        matching_rules: rules,
      };
    } else {
      const symbolIndex = Math.floor(rand() * symbols.length);
      const symbol = symbols[symbolIndex]!;
      if (roll < cut.spam) {
        if (campaign.left <= 0)
          campaign = { text: pick(SPAM_CAMPAIGNS), symbol, left: 5 + Math.floor(rand() * 40) };
        campaign.left--;
        author = pick(bots).user;
        text = `${fill(campaign.text, campaign.symbol)} @user${Math.floor(rand() * 1000)} https://t.co/${Math.floor(rand() * 1e9).toString(36)}`;
      } else if (roll < cut.giveaway) {
        text = fill(pick(GIVEAWAY), symbol);
      } else if (roll < cut.stuffing) {
        text = `${symbols.map((s) => `$${s}`).join(' ')} $SHIB $PEPE $LINK all going up`;
      } else if (roll < cut.offTopic) {
        text = pick(OFF_TOPIC);
      } else if (roll < cut.foreign) {
        const [code, template] = pick(FOREIGN);
        lang = code;
        text = fill(template, symbol);
      } else {
        text = fill(opinion(symbolIndex, createdAt), symbol);
        if (rand() < 0.15) {
          const other = Math.floor(rand() * symbols.length);
          text += ` and ${fill(opinion(other, createdAt), symbols[other]!)}`;
        }
        text = `${pick(FILLERS)} ${text} ${context()}${pick(EMOJI)}${rand() < 0.3 ? ` ${pick(FILLERS)}` : ''}`;
        if (rand() < 0.2) text += ` ${Math.floor(rand() * 100_000)}`;
      }
      const followers = author.public_metrics?.followers_count ?? 0;
      const reach = Math.sqrt(followers + 1);
      const data: RawTweetData = {
        id,
        text,
        created_at: iso(createdAt),
        author_id: author.id,
        lang,
        public_metrics: {
          retweet_count: Math.floor(rand() * reach * 0.2),
          reply_count: Math.floor(rand() * reach * 0.1),
          like_count: Math.floor(rand() * reach),
          quote_count: Math.floor(rand() * reach * 0.05),
        },
      };
      envelope = { data, includes: { users: [author] }, matching_rules: rules };
      if (originals.length < 2000) originals.push({ data, user: author });
      else originals[Math.floor(rand() * originals.length)] = { data, user: author };
    }
    if (recent.length < 500) recent.push(envelope);
    else recent[i % 500] = envelope;
    yield envelope;
  }
}

/** Cuts at a code point boundary, as X does (never half an emoji). */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  let out = '';
  for (const p of points) {
    if (out.length + p.length > max - 1) break;
    out += p;
  }
  return `${out}…`;
}
