import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_KEYS, loadConfig, maskSecrets } from '../../pipeline/config.js';
import { ConfigError } from '../../sinks/errors.js';

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

function writeJson(value: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sentiflow-config-')), 'config.json');
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

describe('loadConfig', () => {
  it('gives working defaults for an empty environment', () => {
    const config = loadConfig({ env: {} });
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.topics.tweetsRaw).toBe('tweets.raw');
    expect(config.clickhouse.database).toBe('sentiflow');
    expect(config.x.bearerToken).toBeUndefined();
  });

  it('reads every documented variable from the environment', () => {
    const config = loadConfig({
      env: {
        KAFKA_BROKERS: 'a:1, b:2',
        TOPIC_PARTITIONS: '6',
        CLICKHOUSE_URL: 'http://ch:8123',
        CLICKHOUSE_PASSWORD: 's3cret',
        LOG_LEVEL: 'debug',
      },
    });
    expect(config.kafka.brokers).toEqual(['a:1', 'b:2']);
    expect(config.topics.partitions).toBe(6);
    expect(config.clickhouse.url).toBe('http://ch:8123');
    expect(config.clickhouse.password).toBe('s3cret');
    expect(config.log.level).toBe('debug');
  });

  it('names the bad environment key and its value in one line', () => {
    const error = configError(() => loadConfig({ env: { KAFKA_BROKERS: 'nohostport' } }));
    expect(error.message).toContain('KAFKA_BROKERS="nohostport"');
    expect(error.message).not.toContain('\n');
  });

  it('reports every bad key at once', () => {
    const error = configError(() =>
      loadConfig({ env: { TOPIC_PARTITIONS: 'zero', CLICKHOUSE_URL: 'ftp://x' } }),
    );
    expect(error.message).toContain('TOPIC_PARTITIONS');
    expect(error.message).toContain('CLICKHOUSE_URL');
  });

  it('never echoes a secret value in an error', () => {
    const error = configError(() =>
      loadConfig({
        env: { EXCHANGE_API_URL: 'not a url', X_BEARER_TOKEN: '' },
        file: writeJson({ x: { bearerToken: 5 } }),
      }),
    );
    expect(error.message).toContain('x.bearerToken');
    expect(error.message).not.toContain('987654321');
    expect(error.message.match(/EXCHANGE_API_URL/g)).toHaveLength(1);
  });

  it('merges a JSON file under the environment', () => {
    const file = writeJson({ kafka: { clientId: 'from-file', brokers: 'f:1' }, topics: { partitions: 2 } });
    const config = loadConfig({ env: { KAFKA_BROKERS: 'e:1' }, file });
    expect(config.kafka.clientId).toBe('from-file');
    expect(config.kafka.brokers).toEqual(['e:1']);
    expect(config.topics.partitions).toBe(2);
  });

  it('rejects unknown keys in the file with their path', () => {
    const error = configError(() => loadConfig({ env: {}, file: writeJson({ kafka: { brokerz: 'x:1' } }) }));
    expect(error.message).toContain('kafka.brokerz: unknown key');
  });

  it('says which file is unreadable or not JSON', () => {
    expect(configError(() => loadConfig({ env: {}, file: '/nonexistent/sentiflow.json' })).message).toContain(
      '/nonexistent/sentiflow.json',
    );
    expect(configError(() => loadConfig({ env: {}, file: writeJson('{ nope') })).message).toContain(
      'not valid JSON',
    );
  });

  it('reads SENTIFLOW_CONFIG when no file is given', () => {
    const file = writeJson({ kafka: { clientId: 'via-env' } });
    expect(loadConfig({ env: { SENTIFLOW_CONFIG: file } }).kafka.clientId).toBe('via-env');
  });
});

describe('maskSecrets', () => {
  it('masks every secret and nothing else', () => {
    const config = loadConfig({
      env: {
        CLICKHOUSE_PASSWORD: 'pw',
        X_BEARER_TOKEN: 'tok',
        EXCHANGE_API_KEY: 'key',
        EXCHANGE_SECRET: 'sec',
      },
    });
    const text = JSON.stringify(maskSecrets(config));
    for (const secret of ['"pw"', '"tok"', '"key"', '"sec"']) expect(text).not.toContain(secret);
    expect(text).toContain('"clientId":"sentiflow"');
  });

  it('lists each environment key once', () => {
    const names = ENV_KEYS.map((k) => k.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
