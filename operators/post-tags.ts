/**
 * Hashtags a source lists beside the text (Bluesky facet and outline tags, Mastodon's `tags`), folded
 * into the text the way X's hashtags already are: a tag missing from the text is appended on a last line
 * as `#tag`. The symbol filter (match-symbols.ts) then finds every source's hashtags in one place.
 */

const MAX_TAG = 64;

/** `text`, plus a line `#a #b` of the tags it does not already hold (any case); the same string when none. */
export function appendMissingTags(text: string, tags: readonly string[]): string {
  if (tags.length === 0) return text;
  let lower: string | null = null;
  let line = '';
  for (const raw of tags) {
    const tag = raw.startsWith('#') ? raw.slice(1) : raw;
    if (tag === '' || tag.length > MAX_TAG || !isOneWord(tag)) continue;
    lower ??= text.toLowerCase();
    const mark = `#${tag.toLowerCase()}`;
    if (holds(lower, mark) || holds(line.toLowerCase(), mark)) continue;
    line += line === '' ? `#${tag}` : ` #${tag}`;
  }
  if (line === '') return text;
  return text === '' ? line : `${text}\n${line}`;
}

// `mark` occurs in `s` as a whole tag: not followed by a word character ('#bit' is not in '#bitcoin').
function holds(s: string, mark: string): boolean {
  for (let at = s.indexOf(mark); at >= 0; at = s.indexOf(mark, at + 1)) {
    const c = s.charCodeAt(at + mark.length);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95)) return true;
  }
  return false;
}

function isOneWord(tag: string): boolean {
  for (let i = 0; i < tag.length; i++) {
    const c = tag.charCodeAt(i);
    if (c <= 32 || c === 35 || c === 0x7f || c === 0xa0) return false;
  }
  return true;
}
