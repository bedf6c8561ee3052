import { describe, expect, it } from 'vitest';
import { createSseParser } from '../../../pipeline/sources/sse.js';

describe('createSseParser', () => {
  const stream =
    'event: update\ndata: {"id":"1"}\n\n:thump\n\nevent: delete\r\ndata: 2\r\n\r\ndata: a\ndata: b\n\n';
  const expected = [
    { event: 'update', data: '{"id":"1"}' },
    { event: 'delete', data: '2' },
    { event: 'message', data: 'a\nb' },
  ];

  it('parses events, comments and multi-line data', () => {
    expect(createSseParser().push(stream)).toEqual(expected);
  });

  it('gives the same events however the text is chunked', () => {
    for (let size = 1; size <= 7; size++) {
      const parser = createSseParser();
      const events = [];
      for (let i = 0; i < stream.length; i += size) events.push(...parser.push(stream.slice(i, i + size)));
      expect(events).toEqual(expected);
    }
  });

  it('never dispatches an event cut off before its blank line', () => {
    const parser = createSseParser();
    expect(parser.push('event: update\ndata: {"id":')).toEqual([]);
    expect(parser.pending).toBeGreaterThan(0);
  });
});
