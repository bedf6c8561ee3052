/** OhlcvSource over a ccxt client: fetchOHLCV with ccxt's rate limiter on, reads retried on transient errors. */
import type { Exchange as CcxtExchange } from 'ccxt';
import { mapCcxtError } from '../exchange/ccxt-errors.js';
import { DEFAULT_READ_RETRY, type ReadRetryOptions, retryRead } from '../exchange/retry.js';
import type { Candle } from './candle.js';
import type { OhlcvSource } from './sync-candles.js';

export function createCcxtOhlcvSource(
  client: CcxtExchange,
  {
    retry = DEFAULT_READ_RETRY,
    secrets = [],
  }: { retry?: ReadRetryOptions; secrets?: readonly (string | null | undefined)[] } = {},
): OhlcvSource {
  const service = `exchange ${client.id}`;
  return {
    async fetchPage(symbol, timeframe, since, limit) {
      const rows = await retryRead(async () => {
        try {
          await client.loadMarkets();
          return await client.fetchOHLCV(symbol, timeframe, since, limit);
        } catch (error) {
          throw mapCcxtError(error, service, 'fetchOHLCV', secrets);
        }
      }, retry);
      const candles: Candle[] = [];
      for (const [openTime, open, high, low, close, volume] of rows) {
        if ([openTime, open, high, low, close].some((v) => typeof v !== 'number')) continue;
        candles.push({
          openTime: openTime as number,
          open: open as number,
          high: high as number,
          low: low as number,
          close: close as number,
          volume: (volume as number | undefined) ?? 0,
        });
      }
      return candles;
    },
  };
}
