/**
 * X filtered-stream rules ({value, tag}, the file `sentiflow rules` syncs to X) evaluated locally, for
 * sources whose servers do not filter (Bluesky Jetstream, Mastodon's local timeline). The subset of X's
 * rule language understood: keywords (whole words, case-insensitive), "quoted phrases", $cashtags,
 * #hashtags, implicit AND, OR (AND binds first, as on X), parentheses, `-` negation, and the operators
 * is:retweet, is:reply, is:quote, lang:<code>, has:links, has:hashtags, has:cashtags, has:mentions.
 * Anything else is refused when the rules are loaded (RuleSyntaxError), never silently ignored.
 * Cost per post: one lower-casing of the text, then a substring test per term (a regex only on a hit).
 */

/** What a rule can look at in a post, whatever its source. */
export interface PostFacts {
  readonly text: string;
  /** Hashtags without '#', any case (facets on Bluesky, status.tags on Mastodon). */
  readonly hashtags: readonly string[];
  readonly langs: readonly string[];
  readonly hasLinks: boolean;
  readonly hasMentions: boolean;
  readonly isReply: boolean;
  readonly isQuote: boolean;
  readonly isRepost: boolean;
}

export interface TaggedRule {
  readonly value: string;
  readonly tag: string;
}

/** A rule value outside the supported subset; the message names the rule and the problem. */
export class RuleSyntaxError extends Error {}

interface Prepared {
  readonly facts: PostFacts;
  readonly lower: string;
  hashtagSet: Set<string> | null;
}

type Node =
  | { readonly all: readonly Node[] }
  | { readonly any: readonly Node[] }
  | { readonly not: Node }
  | { readonly test: (post: Prepared) => boolean };

const WORD = '\\p{L}\\p{N}_';
const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function textTerm(needle: string, prefix: string): (post: Prepared) => boolean {
  const lower = (prefix + needle).toLowerCase();
  const pattern = new RegExp(
    `(?<![${WORD}${prefix === '' ? '' : escapeRegex(prefix)}])${escapeRegex(lower).replace(/\s+/g, '\\s+')}(?![${WORD}])`,
    'u',
  );
  const first = lower.split(/\s+/)[0]!; // a phrase may be spaced differently in the text
  return (post) => post.lower.includes(first) && pattern.test(post.lower);
}

function hashtagTerm(tag: string): (post: Prepared) => boolean {
  const inText = textTerm(tag, '#');
  const lower = tag.toLowerCase();
  return (post) => {
    post.hashtagSet ??= new Set(post.facts.hashtags.map((h) => h.toLowerCase()));
    return post.hashtagSet.has(lower) || inText(post);
  };
}

const CASHTAG_IN_TEXT = /(?<![\p{L}\p{N}_$])\$[a-z][a-z0-9_]{0,14}(?![\p{L}\p{N}_])/u;
const MENTION_IN_TEXT = /(?<![\p{L}\p{N}_@])@[a-z0-9_][a-z0-9_.-]*/u;

function operator(name: string, value: string, rule: string): (post: Prepared) => boolean {
  const key = `${name}:${value}`;
  switch (key) {
    case 'is:retweet':
      return (p) => p.facts.isRepost;
    case 'is:reply':
      return (p) => p.facts.isReply;
    case 'is:quote':
      return (p) => p.facts.isQuote;
    case 'has:links':
      return (p) => p.facts.hasLinks;
    case 'has:hashtags':
      return (p) => p.facts.hashtags.length > 0 || /(?<![\p{L}\p{N}_#])#[\p{L}\p{N}_]+/u.test(p.lower);
    case 'has:cashtags':
      return (p) => CASHTAG_IN_TEXT.test(p.lower);
    case 'has:mentions':
      return (p) => p.facts.hasMentions || MENTION_IN_TEXT.test(p.lower);
  }
  if (name === 'lang' && /^[a-z]{2,3}$/i.test(value)) {
    const lang = value.toLowerCase();
    return (p) =>
      p.facts.langs.some((l) => l.toLowerCase() === lang || l.toLowerCase().startsWith(`${lang}-`));
  }
  throw new RuleSyntaxError(`rule "${rule}": operator ${key} is not supported outside X`);
}

const TOKEN = /\s*(?:(\()|(\))|(-)?"([^"]*)"|(-)?([^\s()"]+))/y;

type Token = '(' | ')' | { readonly negated: boolean; readonly node: Node; readonly or: boolean };

