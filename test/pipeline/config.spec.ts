import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/errors.js';
import { DEFAULT_SPAM_PATTERNS, DEFAULT_SYMBOL_MAP, DEFAULT_WINDOW_OPTIONS } from '../../operators/index.js';
import { createConfigCommand, withConfigDefaults } from '../../pipeline/commands/config.js';
import {
  ENV_KEYS,
  engineOptionsFrom,
  loadConfig,
  maskSecrets,
  tradingFlagDefaults,
} from '../../pipeline/config.js';

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
        PROCESS_CHECKPOINT_BYTES_PER_S: '250000',
      },
    });
    expect(config.process.checkpointBytesPerSecond).toBe(250_000);
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

describe('engine sections (symbols, filter, scorer, window, strategy)', () => {
  it('default to the operators’ own defaults', () => {
    const config = loadConfig({ env: {} });
    expect(config.symbols).toEqual(DEFAULT_SYMBOL_MAP);
    expect(config.filter.languages).toEqual(['en']);
    expect(config.filter.spamPatterns).toEqual(DEFAULT_SPAM_PATTERNS.map((r) => r.source));
    expect(config.window.maxOutOfOrdernessMs).toBe(DEFAULT_WINDOW_OPTIONS.maxOutOfOrdernessMs);
    expect(config.strategy).toEqual({ name: 'zscore', params: {} });
  });

  it('reads a full file and hands the engine its options', () => {
    const file = writeJson({
      symbols: { BTC: { cashtags: ['BTC'], keywords: ['sats'] }, PEPE: { cashtags: ['PEPE'] } },
      filter: { languages: ['en', 'de'], minFollowers: 10, spamPatterns: ['\\bpump\\b'] },
      scorer: { lexicon: { wagmi: 2.5 }, weight: { maxWeight: 4 } },
      window: { allowedLatenessMs: 0 },
      strategy: { name: 'threshold', params: {} },
    });
    const engine = engineOptionsFrom(loadConfig({ env: {}, file }));
    expect(engine.strategy.name).toBe('threshold');
    expect(engine.filter.symbols).toEqual({
      BTC: { cashtags: ['BTC'], hashtags: [], keywords: ['sats'] },
      PEPE: { cashtags: ['PEPE'], hashtags: [], keywords: [] },
    });
    expect(engine.filter.languages).toEqual(['en', 'de']);
    expect(engine.filter.spamPatterns?.map(String)).toEqual(['/\\bpump\\b/']);
    expect(engine.window.allowedLatenessMs).toBe(0);
    expect(engine.weight.maxWeight).toBe(4);
    expect(engine.scoring.words.get('wagmi')).toBe(2.5);
  });

  it('lets command-line strategy flags override the file', () => {
    const file = writeJson({ strategy: { name: 'zscore', params: { lookback: 12 } } });
    const config = loadConfig({ env: {}, file });
    expect(
      engineOptionsFrom(config, { params: ['threshold=3'] }).strategy.historySize,
    ).toBeGreaterThanOrEqual(12);
    expect(engineOptionsFrom(config, { strategy: 'threshold' }).strategy.name).toBe('threshold');
  });

  it('names the path of a bad nested key and of a wrong type', () => {
    const file = writeJson({
      filter: { minFollowers: 'many', languagez: ['en'] },
      symbols: { BTC: { cashtags: ['two words'] } },
      strategy: { params: { lookbak: 3 } },
    });
    const message = configError(() => loadConfig({ env: {}, file })).message;
    expect(message).toContain('filter.languagez: unknown key');
    expect(message).toContain(`filter.minFollowers in ${file}`);
    expect(message).toContain(`symbols.BTC.cashtags.0 in ${file}`);
  });

  it('checks strategy parameters against the strategy', () => {
    const file = writeJson({ strategy: { name: 'zscore', params: { lookbak: 3 } } });
    const message = configError(() => loadConfig({ env: {}, file })).message;
    expect(message).toContain('strategy.params');
    expect(message).toContain('lookbak');
  });

  it('rejects a spam pattern that is not a regular expression', () => {
    const file = writeJson({ filter: { spamPatterns: ['(unclosed'] } });
    expect(configError(() => loadConfig({ env: {}, file })).message).toContain('filter.spamPatterns.0');
  });
});

