/**
 * Asks a broker which protocol versions it speaks (ApiVersions v0 over a raw socket: kafkajs does not
 * expose it). The Kafka wire protocol carries no release number, so `describeKafkaRelease` infers the
 * release line from the ranges: Kafka 4.0 dropped Produce v0-v2 (KIP-896).
 */
import { Socket } from 'node:net';
import { UnavailableError } from '../errors.js';

export interface ApiRange {
  readonly apiKey: number;
  readonly min: number;
  readonly max: number;
}

const API_VERSIONS_KEY = 18;
export const API_NAMES: Readonly<Record<number, string>> = {
  0: 'Produce',
  1: 'Fetch',
  3: 'Metadata',
  8: 'OffsetCommit',
};

export function encodeApiVersionsRequest(correlationId: number, clientId: string): Buffer {
  const id = Buffer.from(clientId, 'utf8');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + id.length);
  body.writeInt16BE(API_VERSIONS_KEY, 0);
  body.writeInt16BE(0, 2);
  body.writeInt32BE(correlationId, 4);
  body.writeInt16BE(id.length, 8);
  id.copy(body, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

export function decodeApiVersionsResponse(frame: Buffer): ApiRange[] {
  // frame = correlation_id int32, error_code int16, [api_key int16, min int16, max int16]
  const errorCode = frame.readInt16BE(4);
  if (errorCode !== 0) throw new Error(`ApiVersions answered error code ${errorCode}`);
  const count = frame.readInt32BE(6);
  const ranges: ApiRange[] = [];
  for (let i = 0, at = 10; i < count; i++, at += 6) {
    ranges.push({
      apiKey: frame.readInt16BE(at),
      min: frame.readInt16BE(at + 2),
      max: frame.readInt16BE(at + 4),
    });
  }
  return ranges;
}

export function describeKafkaRelease(ranges: readonly ApiRange[]): string {
  const produce = ranges.find((r) => r.apiKey === 0);
  const line = produce === undefined ? 'unknown' : produce.min >= 3 ? '4.x' : 'before 4.0';
  const shown = Object.entries(API_NAMES)
    .map(([key, name]) => {
      const r = ranges.find((x) => x.apiKey === Number(key));
      return r ? `${name} v${r.min}-v${r.max}` : undefined;
    })
    .filter((s) => s !== undefined);
  return `Kafka ${line} (${shown.join(', ')})`;
}

export function fetchApiVersions(broker: string, timeoutMs = 3_000): Promise<ApiRange[]> {
  const [host = '127.0.0.1', portText = '9092'] = broker.split(':');
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let received = Buffer.alloc(0);
    const fail = (why: string, cause?: unknown): void => {
      socket.destroy();
      reject(new UnavailableError('kafka', `Kafka broker ${broker}: ${why}`, cause));
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs} ms`));
    socket.once('error', (error) => fail(`unreachable (${error.message})`, error));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const size = received.readInt32BE(0);
      if (received.length < 4 + size) return;
      socket.end();
      try {
        resolve(decodeApiVersionsResponse(received.subarray(4, 4 + size)));
      } catch (error) {
        fail('unexpected ApiVersions answer (is this a Kafka broker?)', error);
      }
    });
    socket.connect(Number(portText), host, () =>
      socket.write(encodeApiVersionsRequest(1, 'sentiflow-doctor')),
    );
  });
}
