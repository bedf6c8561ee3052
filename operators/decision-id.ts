/**
 * The deterministic id of a decision: a pure 96-bit hash of (strategy, symbol, bucketStart), shaped
 * as an exchange client order id (`sf-` + 24 lowercase hex; matches Binance's
 * `^[.A-Z:/a-z0-9_-]{1,36}$` and fits 32-character limits elsewhere). The same inputs give the
 * same id in live runs, replays and after restarts, so the exchange sink can look an order up
 * before sending it again.
 *
 * Example: decisionId('zscore', 'BTC', 1700000000000) -> 'sf-3f0c…' (27 characters)
 */
export function decisionId(strategy: string, symbol: string, bucketStart: number): string {
  const key = `${strategy}\u0000${symbol}\u0000${bucketStart}`;
  return `sf-${lane(key, 0x9747b28c)}${lane(key, 0x2545f491)}${lane(key, 0x68e31da4)}`;
}

function lane(key: string, seed: number): string {
  let h = seed >>> 0;
  for (let i = 0; i < key.length; i++) {
    h = Math.imul(h ^ key.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 15;
  }
  h ^= key.length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0).toString(16).padStart(8, '0');
}