describe('trading keys', () => {
  it('reads risk limits, kill switch, quote and exchange options from the environment', () => {
    const config = loadConfig({
      env: {
        TRADING_KILL_SWITCH: 'true',
        TRADING_KILL_SWITCH_FILE: '/run/sentiflow/stop',
        TRADING_MAX_ORDER_NOTIONAL: '250',
        TRADING_MAX_POSITION_NOTIONAL: '500',
        TRADING_MAX_DAILY_LOSS: '50',
        TRADING_QUOTE: 'USDC',
        EXCHANGE_SANDBOX: '1',
        EXCHANGE_TIMEOUT_MS: '2500',
      },
    });
    expect(config.trading).toMatchObject({
      killSwitch: true,
      killSwitchFile: '/run/sentiflow/stop',
      maxOrderNotional: 250,
      maxPositionNotional: 500,
      maxDailyLoss: 50,
      quote: 'USDC',
    });
    expect(config.trading).toMatchObject({ sandbox: true, exchangeTimeoutMs: 2500 });
    expect(tradingFlagDefaults(config)).toMatchObject({
      quote: 'USDC',
      sandbox: true,
      maxOrderNotional: '250',
      killSwitchFile: '/run/sentiflow/stop',
    });
  });

  it('refuses a kill switch value that is neither true nor false', () => {
    expect(configError(() => loadConfig({ env: { TRADING_KILL_SWITCH: 'maybe' } })).message).toContain(
      'TRADING_KILL_SWITCH="maybe"',
    );
  });

  it('lets a command-line flag override the file, and the file override the built-in default', () => {
    const command = new Command('t')
      .option('--quote <c>', 'quote', 'USDT')
      .option('--max-order-notional <n>', 'max', '1000');
    command.parse(['--max-order-notional', '5'], { from: 'user' });
    const merged = withConfigDefaults(command, command.opts(), { quote: 'EUR', maxOrderNotional: '99' });
    expect(merged).toEqual({ quote: 'EUR', maxOrderNotional: '5' });
  });
});

describe('sentiflow config check', () => {
  async function check(args: string[]): Promise<{ out: string; error?: unknown }> {
    const program = new Command('sentiflow').option('--config <file>').addCommand(createConfigCommand());
    let out = '';
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => {
      out += chunk;
      return true;
    }) as typeof process.stdout.write;
    try {
      await program.parseAsync(args, { from: 'user' });
      return { out };
    } catch (error) {
      return { out, error };
    } finally {
      process.stdout.write = write;
    }
  }

  it('prints the effective config with secrets masked', async () => {
    const file = writeJson({ clickhouse: { password: 'hunter2-marker' }, trading: { maxDailyLoss: 75 } });
    const { out, error } = await check(['config', 'check', '--config', file]);
    expect(error).toBeUndefined();
    expect(out).not.toContain('hunter2-marker');
    const printed = JSON.parse(out);
    expect(printed.clickhouse.password).toBe('***');
    expect(printed.trading.maxDailyLoss).toBe(75);
    expect(printed.symbols.BTC.cashtags).toEqual(['BTC']);
  });

  it('takes the global --config too', async () => {
    const file = writeJson({ kafka: { clientId: 'global-flag' } });
    const { out } = await check(['--config', file, 'config', 'check']);
    expect(JSON.parse(out).kafka.clientId).toBe('global-flag');
  });

  it('fails with the path of the bad key and prints nothing', async () => {
    const file = writeJson({ window: { neutralBand: 3 }, trading: { sandbox: 'perhaps' } });
    const { out, error } = await check(['config', 'check', '--config', file]);
    expect(out).toBe('');
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(`window.neutralBand in ${file}`);
    expect((error as Error).message).toContain(`trading.sandbox in ${file}`);
  });
});

describe('config/sentiflow.example.json', () => {
  it('is a valid config whose values are the defaults, apart from the example strategy params and kill-switch file', () => {
    const file = fileURLToPath(new URL('../../config/sentiflow.example.json', import.meta.url));
    const example = loadConfig({ env: {}, file });
    const defaults = loadConfig({ env: {} });
    expect({ ...example, strategy: defaults.strategy, trading: defaults.trading }).toEqual(defaults);
    expect(example.strategy.params).toEqual({ threshold: 2, lookback: 24 });
  });
});
