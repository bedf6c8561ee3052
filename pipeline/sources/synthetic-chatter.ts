/**
 * The words that make honest synthetic tweets differ the way people's do (so they are not near
 * duplicates): fillers, chart timeframes, events, actors, verbs, emoji. Every list (its
 * length and order) is part of the generator's output: editing one changes the bytes of every seed.
 */

export const FILLERS = [
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
export const TIMEFRAMES = ['1h', '4h', 'daily', 'weekly', 'monthly', '15m', '2h', '12h', '3d', 'hourly'];
export const EVENTS = [
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
export const ACTORS = [
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
export const VERBS = [
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
export const EMOJI = ['', '', '', ' 🔥', ' 🚀', ' 👀', ' 😂', ' 📈', ' 📉', ' 🤔', ' 💯', ' :)', ' :('];
