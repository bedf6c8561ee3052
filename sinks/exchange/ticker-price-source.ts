/** Paper prices from a venue's public ticker (no keys needed): the last trade price, now. */
import type { Exchange as CcxtExchange } from 'ccxt';
import { mapCcxtError } from './ccxt-errors.js';
import type { PriceSource } from './types.js';

export function createTickerPriceSource(client: CcxtExchange): PriceSource {
  return {
    async priceAt(symbol) {
      try {
        await client.loadMarkets();
        if (!client.markets?.[symbol]) return null;
        const ticker = await client.fetchTicker(symbol);
        return ticker.last ?? ticker.close ?? null;
      } catch (error) {
        throw mapCcxtError(error, `exchange ${client.id}`, 'fetchTicker', []);
      }
    },
  };
}