function tokenize(rule: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  for (;;) {
    if (/^\s*$/.test(rule.slice(TOKEN.lastIndex))) return tokens;
    const m = TOKEN.exec(rule);
    if (m === null)
      throw new RuleSyntaxError(`rule "${rule}": cannot read it at "${rule.slice(TOKEN.lastIndex)}"`);
    if (m[1] !== undefined) tokens.push('(');
    else if (m[2] !== undefined) tokens.push(')');
    else if (m[4] !== undefined) {
      if (m[4].trim() === '') throw new RuleSyntaxError(`rule "${rule}": empty phrase`);
      tokens.push({ negated: m[3] !== undefined, node: { test: textTerm(m[4].trim(), '') }, or: false });
    } else {
      const word = m[6]!;
      const negated = m[5] !== undefined;
      if (word === '-') throw new RuleSyntaxError(`rule "${rule}": negated groups -( ) are not supported`);
      if (word === 'OR' && !negated) {
        tokens.push({ negated: false, node: { all: [] }, or: true });
        continue;
      }
      tokens.push({ negated, node: { test: termOf(word, rule) }, or: false });
    }
  }
}

function termOf(word: string, rule: string): (post: Prepared) => boolean {
  const op = /^([a-z_]+):(.+)$/.exec(word);
  if (op !== null) return operator(op[1]!, op[2]!, rule);
  if (/^\$[A-Za-z][A-Za-z0-9_]*$/.test(word)) return textTerm(word.slice(1), '$');
  if (/^#[\p{L}\p{N}_]+$/u.test(word)) return hashtagTerm(word.slice(1));
  if (/^@[A-Za-z0-9_.-]+$/.test(word)) return textTerm(word.slice(1), '@');
  if (/^[\p{L}\p{N}_'’.-]+$/u.test(word)) return textTerm(word, '');
  throw new RuleSyntaxError(`rule "${rule}": "${word}" is not a keyword, $cashtag, #hashtag or operator`);
}

/** Recursive descent: or := and ('OR' and)*; and := unit+; unit := '-'? (term | '(' or ')'). */
function parse(rule: string): Node {
  const tokens = tokenize(rule);
  let i = 0;
  const fail = (what: string): never => {
    throw new RuleSyntaxError(`rule "${rule}": ${what}`);
  };
  const parseOr = (): Node => {
    const alternatives = [parseAnd()];
    for (let t = tokens[i]; t !== undefined && t !== ')' && t !== '(' && t.or; t = tokens[i]) {
      i += 1;
      alternatives.push(parseAnd());
    }
    return alternatives.length === 1 ? alternatives[0]! : { any: alternatives };
  };
  const parseAnd = (): Node => {
    const parts: Node[] = [];
    for (let t = tokens[i]; t !== undefined && t !== ')' && (t === '(' || !t.or); t = tokens[i]) {
      i += 1;
      if (t === '(') {
        parts.push(parseOr());
        if (tokens[i] !== ')') fail('unbalanced parentheses');
        i += 1;
      } else parts.push(t.negated ? { not: t.node } : t.node);
    }
    if (parts.length === 0) fail('OR needs a term on each side');
    if (parts.every((p) => 'not' in p)) fail('a rule needs at least one term that is not negated');
    return parts.length === 1 ? parts[0]! : { all: parts };
  };
  if (tokens.length === 0) fail('empty rule');
  const tree = parseOr();
  if (i !== tokens.length) fail('unbalanced parentheses');
  return tree;
}

type Test = (post: Prepared) => boolean;

/** A parsed rule as one function: the tree is walked once, when the rules load, not for every post. */
function compile(node: Node): Test {
  if ('test' in node) return node.test;
  if ('not' in node) {
    const inner = compile(node.not);
    return (post) => !inner(post);
  }
  if ('all' in node) {
    const parts = node.all.map(compile);
    return (post) => {
      for (const part of parts) if (!part(post)) return false;
      return true;
    };
  }
  const alternatives = node.any.map(compile);
  return (post) => {
    for (const alternative of alternatives) if (alternative(post)) return true;
    return false;
  };
}

export interface RuleMatcher {
  /** Tags of the rules the post matches, in rule order, unique; empty when none matches. */
  match(post: PostFacts): string[];
  readonly rules: readonly TaggedRule[];
}

/** Compiles rules once; throws RuleSyntaxError for a rule outside the supported subset. */
export function createRuleMatcher(rules: readonly TaggedRule[]): RuleMatcher {
  const compiled = rules.map((r) => ({ tag: r.tag, test: compile(parse(r.value)) }));
  return {
    rules,
    match(facts) {
      const post: Prepared = { facts, lower: facts.text.toLowerCase(), hashtagSet: null };
      const tags: string[] = [];
      for (const { tag, test } of compiled) {
        if (!tags.includes(tag) && test(post)) tags.push(tag);
      }
      return tags;
    },
  };
}

/** The hashtags a set of rules names, for servers that stream by hashtag: #tags and $cashtags, lower-cased. */
export function ruleHashtags(rules: readonly TaggedRule[]): string[] {
  const tags = new Set<string>();
  for (const rule of rules) {
    for (const m of rule.value.matchAll(/(?<![\p{L}\p{N}_])[$#]([\p{L}\p{N}_]+)/gu))
      tags.add(m[1]!.toLowerCase());
  }
  return [...tags];
}
