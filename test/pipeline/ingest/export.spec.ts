import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/errors.js';
import { parseTime, toNdjsonLine } from '../../../pipeline/ingest/export.js';

describe('parseTime', () => {
  it.each([
    ['2026-01-01T00:00:00Z', Date.UTC(2026, 0, 1)],
    ['2026-01-01', Date.UTC(2026, 0, 1)],
    ['1767225600000', 1_767_225_600_000],
  ])('%s', (text, expected) => {
    expect(parseTime(text, '--from')).toBe(expected);
  });

  it('names the flag when the time is not one', () => {
    expect(() => parseTime('yesterday', '--from')).toThrow(ConfigError);
    expect(() => parseTime('yesterday', '--from')).toThrow(/--from/);
  });
});

describe('toNdjsonLine', () => {
  it('keeps a one-line value byte for byte', () => {
    expect(toNdjsonLine(Buffer.from('{"data":{"id":"1","text":"é 🚀"}}'))).toBe(
      '{"data":{"id":"1","text":"é 🚀"}}\n',
    );
  });

  it('re-serialises a value that spans lines so the file stays one envelope per line', () => {
    expect(toNdjsonLine(Buffer.from('{\n  "a": 1\n}'))).toBe('{"a":1}\n');
  });
});
