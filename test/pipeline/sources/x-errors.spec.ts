import { describe, expect, it } from 'vitest';
import { RejectedError } from '../../../lib/errors.js';
import { classifyXHttpFailure } from '../../../pipeline/sources/x-errors.js';

const tooManyConnections = {
  title: 'ConnectionException',
  detail: 'This stream is currently at the maximum allowed connection limit.',
  connection_issue: 'TooManyConnections',
};

describe('classifyXHttpFailure', () => {
  it.each([
    [401, {}, /401 Unauthorized\): check X_BEARER_TOKEN, and the machine clock/],
    [403, { detail: 'client-not-enrolled' }, /403 Forbidden\) \(client-not-enrolled\): the app lacks access/],
    [400, { detail: 'bad expansion' }, /\(400\) \(bad expansion\)/],
    [404, {}, /\(404\)/],
    [429, tooManyConnections, /too many connections/],
  ])('HTTP %i ends with one clear RejectedError', (status, body, message) => {
    const verdict = classifyXHttpFailure({ status, body, headers: {} }, 'the filtered stream');
    expect('fatal' in verdict && verdict.fatal).toBeInstanceOf(RejectedError);
    expect('fatal' in verdict && verdict.fatal.message).toMatch(message);
  });

  it.each([
    [429, { 'x-rate-limit-reset': '1767225642' }, { kind: 'rate-limit', resetAtMs: 1_767_225_642_000 }],
    [429, {}, { kind: 'rate-limit', resetAtMs: null }],
    [420, {}, { kind: 'rate-limit', resetAtMs: null }],
    [500, {}, { kind: 'http' }],
    [503, {}, { kind: 'http' }],
  ])('HTTP %i with headers %j is retried as %j', (status, headers, failure) => {
    const verdict = classifyXHttpFailure({ status, body: {}, headers }, 'the filtered stream');
    expect('retry' in verdict && verdict.retry).toEqual(failure);
  });
});
