/** Tests pipeline/trade/decision-codec.ts (signals messages -> Decision); it belongs in test/pipeline/trade/. */
import { describe, expect, it } from 'vitest';
import { decodeDecision } from '../../../pipeline/trade/decision-codec.js';
import { decision } from '../../fixtures/exchange/decisions.js';

describe('decodeDecision', () => {
  it('reads a decision as the process stage writes it', () => {
    expect(decodeDecision(Buffer.from(JSON.stringify(decision())))).toEqual(decision());
  });

  it('keeps a decision whose inputs held NaN (null in JSON), dropping that input', () => {
    const text = JSON.stringify({ ...decision(), inputs: { z: Number.NaN, mean: 0.2 } });
    expect(decodeDecision(text)).toMatchObject({ id: decision().id, inputs: { mean: 0.2 } });
  });

  it('accepts a pair as the symbol', () => {
    expect(decodeDecision(JSON.stringify(decision({ symbol: 'ETH/BTC' })))).toMatchObject({
      symbol: 'ETH/BTC',
    });
  });

  it.each([
    [null, 'empty message'],
    ['{nope', 'not JSON'],
    [JSON.stringify({ ...decision(), action: 'YOLO' }), /^not a decision: action /],
    [JSON.stringify({ ...decision(), size: 2 }), /^not a decision: size /],
    [JSON.stringify({ ...decision(), symbol: 'btc' }), /^not a decision: symbol expected an asset like BTC/],
    [JSON.stringify({ kind: 'bucket' }), /^not a decision: kind /],
  ])('explains why %j is not a decision', (value, reason) => {
    const result = decodeDecision(value);
    expect(typeof result).toBe('string');
    expect(result).toMatch(reason);
  });
});
