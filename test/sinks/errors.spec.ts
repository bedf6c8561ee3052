import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  describeError,
  isRetriable,
  RejectedError,
  UnavailableError,
} from '../../lib/errors.js';

describe('errors', () => {
  it('marks dependency outages retriable and refusals final', () => {
    expect(isRetriable(new UnavailableError('kafka', 'down'))).toBe(true);
    expect(isRetriable(new RejectedError('kafka', 'no'))).toBe(false);
    expect(isRetriable(new ConfigError('bad'))).toBe(false);
    expect(isRetriable(new Error('plain'))).toBe(false);
  });

  it('describes an error and its causes in one line without repeats', () => {
    const root = new Error('connect ECONNREFUSED 127.0.0.1:9');
    const outer = new UnavailableError('kafka', 'producing: Kafka unreachable', root);
    expect(describeError(outer)).toBe('producing: Kafka unreachable: connect ECONNREFUSED 127.0.0.1:9');
    expect(
      describeError(new UnavailableError('k', 'x: connect ECONNREFUSED', new Error('connect ECONNREFUSED'))),
    ).toBe('x: connect ECONNREFUSED');
    expect(describeError('text')).toBe('text');
  });

  it('keeps the class name for logs', () => {
    expect(new RejectedError('clickhouse', 'x').name).toBe('RejectedError');
  });
});
