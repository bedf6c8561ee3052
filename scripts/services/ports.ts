import { createServer } from 'node:net';

// Ports are chosen below Linux's default ephemeral range (ip_local_port_range 32768-60999). A port the
// kernel hands out for bind(0) comes from that range, and so does the local port of every outgoing
// connection: in the seconds between choosing a broker's port and the JVM binding it, a client
// connection could take it. Below the range only another listener can, and `reserved` keeps this
// process's concurrent starts (Kafka and ClickHouse come up side by side) off each other's ports.
const low = 20_000;
const high = 32_000;
const reserved = new Set<number>();

function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago and that this process has not handed out before. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 1_000; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (reserved.has(port)) continue;
    reserved.add(port);
    if (await listenable(port)) return port;
  }
  throw new Error(`no free TCP port on 127.0.0.1 between ${low} and ${high}`);
}

/** Distinct free ports (broker and controller, HTTP and native). */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) ports.push(await freePort());
  return ports;
}
