/**
 * What synthetic tweets say: per-symbol names, opinion templates by mood, off-topic chatter, other
 * languages, spam campaigns and giveaway bait. `{s}` stands for a symbol's name. Every list (its
 * length and order) is part of the generator's output: editing one changes the bytes of every seed.
 */

export const NAMES: Readonly<Record<string, readonly string[]>> = {
  BTC: ['$BTC', '#bitcoin', 'Bitcoin', 'bitcoin', 'BTC', '#BTC'],
  ETH: ['$ETH', '#ethereum', 'Ethereum', 'ETH', 'eth', '#ETH'],
  SOL: ['$SOL', '#solana', 'Solana', 'solana'],
  ADA: ['$ADA', '#cardano', 'Cardano', 'cardano'],
  DOGE: ['$DOGE', '#dogecoin', 'Dogecoin', 'doge', 'DOGE'],
  XRP: ['$XRP', '#XRP', 'XRP', 'Ripple', 'xrp'],
};

export const POSITIVE = [
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
export const NEGATIVE = [
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
export const NEUTRAL = [
  'what do you think about {s} this week?',
  '{s} moving sideways, waiting for a direction',
  'reading about {s} staking rewards',
  '{s} volume is average today',
  'anyone tracking {s} on-chain data?',
  '{s} update: nothing new so far',
];
export const OFF_TOPIC = [
  'good morning everyone, coffee first',
  'the method actor stayed in character for months',
  'my cat knocked the plant over again',
  'anyone watching the game tonight?',
  'new blog post about typescript generics is up',
  'weather is wild today',
  'together we can build something great',
  'just finished a long run, feeling great',
];
export const FOREIGN: readonly (readonly [string, string])[] = [
  ['es', '{s} va a subir mucho esta semana'],
  ['es', 'vendí todo mi {s}, qué desastre'],
  ['de', '{s} steigt heute stark, sehr gut'],
  ['de', '{s} fällt schon wieder, schlecht'],
  ['pt', '{s} vai explodir, compra agora'],
  ['ja', '{s} が上がっている 🚀'],
  ['fr', '{s} est en baisse aujourd’hui'],
  ['und', '{s} 🚀🚀🚀'],
];
export const SPAM_CAMPAIGNS = [
  '🚨 {s} is about to explode, join our VIP signals group before it is too late, link in bio',
  'I turned 500 into 25,000 trading {s} with this one simple bot, ask me how',
  'Top analysts agree {s} will 10x by next month, do not miss this opportunity',
  'Breaking: major exchange listing {s} futures tomorrow, insiders are loading up now',
];
export const GIVEAWAY = [
  '🎁 GIVEAWAY: 1000 {s} to 10 lucky winners! RT + follow to enter',
  'Massive {s} airdrop live now, claim your tokens before midnight',
  'Send 0.1 {s} and get 1 {s} back, limited event',
  'free {s} for the first 100 followers, DM me to claim',
];
