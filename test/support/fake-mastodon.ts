/**
 * A local Mastodon instance on 127.0.0.1 speaking the two APIs the source uses, over plain HTTP:
 * - streaming (SSE): GET /api/v1/streaming/hashtag?tag=<tag> and /api/v1/streaming/public/local, a
 *   `:)` comment on connect, `event: update` + Status JSON, `event: delete` + id; each connection
 *   follows the next scripted behaviour (serve; drop in the middle of an event after `afterEvents`
 *   whole ones; stall; an HTTP status);
 * - REST: GET /api/v1/timelines/tag/<tag> and /api/v1/timelines/public?local=true with since_id,
 *   max_id and limit, newest first, as Mastodon pages them.
 * With `token` set, every request needs `Authorization: Bearer <token>` (401 otherwise).
 */
import { createServer, type ServerResponse } from 'node:http';

export type MastodonBehaviour =
  | { readonly type: 'serve' }
  | { readonly type: 'drop-mid-event'; readonly afterEvents: number }
  | { readonly type: 'stall' }
  | { readonly type: 'status'; readonly status: number };

export interface FakeStatus {
  readonly id: string;
  readonly uri: string;
  readonly created_at: string;
  readonly content: string;
  readonly tags: readonly { readonly name: string; readonly url: string }[];
  readonly language: string;
  readonly [more: string]: unknown;
}

interface Open {
  readonly res: ServerResponse;
  readonly stream: string;
  readonly behaviour: MastodonBehaviour;
  sent: number;
}

export interface FakeMastodon {
  readonly url: string;
  readonly streamConnections: {
    readonly stream: string;
    readonly behaviour: string;
    readonly auth: string | null;
  }[];
  readonly timelineRequests: URLSearchParams[];
  readonly openStreams: number;
  /** Posts a status: on the timelines, and to the open streams it belongs to. */
  publish(status: FakeStatus): void;
  /** Sends a raw SSE event to every open stream (malformed data, deletes, ...). */
  send(event: string, data: string): void;
  script(...behaviours: MastodonBehaviour[]): void;
  until(predicate: (server: FakeMastodon) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export function fakeStatus(n: number, text: string, tags: readonly string[] = []): FakeStatus {
  const id = String(113_000_000_000_000_000n + BigInt(n));
  return {
    id,
    uri: `https://fake.social/users/trader${n % 5}/statuses/${id}`,
    created_at: new Date(Date.UTC(2026, 4, 1, 10, 0, n)).toISOString(),
    content: `<p>${text} ${tags.map((t) => `<a href="https://fake.social/tags/${t}" class="mention hashtag">#<span>${t}</span></a>`).join(' ')}</p>`,
    tags: tags.map((t) => ({ name: t, url: `https://fake.social/tags/${t}` })),
    language: 'en',
    in_reply_to_id: null,
    reblog: null,
    account: { id: String(n % 5), username: `trader${n % 5}`, followers_count: 10 * n },
  };
}

const newer = (a: string, b: string): boolean => (a.length !== b.length ? a.length > b.length : a > b);

export async function startFakeMastodon({ token }: { token?: string } = {}): Promise<FakeMastodon> {
  const statuses: FakeStatus[] = [];
  const open = new Set<Open>();
  const scripted: MastodonBehaviour[] = [];
  const streamConnections: FakeMastodon['streamConnections'] = [];
  const timelineRequests: URLSearchParams[] = [];
  const belongs = (s: FakeStatus, stream: string): boolean =>
    stream === 'local' || s.tags.some((t) => t.name.toLowerCase() === stream);

  const write = (conn: Open, event: string, data: string): void => {
    if (conn.behaviour.type === 'stall') return;
    const text = `event: ${event}\ndata: ${data}\n\n`;
    if (conn.behaviour.type === 'drop-mid-event' && conn.sent >= conn.behaviour.afterEvents) {
      conn.res.write(text.slice(0, text.length >> 1));
      conn.res.socket?.destroy();
      open.delete(conn);
      return;
    }
    conn.sent += 1;
    conn.res.write(text);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const auth = req.headers.authorization ?? null;
    if (token !== undefined && auth !== `Bearer ${token}`) {
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"error":"The access token is invalid"}');
      return;
    }
    const streamOf = (): string | null => {
      if (url.pathname === '/api/v1/streaming/public/local') return 'local';
      if (url.pathname === '/api/v1/streaming/hashtag')
        return (url.searchParams.get('tag') ?? '').toLowerCase();
      return null;
    };
    const stream = streamOf();
    if (stream !== null) {
      const behaviour = scripted.shift() ?? { type: 'serve' };
      streamConnections.push({ stream, behaviour: behaviour.type, auth });
      if (behaviour.type === 'status') {
        res.writeHead(behaviour.status).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write(':)\n');
      const conn: Open = { res, stream, behaviour, sent: 0 };
      open.add(conn);
      res.on('close', () => open.delete(conn));
      return;
    }
    const tag = /^\/api\/v1\/timelines\/tag\/([^/]+)$/.exec(url.pathname)?.[1];
    const local = url.pathname === '/api/v1/timelines/public' && url.searchParams.get('local') === 'true';
    if (tag === undefined && !local) {
      res.writeHead(404).end();
      return;
    }
    timelineRequests.push(url.searchParams);
    const since = url.searchParams.get('since_id');
    const max = url.searchParams.get('max_id');
    const limit = Number(url.searchParams.get('limit') ?? 20);
    const page = statuses
      .filter((s) => belongs(s, local ? 'local' : decodeURIComponent(tag!).toLowerCase()))
      .filter((s) => (since === null || newer(s.id, since)) && (max === null || newer(max, s.id)))
      .sort((a, b) => (newer(a.id, b.id) ? -1 : 1))
      .slice(0, limit);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(page));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');

  const fake: FakeMastodon = {
    url: `http://127.0.0.1:${address.port}`,
    streamConnections,
    timelineRequests,
    get openStreams() {
      return open.size;
    },
    publish(status) {
      statuses.push(status);
      for (const conn of [...open])
        if (belongs(status, conn.stream)) write(conn, 'update', JSON.stringify(status));
    },
    send(event, data) {
      for (const conn of [...open]) write(conn, event, data);
    },
    script(...behaviours) {
      scripted.push(...behaviours);
    },
    async until(predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(fake)) {
        if (Date.now() > deadline) throw new Error('fake mastodon: condition not met in time');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async close() {
      for (const conn of open) conn.res.socket?.destroy();
      open.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
