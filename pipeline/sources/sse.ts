/**
 * Server-sent events (the text/event-stream format, as the WHATWG spec defines it) parsed
 * incrementally: feed decoded text in any chunking, get whole events back. Lines end in \n, \r\n or
 * \r; `event:` names the event, `data:` lines are joined with \n, a blank line dispatches, lines
 * starting with ':' are comments (Mastodon's `:thump` heartbeat), `id:` and `retry:` are ignored.
 * An event cut off by a dropped connection is never dispatched. Pure; bounded by `maxEventChars`.
 */

export interface SseEvent {
  readonly event: string;
  readonly data: string;
}

export interface SseParser {
  /** Parses a chunk; returns the events it completed. */
  push(chunk: string): SseEvent[];
  /** Characters of the event being read (for size limits). */
  readonly pending: number;
}

export function createSseParser(): SseParser {
  let carry = '';
  let event = '';
  let data: string[] = [];
  let dataChars = 0;
  let skipLf = false;
  return {
    get pending() {
      return dataChars + carry.length;
    },
    push(chunk) {
      const out: SseEvent[] = [];
      let text = carry + chunk;
      if (skipLf && text.startsWith('\n')) text = text.slice(1);
      skipLf = false;
      let start = 0;
      for (;;) {
        const lf = text.indexOf('\n', start);
        const cr = text.indexOf('\r', start);
        const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
        if (end === -1) break;
        const line = text.slice(start, end);
        if (text[end] === '\r') {
          if (end + 1 === text.length) skipLf = true;
          else if (text[end + 1] === '\n') start = end + 2;
          else start = end + 1;
          if (end + 1 === text.length) start = end + 1;
        } else start = end + 1;
        if (line === '') {
          if (data.length > 0) out.push({ event: event === '' ? 'message' : event, data: data.join('\n') });
          event = '';
          data = [];
          dataChars = 0;
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        let value = colon === -1 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') event = value;
        else if (field === 'data') {
          data.push(value);
          dataChars += value.length;
        }
      }
      carry = text.slice(start);
      return out;
    },
  };
}
