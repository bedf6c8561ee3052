/**
 * The rules file (a JSON array of {"value", "tag"}: what `sentiflow rules sync` sends to X) as the
 * sources that filter locally use it: parsed and compiled once, and re-read while ingest runs. The file
 * is polled (stat every `intervalMs`, read when its size or mtime changed): fs.watch misses editors
 * that replace the file and does not work on every mount. A broken edit is logged and the previous
 * rules stay in force, so a typo never stops ingest.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Logger } from 'pino';
import { ConfigError } from '../../lib/errors.js';
import { createRuleMatcher, type RuleMatcher, RuleSyntaxError } from './rule-match.js';
import { DEFAULT_RULES, type RuleSpec } from './x-rules.js';

/** Parses a rules file: a JSON array of {value, tag}. */
export function parseRulesFile(text: string, path: string): RuleSpec[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path} is not JSON`, error);
  }
  const valid =
    Array.isArray(parsed) &&
    parsed.every(
      (r: unknown) =>
        typeof r === 'object' &&
        r !== null &&
        typeof (r as RuleSpec).value === 'string' &&
        (r as RuleSpec).value.trim() !== '' &&
        typeof (r as RuleSpec).tag === 'string',
    );
  if (!valid) throw new ConfigError(`${path} must hold a JSON array of {"value": "...", "tag": "..."}`);
  return (parsed as RuleSpec[]).map(({ value, tag }) => ({ value, tag }));
}

/** Compiles rules for local matching; a rule outside the supported subset is a ConfigError. */
export function compileRules(rules: readonly RuleSpec[], where: string): RuleMatcher {
  try {
    return createRuleMatcher(rules);
  } catch (error) {
    if (error instanceof RuleSyntaxError) throw new ConfigError(`${where}: ${error.message}`, error);
    throw error;
  }
}

/** The matcher for a rules file, or for the built-in crypto rules without one. */
export function loadRules(path: string | undefined): RuleMatcher {
  if (path === undefined) return compileRules(DEFAULT_RULES, 'built-in rules');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`rules file ${path}: cannot read it (${(error as NodeJS.ErrnoException).code})`);
  }
  return compileRules(parseRulesFile(text, path), path);
}

/** The rules in force now; `get()` is cheap and called per post. */
export interface LiveRules {
  get(): RuleMatcher;
  close(): void;
}

export const DEFAULT_RULES_POLL_MS = 2_000;

/** Fixed rules (no file, or tests). */
export function fixedRules(matcher: RuleMatcher): LiveRules {
  return { get: () => matcher, close: () => undefined };
}

/** Loads `path` now (errors are ConfigErrors) and re-reads it when it changes. */
export function watchRules(
  path: string | undefined,
  { logger, intervalMs = DEFAULT_RULES_POLL_MS }: { logger: Logger; intervalMs?: number },
): LiveRules {
  let current = loadRules(path);
  if (path === undefined) return fixedRules(current);
  const stamp = (): string => {
    try {
      const s = statSync(path);
      return `${s.size}:${s.mtimeMs}:${s.ino}`;
    } catch {
      return 'missing';
    }
  };
  let seen = stamp();
  const timer = setInterval(() => {
    const now = stamp();
    if (now === seen) return;
    seen = now;
    try {
      current = loadRules(path);
      logger.info({ path, rules: current.rules.length }, 'rules file changed; new rules in force');
    } catch (error) {
      logger.warn(
        { path, err: (error as Error).message },
        'rules file changed but is unusable; keeping the previous rules',
      );
    }
  }, intervalMs);
  timer.unref();
  return { get: () => current, close: () => clearInterval(timer) };
}
