/**
 * Decisions name assets ('BTC', as the symbol map of operators/ does); venues trade pairs. The sink
 * trades each asset against one quote currency: 'BTC' -> 'BTC/USDT'. A symbol that already is a
 * pair ('ETH/BTC') is used as it is.
 */
export function marketSymbolOf(symbol: string, quote: string): string {
  return symbol.includes('/') ? symbol : `${symbol}/${quote}`;
}
