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

const NAMES: Readonly<Record<string, readonly string[]>> = {
  BTC: ['$BTC', '#bitcoin', 'Bitcoin', 'bitcoin', 'BTC', '#BTC'],
  ETH: ['$ETH', '#ethereum', 'Ethereum', 'ETH', 'eth', '#ETH'],
  SOL: ['$SOL', '#solana', 'Solana', 'solana'],
  ADA: ['$ADA', '#cardano', 'Cardano', 'cardano'],
  DOGE: ['$DOGE', '#dogecoin', 'Dogecoin', 'doge', 'DOGE'],
  XRP: ['$XRP', '#XRP', 'XRP', 'Ripple', 'xrp'],
};

const POSITIVE = [
  '{s} is going to the moon 🚀',
  'just bought more {s}, feeling bullish',
  '{s} breaking out, new ATH incoming!',
  'hodl {s}, this is only the beginning',
  'so much strength in {s} today 💎🙌',
  'loving the {s} chart, higher lows everywhere',
  '{s} pumping hard, great day',
  'accumulating {s} on every dip, long term bullish',
  '{s} looks strong, buyers are stepping in',
  'adoption of {s} keeps growing, very optimistic',
];
const NEGATIVE = [
  '{s} is dumping again, got rekt',
  'sold all my {s}, this looks bearish',
  '{s} is a scam, stay away',
  'another rug? {s} crashing hard 📉',
  'not bullish on {s} at all, weak volume',
  'fud everywhere and {s} keeps bleeding',
  '{s} broke support, expecting lower',
  'terrible week for {s} holders 😭',
  '{s} looks dead, capitulation incoming',
  'I hate how {s} trades, so much manipulation',
];
const NEUTRAL = [
  'what do you think about {s} this week?',
  '{s} moving sideways, waiting for a direction',
  'reading about {s} staking rewards',
  '{s} volume is average today',
  'anyone tracking {s} on-chain data?',
  '{s} update: nothing new so far',
];
const FILLERS = [
  'honestly',
  'ngl',
  'imo',
  'folks',
  'guys',
  'today',
  'again',
  'right now',
  'this morning',
  'tonight',
  'for real',
  'lol',
  'fr',
  'btw',
  'no doubt',
  'tbh',
  'as expected',
  'finally',
  'wow',
  'hmm',
];
const TIMEFRAMES = ['1h', '4h', 'daily', 'weekly', 'monthly', '15m', '2h', '12h', '3d', 'hourly'];
const EVENTS = [
  'fed meeting',
  'cpi print',
  'etf news',
  'halving talk',
  'exchange outage',
  'upgrade announcement',
  'court ruling',
  'whale transfer',
  'funding flip',
  'weekend pump',
  'asia open',
  'london close',
  'liquidation cascade',
  'conference keynote',
  'token unlock',
  'hack rumor',
];
const ACTORS = [
  'whales',
  'retail',
  'miners',
  'funds',
  'devs',
  'bears',
  'bulls',
  'market makers',
  'short sellers',
  'long traders',
  'influencers',
  'validators',
  'exchanges',
  'institutions',
];
const VERBS = [
  'buying',
  'selling',
  'watching',
  'panicking',
  'accumulating',
  'waiting',
  'hedging',
  'rotating',
  'celebrating',
  'complaining',
  'leaving',
  'arriving',
  'stacking',
  'scalping',
];
const EMOJI = ['', '', '', ' 🔥', ' 🚀', ' 👀', ' 😂', ' 📈', ' 📉', ' 🤔', ' 💯', ' :)', ' :('];
const OFF_TOPIC = [
  'good morning everyone, coffee first',
  'the method actor stayed in character for months',
  'my cat knocked the plant over again',
  'anyone watching the game tonight?',
  'new blog post about typescript generics is up',
  'weather is wild today',
  'together we can build something great',
  'just finished a long run, feeling great',
];
const FOREIGN: readonly (readonly [string, string])[] = [
  ['es', '{s} va a subir mucho esta semana'],
  ['es', 'vendí todo mi {s}, qué desastre'],
  ['de', '{s} steigt heute stark, sehr gut'],
  ['de', '{s} fällt schon wieder, schlecht'],
  ['pt', '{s} vai explodir, compra agora'],
  ['ja', '{s} が上がっている 🚀'],
  ['fr', '{s} est en baisse aujourd’hui'],
  ['und', '{s} 🚀🚀🚀'],
];
const SPAM_CAMPAIGNS = [
  '🚨 {s} is about to explode, join our VIP signals group before it is too late, link in bio',
  'I turned 500 into 25,000 trading {s} with this one simple bot, ask me how',
  'Top analysts agree {s} will 10x by next month, do not miss this opportunity',
  'Breaking: major exchange listing {s} futures tomorrow, insiders are loading up now',
];
const GIVEAWAY = [
  '🎁 GIVEAWAY: 1000 {s} to 10 lucky winners! RT + follow to enter',
  'Massive {s} airdrop live now, claim your tokens before midnight',
  'Send 0.1 {s} and get 1 {s} back, limited event',
  'free {s} for the first 100 followers, DM me to claim',
];

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** sfc32 seeded through splitmix32: small, fast, good enough for synthetic data, fully deterministic. */
function createRandom(seed: number): () => number {
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

interface Author {
  readonly user: RawUser;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function makeAuthors(
  rand: () => number,
  n: number,
  startTime: number,
  prefix: string,
  bots: boolean,
): readonly Author[] {
  const out: Author[] = [];
  for (let i = 0; i < n; i++) {
    // Pareto(x_m = 15, alpha = 1.1) followers: most accounts small, a few huge.
    const pareto = Math.floor(15 / (1 - rand()) ** (1 / 1.1)) - 15;
    let followers = Math.min(pareto, 80_000_000);
    let ageMs = Math.floor((0.2 + rand() * rand() * 15) * 365 * DAY);
    const roll = rand();
    if (bots) {
      followers = Math.floor(rand() * 400) + 1;
      ageMs = Math.floor((0.1 + rand() * 2) * 365 * DAY);
    } else if (roll < 0.03) {
      ageMs = Math.floor(rand() * 6 * DAY);
    } else if (roll < 0.05) {
      followers = 0;
    }
    const id = `${prefix}${String(i).padStart(9, '0')}`;
    out.push({
      user: {
        id,
        username: `${bots ? 'alpha_calls' : 'user'}${i}`,
        name: `${bots ? 'Alpha Calls' : 'User'} ${i}`,
        created_at: iso(startTime - ageMs),
        public_metrics: {
          followers_count: followers,
          following_count: Math.floor(rand() * 2000),
          tweet_count: 1,
        },
      },
    });
  }
  return out;
}

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

function cumulative(mix: SyntheticMix): Record<keyof SyntheticMix, number> {
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
