/**
 * The filtered stream's rules on X: list, add, remove (by id or tag) and sync to a desired set.
 * X applies rule changes to the open stream connection, so none of this needs an ingest restart.
 * `planRuleSync` is the pure part (what to add and remove); the rest are thin calls.
 */
import type { TwitterApi } from 'twitter-api-v2';
import { UnavailableError } from '../../lib/errors.js';
import { classifyXError } from './x-errors.js';

export interface StreamRule {
  readonly id: string;
  readonly value: string;
  readonly tag?: string;
}

export interface RuleSpec {
  readonly value: string;
  readonly tag: string;
}

/** Rules for the common crypto symbols, used when the configuration names none. */
export const DEFAULT_RULES: readonly RuleSpec[] = [
  { value: '($BTC OR bitcoin) -is:retweet', tag: 'BTC' },
  { value: '($ETH OR ethereum) -is:retweet', tag: 'ETH' },
  { value: '($SOL OR solana) -is:retweet', tag: 'SOL' },
];

export interface RuleSyncPlan {
  readonly add: readonly RuleSpec[];
  readonly remove: readonly StreamRule[];
  readonly keep: readonly StreamRule[];
}

/** Which rules to add and remove so that X's rules equal `desired` (a rule is its value and tag). */
export function planRuleSync(current: readonly StreamRule[], desired: readonly RuleSpec[]): RuleSyncPlan {
  const keyOf = (r: { value: string; tag?: string }): string => `${r.tag ?? ''}\u0000${r.value}`;
  const wanted = new Map(desired.map((r) => [keyOf(r), r]));
  const keep: StreamRule[] = [];
  const remove: StreamRule[] = [];
  for (const rule of current) {
    if (wanted.has(keyOf(rule))) {
      keep.push(rule);
      wanted.delete(keyOf(rule));
    } else {
      remove.push(rule);
    }
  }
  return { add: [...wanted.values()], remove, keep };
}

async function call<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    const verdict = classifyXError(error, what);
    if ('fatal' in verdict) throw verdict.fatal;
    throw new UnavailableError('x', `X could not ${what}: ${verdict.reason}`, error);
  }
}

function problems(errors: unknown): string | null {
  if (!Array.isArray(errors) || errors.length === 0) return null;
  return errors
    .map((e: { title?: string; value?: string; details?: string[] }) =>
      [e.title, e.value, ...(e.details ?? [])].filter(Boolean).join(' '),
    )
    .join('; ');
}

export async function listRules(client: TwitterApi): Promise<StreamRule[]> {
  const result = await call('list the stream rules', () => client.v2.streamRules());
  return (result.data ?? []).map((r) => ({ id: r.id, value: r.value, ...(r.tag ? { tag: r.tag } : {}) }));
}

export async function addRules(
  client: TwitterApi,
  rules: readonly RuleSpec[],
  { dryRun = false }: { readonly dryRun?: boolean } = {},
): Promise<StreamRule[]> {
  if (rules.length === 0) return [];
  const result = await call('add stream rules', () =>
    client.v2.updateStreamRules({ add: rules.map((r) => ({ ...r })) }, { dry_run: dryRun }),
  );
  const refused = problems((result as { errors?: unknown }).errors);
  if (refused !== null) throw new UnavailableError('x', `X refused some rules: ${refused}`);
  return (result.data ?? []).map((r) => ({ id: r.id, value: r.value, ...(r.tag ? { tag: r.tag } : {}) }));
}

/** Removes rules by id or by tag; returns the rules it removed. */
export async function removeRules(
  client: TwitterApi,
  idsOrTags: readonly string[],
  { dryRun = false }: { readonly dryRun?: boolean } = {},
): Promise<StreamRule[]> {
  const current = await listRules(client);
  const doomed = current.filter(
    (r) => idsOrTags.includes(r.id) || (r.tag !== undefined && idsOrTags.includes(r.tag)),
  );
  if (doomed.length === 0) return [];
  await call('remove stream rules', () =>
    client.v2.updateStreamRules({ delete: { ids: doomed.map((r) => r.id) } }, { dry_run: dryRun }),
  );
  return doomed;
}

/** Applies a plan: deletions first, so a changed rule never matches twice. */
export async function applyRuleSync(client: TwitterApi, plan: RuleSyncPlan): Promise<void> {
  if (plan.remove.length > 0) {
    await call('remove stream rules', () =>
      client.v2.updateStreamRules({ delete: { ids: plan.remove.map((r) => r.id) } }),
    );
  }
  await addRules(client, plan.add);
}
