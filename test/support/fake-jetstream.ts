/**
 * A local Jetstream host on 127.0.0.1 speaking its wire format: a WebSocket at /subscribe whose text
 * frames are JSON events ({did, time_us, kind, commit | identity | account}), honouring
 * `wantedCollections` and `cursor` as Jetstream does: with a cursor, every logged event with
 * time_us >= cursor is replayed first, then live ones follow; without, only live ones.
 * Each connection follows the next scripted behaviour: serve, drop in the middle of a frame (after
 * `afterMessages` whole ones: half a frame written to the raw socket, then the socket destroyed),
 * stall (open, then silence), or refuse the upgrade with an HTTP status.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';

export type JetstreamBehaviour =
  | { readonly type: 'serve' }
  | { readonly type: 'drop-mid-message'; readonly afterMessages: number }
  | { readonly type: 'stall' }
  | { readonly type: 'status'; readonly status: number };

export interface JetstreamConnection {
  readonly cursor: string | null;
  readonly wantedCollections: readonly string[];
  readonly behaviour: JetstreamBehaviour['type'];
}

interface Logged {
  readonly timeUs: number;
  readonly text: string;
  readonly collection: string | null;
}

interface Open {
  readonly ws: WebSocket;
  readonly raw: Duplex;
  readonly wanted: readonly string[];
  readonly behaviour: JetstreamBehaviour;
  sent: number;
}

export interface FakeJetstream {
  /** ws://127.0.0.1:<port> */
  readonly url: string;
  readonly connections: JetstreamConnection[];
  readonly openSockets: number;
  /** Logs an event and sends it to open connections; a string is sent as is (time_us: `timeUs`). */
  publish(event: object | string, timeUs?: number): void;
  script(...behaviours: JetstreamBehaviour[]): void;
  until(predicate: (server: FakeJetstream) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A post-create commit event as Jetstream sends it. */
export function postEvent(
  n: number,
  text: string,
  {
    timeUs = 1_760_000_000_000_000 + n * 1000,
    did = `did:plc:author${n % 7}`,
    createdAt,
  }: {
    timeUs?: number;
    did?: string;
    createdAt?: string;
  } = {},
): Record<string, unknown> {
  return {
    did,
    time_us: timeUs,
    kind: 'commit',
    commit: {
      rev: `3l${n}`,
      operation: 'create',
      collection: 'app.bsky.feed.post',
      rkey: `3lpost${String(n).padStart(6, '0')}`,
      record: {
        $type: 'app.bsky.feed.post',
        createdAt: createdAt ?? new Date(Math.floor(timeUs / 1000)).toISOString(),
        langs: ['en'],
        text,
      },
      cid: `bafyrei${n}`,
    },
  };
}

function frameHeader(length: number): Buffer {
  if (length < 126) return Buffer.from([0x81, length]);
  if (length < 65536) return Buffer.from([0x81, 126, length >> 8, length & 0xff]);
  const header = Buffer.alloc(10);
  header[0] = 0x81;
  header[1] = 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return header;
}

export async function startFakeJetstream(): Promise<FakeJetstream> {
  const log: Logged[] = [];
  const open = new Set<Open>();
  const scripted: JetstreamBehaviour[] = [];
  const connections: JetstreamConnection[] = [];
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const http: Server = createServer((_req, res) => res.writeHead(404).end());

  const send = (conn: Open, entry: Logged): void => {
    if (entry.collection !== null && conn.wanted.length > 0 && !conn.wanted.includes(entry.collection))
      return;
    if (conn.behaviour.type === 'stall') return;
    if (conn.behaviour.type === 'drop-mid-message' && conn.sent >= conn.behaviour.afterMessages) {
      const payload = Buffer.from(entry.text);
      conn.raw.write(Buffer.concat([frameHeader(payload.length), payload.subarray(0, payload.length >> 1)]));
      conn.raw.destroy();
      open.delete(conn);
      return;
    }
    conn.sent += 1;
    conn.ws.send(entry.text);
  };

  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const behaviour = scripted.shift() ?? { type: 'serve' };
    const wanted = url.searchParams.getAll('wantedCollections');
    connections.push({
      cursor: url.searchParams.get('cursor'),
      wantedCollections: wanted,
      behaviour: behaviour.type,
    });
    if (url.pathname !== '/subscribe' || behaviour.type === 'status') {
      const status = behaviour.type === 'status' ? behaviour.status : 404;
      socket.end(`HTTP/1.1 ${status} Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const conn: Open = { ws, raw: socket, wanted, behaviour, sent: 0 };
      open.add(conn);
      ws.on('close', () => open.delete(conn));
      ws.on('error', () => open.delete(conn));
      const cursor = url.searchParams.get('cursor');
      if (cursor !== null) {
        for (const entry of log) if (entry.timeUs >= Number(cursor) && open.has(conn)) send(conn, entry);
      }
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  if (address === null || typeof address === 'string') throw new Error('no address');

  const server: FakeJetstream = {
    url: `ws://127.0.0.1:${address.port}`,
    connections,
    get openSockets() {
      return open.size;
    },
    publish(event, timeUs) {
      const text = typeof event === 'string' ? event : JSON.stringify(event);
      const parsed =
        typeof event === 'string' ? null : (event as { time_us?: number; commit?: { collection?: string } });
      const entry: Logged = {
        timeUs: timeUs ?? parsed?.time_us ?? (log.at(-1)?.timeUs ?? 0) + 1,
        text,
        collection: parsed?.commit?.collection ?? null,
      };
      log.push(entry);
      for (const conn of [...open]) send(conn, entry);
    },
    script(...behaviours) {
      scripted.push(...behaviours);
    },
    async until(predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(server)) {
        if (Date.now() > deadline) throw new Error('fake jetstream: condition not met in time');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async close() {
      for (const conn of open) conn.raw.destroy();
      open.clear();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  return server;
}
