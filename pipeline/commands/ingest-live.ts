/**
 * What `ingest --source bluesky | mastodon:<instance>` needs before it starts: the stored position
 * from the ingest state topic (as x-search gets its since_id back), the rules file watched for changes,
 * and the per-source counts. An unreadable stored position is refused in one line (delete the key from
 * the state topic, or start with another --state-topic, to begin afresh).
 */
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { ConfigError } from '../../lib/errors.js';
import type { Config } from '../config.js';
import { loadState } from '../ingest/read-topic.js';
import type { SourceCounts } from '../ingest/source-counts.js';
import { BLUESKY_STATE_KEY, parseCursorState } from '../sources/jetstream-cursor.js';
import type { MastodonStream } from '../sources/mastodon-catchup.js';
import { mastodonStateKey, parseMastodonState } from '../sources/mastodon-stream.js';
import { ruleHashtags } from '../sources/rule-match.js';
import { type LiveRules, watchRules } from '../sources/rules-file.js';
import type { SourceContext, SourceSpec } from '../sources/select-source.js';

export interface LiveContext {
  readonly context: Pick<SourceContext, 'bluesky' | 'mastodon'>;
  readonly rules: LiveRules;
}

function stored<T>(
  state: Map<string, string>,
  key: string,
  parse: (text: string) => T,
  topic: string,
): T | null {
  const text = state.get(key);
  if (text === undefined) return null;
  try {
    return parse(text);
  } catch (error) {
    throw new ConfigError(
      `the stored position "${key}" in ${topic} is unreadable (${(error as Error).message})`,
      error,
    );
  }
}

export async function liveContext(
  spec: Extract<SourceSpec, { kind: 'bluesky' | 'mastodon' }>,
  {
    kafka,
    config,
    stateTopic,
    rulesFile,
    logger,
    counts,
  }: {
    kafka: Kafka;
    config: Config;
    stateTopic: string;
    rulesFile: string | undefined;
    logger: Logger;
    counts: SourceCounts;
  },
): Promise<LiveContext> {
  const state = await loadState(kafka, { topic: stateTopic, brokers: config.kafka.brokers });
  if (spec.kind === 'bluesky') {
    const b = config.bluesky;
    const rules = watchRules(rulesFile ?? b.rulesFile, { logger, intervalMs: b.rulesPollMs });
    const cursor = stored(state, BLUESKY_STATE_KEY, parseCursorState, stateTopic);
    logger.info({ cursor: cursor?.cursor ?? null, marginMs: b.cursorMarginMs }, 'bluesky: resuming');
    return {
      rules,
      context: {
        bluesky: {
          hosts: b.hosts,
          rules,
          state: cursor,
          cursorMarginMs: b.cursorMarginMs,
          stallTimeoutMs: b.stallTimeoutMs,
          maxMessageBytes: b.maxMessageBytes,
          onCount: counts.onCount,
        },
      },
    };
  }
  const m = config.mastodon;
  const rules = watchRules(rulesFile ?? m.rulesFile, { logger, intervalMs: m.rulesPollMs });
  const tags = m.tags.length > 0 ? m.tags.map((t) => t.toLowerCase()) : ruleHashtags(rules.get().rules);
  if (m.stream === 'hashtag' && tags.length === 0) {
    throw new ConfigError(
      'mastodon: no hashtags to stream: set MASTODON_TAGS or use rules with $cashtags or #hashtags',
    );
  }
  const streams: MastodonStream[] =
    m.stream === 'local' ? [{ kind: 'local' }] : tags.map((tag) => ({ kind: 'hashtag', tag }));
  const since = stored(state, mastodonStateKey(spec.baseUrl), parseMastodonState, stateTopic) ?? {};
  logger.info(
    { instance: spec.baseUrl, streams: streams.length, token: m.token !== undefined },
    'mastodon: streams',
  );
  return {
    rules,
    context: {
      mastodon: {
        token: m.token,
        streams,
        rules,
        since,
        stallTimeoutMs: m.stallTimeoutMs,
        maxMessageBytes: m.maxMessageBytes,
        onCount: counts.onCount,
      },
    },
  };
}
