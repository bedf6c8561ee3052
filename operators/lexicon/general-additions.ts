/**
 * Our additions to the general lexicon: common tweet words that neither VADER nor AFINN rates, and
 * everyday English idioms whose sentiment the word-by-word lexicon gets wrong ("could be worse" is mildly
 * positive, "can't wait" is eager). Ours, on VADER's scale ([-4, 4]); a value of 0 neutralises a phrase
 * whose words would otherwise count ("fear and greed" index, "open interest").
 */
export const GENERAL_ADDITIONS: Readonly<Record<string, number>> = {
  incredible: 2.8,
  nightmare: -2.6,
  unhelpful: -1.8,
  expensive: -1.0,
  overpriced: -1.6,
  bland: -1.2,
  'could be worse': 0.9,
  'could have been worse': 0.9,
  'could be better': -0.9,
  'could have been better': -1.0,
  'never been better': 2.6,
  'never been stronger': 2.4,
  'never been happier': 3.0,
  "couldn't be happier": 3.0,
  'couldnt be happier': 3.0,
  "couldn't be better": 2.6,
  'couldnt be better': 2.6,
  "can't wait": 2.0,
  'cant wait': 2.0,
  'looking forward': 1.8,
  'nailed it': 2.4,
  'lost faith': -2.0,
  'no worries': 1.2,
  'no problem': 1.0,
  'not bad at all': 1.8,
  'fear and greed': 0,
  'open interest': 0,
  'customer support': 0,
  'support team': 0,
  'tech support': 0,
  'kind of': 0,
  'sort of': 0,
};
