import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/errors.js';
import { createCcxtClient, rebaseUrls } from '../../../sinks/exchange/ccxt-client.js';
import { scrub } from '../../../sinks/exchange/ccxt-errors.js';

describe('ccxt client factory', () => {
  it('points every REST entry at EXCHANGE_API_URL and keeps each path', () => {
    const client = createCcxtClient({ exchangeId: 'binance', apiUrl: 'http://127.0.0.1:9999' });
    const api = client.urls.api as unknown as Record<string, string>;
    expect(api.public).toBe('http://127.0.0.1:9999/api/v3');
    expect(api.private).toBe('http://127.0.0.1:9999/api/v3');
    expect(api.sapi).toBe('http://127.0.0.1:9999/sapi/v1');
    expect(Object.values(api).every((u) => u.startsWith('http://127.0.0.1:9999/'))).toBe(true);
  });

  it('keeps a path prefix of the override and handles nested entries', () => {
    expect(
      rebaseUrls(
        { rest: { public: 'https://api.x.com/v2' }, www: 'https://x.com' },
        'http://127.0.0.1:1/proxy/',
      ),
    ).toEqual({
      rest: { public: 'http://127.0.0.1:1/proxy/v2' },
      www: 'http://127.0.0.1:1/proxy',
    });
  });

  it('switches to the sandbox where the exchange has one, and says so when it has none', () => {
    const sandboxed = createCcxtClient({ exchangeId: 'binance', sandbox: true });
    expect((sandboxed.urls.api as unknown as Record<string, string>).public).toBe(
      'https://testnet.binance.vision/api/v3',
    );
    expect(() => createCcxtClient({ exchangeId: 'bitstamp', sandbox: true })).toThrow(ConfigError);
  });

  it('rejects an unknown exchange id and a bad URL with a ConfigError', () => {
    expect(() => createCcxtClient({ exchangeId: 'nope' })).toThrow(
      "EXCHANGE_ID 'nope' is not a ccxt exchange id",
    );
    expect(() => createCcxtClient({ exchangeId: 'binance', apiUrl: 'not a url' })).toThrow(ConfigError);
  });

  it('disables the private currency and margin calls Binance would make at loadMarkets', () => {
    const client = createCcxtClient({ exchangeId: 'binance', apiKey: 'k', secret: 's' });
    expect(client.options).toMatchObject({
      fetchCurrencies: false,
      fetchMargins: false,
      fetchMarkets: { types: ['spot'] },
    });
  });

  it('scrubs query strings, secrets and signatures from vendor messages', () => {
    const message = scrub(
      'binance GET http://h/api/v3/order?symbol=BTCUSDT&timestamp=1&signature=abcdef0123456789abcdef timed out; key KEY-123456',
      ['KEY-123456'],
    );
    expect(message).toBe('binance GET http://h/api/v3/order?… timed out; key ***');
  });
});
