import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../../sinks/errors.js';
import {
  decodeApiVersionsResponse,
  describeKafkaRelease,
  encodeApiVersionsRequest,
  fetchApiVersions,
} from '../../../sinks/kafka/api-versions.js';

function responseFrame(ranges: [number, number, number][]): Buffer {
  const body = Buffer.alloc(4 + 2 + 4 + ranges.length * 6);
  body.writeInt32BE(1, 0);
  body.writeInt16BE(0, 4);
  body.writeInt32BE(ranges.length, 6);
  ranges.forEach(([k, min, max], i) => {
    body.writeInt16BE(k, 10 + i * 6);
    body.writeInt16BE(min, 12 + i * 6);
    body.writeInt16BE(max, 14 + i * 6);
  });
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

let server: Server | undefined;
afterEach(() => server?.close());

describe('ApiVersions probe', () => {
  it('encodes a v0 request with the client id', () => {
    const frame = encodeApiVersionsRequest(7, 'abc');
    expect(frame.readInt32BE(0)).toBe(frame.length - 4);
    expect(frame.readInt16BE(4)).toBe(18);
    expect(frame.readInt32BE(8)).toBe(7);
    expect(frame.subarray(14).toString()).toBe('abc');
  });

  it('tells Kafka 4 (no Produce below v3) from older brokers', () => {
    const modern = decodeApiVersionsResponse(
      responseFrame([
        [0, 3, 12],
        [1, 4, 17],
      ]).subarray(4),
    );
    expect(describeKafkaRelease(modern)).toBe('Kafka 4.x (Produce v3-v12, Fetch v4-v17)');
    const old = decodeApiVersionsResponse(responseFrame([[0, 0, 9]]).subarray(4));
    expect(describeKafkaRelease(old)).toContain('before 4.0');
  });

  it('reads the ranges from a broker over TCP', async () => {
    server = createServer((socket) => socket.once('data', () => socket.end(responseFrame([[0, 3, 12]]))));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const ranges = await fetchApiVersions(`127.0.0.1:${address.port}`);
    expect(ranges).toEqual([{ apiKey: 0, min: 3, max: 12 }]);
  });

  it('fails with an UnavailableError naming the broker when nothing listens', async () => {
    server = createServer();
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    server.close();
    const error = await fetchApiVersions(`127.0.0.1:${address.port}`, 1_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(String((error as Error).message)).toContain(`127.0.0.1:${address.port}`);
  });
});
