/**
 * The ccxt adapters, imported on first use. ccxt alone takes about 1.1 s to import (Node 26, on this
 * project's machines), and every sentiflow command paid that at start-up, whether it used ccxt or not:
 * `process --no-trade`, `backtest`, even `--version`. Only live trading, paper trading on ticker
 * prices and `prices sync` need it; they load it here. test/pipeline/startup.spec.ts keeps every
 * other path from importing it.
 */
export async function loadCcxtAdapters() {
  const [client, exchange, ticker, ohlcv] = await Promise.all([
    import('./ccxt-client.js'),
    import('./ccxt-exchange.js'),
    import('./ticker-price-source.js'),
    import('../prices/ccxt-ohlcv.js'),
  ]);
  return {
    createCcxtClient: client.createCcxtClient,
    createCcxtExchange: exchange.createCcxtExchange,
    createTickerPriceSource: ticker.createTickerPriceSource,
    createCcxtOhlcvSource: ohlcv.createCcxtOhlcvSource,
  };
}
