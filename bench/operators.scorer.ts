/**
 * operators.scorer: CPU microseconds per tweet for scoreTextValue (what the score operator calls per tweet)
 * over a deterministic, realistic mix of tweets, with the scorer the default config builds (the learned
 * model and the lexicon, docs/scorer.md; SCORER_MODE and SCORER_MODEL_FILE pick another). Also measured:
 * the lexicon alone (`lexicon`), and scoreText, which also explains each score (`explained`,
 * `lexicon_explained`: what `sentiflow score` does per line).
 * baseline = natural's AFINN SentimentAnalyzer (WordTokenizer + getSentiment) on the same texts, same run.
 */
import { SentimentAnalyzer } from 'natural/lib/natural/sentiment/index.js';
import { WordTokenizer } from 'natural/lib/natural/tokenizers/index.js';
import { createScoringModel, scoreText, scoreTextValue } from '../operators/score-tweets.js';
import { engineOptionsFrom, loadConfig } from '../pipeline/config.js';
import { scorerIdentity } from '../pipeline/scorer-model.js';
import { emit, note, ratioOf } from './lib.js';

const COUNT = Number(process.argv[2] ?? 120_000);
const ROUNDS = 5;

/** mulberry32: a tiny seeded PRNG so every run scores the same texts. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYMBOLS = ['$BTC', '$ETH', '$SOL', '$ADA', '$DOGE', '$XRP', 'bitcoin', 'Ethereum', '#crypto', '#BTC'];
const OPENERS = [
  '',
  'gm.',
  'Honestly',
  'Just saw this:',
  'Thread 🧵',
  'Reminder:',
  'LOL',
  'Not gonna lie,',
  'ngl',
];
const BODIES = [
  'looking really bullish today, breaking out of the range',
  'is dumping hard, got rekt on my longs',
  'to the moon!!! diamond hands 💎🙌',
  'this is not a dip, this is a crash',
  'trading sideways, volume is low',
  'holding support nicely, buy the dip',
  'is a scam and a rug pull waiting to happen',
  'ETF approved, massive day for crypto',
  'lost the 60k support, this is getting ugly',
  'price unchanged over the last 24 hours',
  'up 12% this week, bulls in control',
  'down 8% overnight, woke up to red',
  'the team keeps delivering but the price is weak',
  'I am SO HAPPY with my gains',
  'no idea where this goes next, could be worse',
  'fees are insane again, unusable network 😡',
  'staking rewards paid every 5 days',
  'whales accumulating quietly, very healthy structure',
  'FUD everywhere but fundamentals are strong',
  'es increíble, vamos a la luna',
];
const CLOSERS = [
  '',
  '',
  '🚀🚀',
  '📉',
  ':)',
  ':(',
  '!!',
  '??',
  'NFA',
  'DYOR',
  'https://t.co/Ab12Cd34',
  '@trader_joe',
];

function makeTexts(count: number): string[] {
  const random = prng(20_240_601);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    const parts = [pick(OPENERS), pick(SYMBOLS), pick(BODIES)];
    if (random() < 0.6) parts.push(pick(BODIES));
    parts.push(pick(CLOSERS), `#${Math.floor(random() * 5000)}`);
    texts.push(parts.filter((p) => p.length > 0).join(' '));
  }
  return texts;
}

/**
 * CPU microseconds per text (this process's user + system time, best of ROUNDS after a warm-up): on a
 * shared machine wall time mostly measures the neighbours, as in operators.chain.
 */
function measure(label: string, texts: readonly string[], score: (text: string) => number): number {
  let sink = 0;
  for (let i = 0; i < Math.min(texts.length, 20_000); i++) sink += score(texts[i]!); // warm-up
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.cpuUsage();
    for (const text of texts) sink += score(text);
    const used = process.cpuUsage(start);
    rounds.push((used.user + used.system) / texts.length);
  }
  note(`${label}: ${rounds.map((r) => r.toFixed(2)).join(' / ')} us/tweet CPU (checksum ${sink.toFixed(3)})`);
  return Math.min(...rounds);
}

const texts = makeTexts(COUNT);
const chars = texts.reduce((n, t) => n + t.length, 0);
note(`${texts.length} texts, mean ${(chars / texts.length).toFixed(0)} chars`);

const { SCORER_MODE, SCORER_MODEL_FILE } = process.env;
const { scoring, scoringOptions } = engineOptionsFrom(
  loadConfig({ env: { SCORER_MODE, SCORER_MODEL_FILE } }),
);
const identity = scorerIdentity(scoringOptions);
const lexiconModel = createScoringModel();
const ours = measure(`scoreTextValue (${identity.scorer})`, texts, (t) => scoreTextValue(t, scoring));
const lexicon = measure('scoreTextValue (lexicon)', texts, (t) => scoreTextValue(t, lexiconModel));
const explained = measure(`scoreText (${identity.scorer})`, texts, (t) => scoreText(t, scoring).score);
const lexiconExplained = measure('scoreText (lexicon)', texts, (t) => scoreText(t, lexiconModel).score);

const tokenizer = new WordTokenizer();
const afinn = new SentimentAnalyzer('English', undefined, 'afinn');
const baseline = measure('natural AFINN', texts, (t) => {
  const words = tokenizer.tokenize(t);
  return words.length === 0 ? 0 : afinn.getSentiment(words);
});

const round = (n: number): number => Math.round(n * 100) / 100;
emit({
  bench: 'operators.scorer',
  value: round(ours),
  unit: 'us/tweet',
  baseline: round(baseline),
  ratio: ratioOf(ours, baseline),
  ...identity,
  lexicon: round(lexicon),
  explained: round(explained),
  lexicon_explained: round(lexiconExplained),
  tweets_per_s: Math.round(1e6 / ours),
  baseline_tweets_per_s: Math.round(1e6 / baseline),
  texts: texts.length,
  mean_chars: Math.round(chars / texts.length),
  rounds: ROUNDS,
  clock: 'cpu',
});
