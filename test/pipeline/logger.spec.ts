import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { describeError, UnavailableError } from '../../lib/errors.js';
import { ENV_KEYS, loadConfig, maskSecrets, secretValues } from '../../pipeline/config.js';
import { createLogger } from '../../pipeline/logger.js';

/** Every secret environment variable set to a marker nobody would type. */
const SECRET_ENV = Object.fromEntries(
  ENV_KEYS.filter((k) => k.secret).map((k) => [k.name, `MARKER-${k.name}-7f3a9c`]),
);

function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

describe('createLogger keeps secrets out of log lines', () => {
  it('covers every secret environment variable', () => {
    expect(Object.keys(SECRET_ENV).sort()).toEqual([
      'CLICKHOUSE_PASSWORD',
      'EXCHANGE_API_KEY',
      'EXCHANGE_SECRET',
      'MASTODON_TOKEN',
      'X_BEARER_TOKEN',
    ]);
  });

  for (const pretty of [false, true]) {
    it(`redacts config slices, headers, error texts and messages (${pretty ? 'pretty' : 'JSON'})`, () => {
      const config = loadConfig({ env: SECRET_ENV });
      const out = capture();
      const logger = createLogger({
        level: 'trace',
        pretty,
        destination: out.stream,
        secrets: secretValues(config),
      });
      logger.info({ config }, 'effective config');
      logger.info({ clickhouse: config.clickhouse, exchange: config.exchange, x: config.x }, 'slices');
      logger
        .child({ module: 'x' })
        .debug({ headers: { Authorization: `Bearer ${config.x.bearerToken}` } }, 'request');
      const url = `http://default:${config.clickhouse.password}@127.0.0.1:8123`;
      logger.warn(
        { err: describeError(new UnavailableError('clickhouse', `cannot reach ${url}`)) },
        'unavailable',
      );
      logger.error(new Error(`exchange said: key ${config.exchange.apiKey} invalid`), 'order failed');
      logger.info(`token was ${config.x.bearerToken}`);
      const text = out.text();
      expect(text.length).toBeGreaterThan(200);
      for (const marker of Object.values(SECRET_ENV)) expect(text).not.toContain(marker);
      expect(text).toContain('[redacted]');
    });
  }

  it('still redacts by key name when no secret values are given', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', destination: out.stream });
    logger.info({ clickhouse: { password: 'pw-123456' }, a: { b: { apiKey: 'k-123456' } } }, 'x');
    expect(out.text()).not.toContain('pw-123456');
    expect(out.text()).not.toContain('k-123456');
  });

  it('finds the secret values of a config and nothing else', () => {
    const config = loadConfig({ env: SECRET_ENV });
    expect(secretValues(config).sort()).toEqual(Object.values(SECRET_ENV).sort());
    expect(JSON.stringify(maskSecrets(config))).not.toContain('MARKER-');
  });
});
