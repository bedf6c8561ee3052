import { connect } from 'node:net';

/**
 * Asks a Kafka broker what it is, on the wire (ApiVersions v3), without a client library: kafkajs does
 * not expose it. The release comes from the highest `metadata.version` the broker software supports
 * (KRaft, Kafka >= 3.3); older brokers are classified by whether they still serve
 * Fetch v0-v3, which Kafka 4.0 removed (KIP-896).
 */
export interface KafkaWireVersion {
  /** "4.3", or "< 4.0" / "4.x" when metadata.version is not reported. */
  readonly release: string;
  readonly metadataVersionLevel: number | undefined;
  /** Fetch v0-v3 are gone in 4.0 (Produce v0-v2 are still advertised there, for librdkafka). */
  readonly fetchVersions: readonly [number, number] | undefined;
}

// First metadata.version level of each release (org.apache.kafka.server.common.MetadataVersion).
const releaseByFirstLevel: ReadonlyArray<readonly [number, string]> = [
  [1, '3.0'],
  [2, '3.1'],
  [3, '3.2'],
  [4, '3.3'],
  [8, '3.4'],
  [9, '3.5'],
  [12, '3.6'],
  [15, '3.7'],
  [20, '3.8'],
  [21, '3.9'],
  [22, '4.0'],
  [26, '4.1'],
  [28, '4.2'],
  [30, '4.3'],
  [31, '4.4'],
];

export function releaseOfMetadataLevel(level: number): string {
  let release = 'unknown';
  for (const [first, name] of releaseByFirstLevel) if (level >= first) release = name;
  return level > 31 ? 'newer than 4.4' : release;
}

function request(correlationId: number): Buffer {
  const clientId = Buffer.from('sentiflow-probe');
  const software = Buffer.from('sentiflow');
  const body = Buffer.concat([
    Buffer.from([0, 18, 0, 3]), // api key ApiVersions, version 3
    int32(correlationId),
    Buffer.from([0, clientId.length]),
    clientId,
    Buffer.from([0]), // header tagged fields
    Buffer.from([software.length + 1]),
    software,
    Buffer.from([2]),
    Buffer.from('1'),
    Buffer.from([0]), // body tagged fields
  ]);
  return Buffer.concat([int32(body.length), body]);
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

class Reader {
  constructor(
    private readonly buf: Buffer,
    public pos = 0,
  ) {}
  int16(): number {
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  int32(): number {
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  uvarint(): number {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = this.buf.readUInt8(this.pos++);
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
  }
  compactString(): string {
    const len = this.uvarint() - 1;
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }
  skipTags(): void {
    for (let n = this.uvarint(); n > 0; n--) {
      this.uvarint();
      this.pos += this.uvarint();
    }
  }
}

export function parseApiVersionsV3(payload: Buffer): KafkaWireVersion {
  const r = new Reader(payload, 4); // after correlation id (response header v0, even for v3)
  const errorCode = r.int16();
  if (errorCode === 35)
    return { release: '< 2.4', metadataVersionLevel: undefined, fetchVersions: undefined };
  if (errorCode !== 0) throw new Error(`ApiVersions error code ${errorCode}`);
  let fetch: [number, number] | undefined;
  for (let n = r.uvarint() - 1; n > 0; n--) {
    const key = r.int16();
    const min = r.int16();
    const max = r.int16();
    r.skipTags();
    if (key === 1) fetch = [min, max];
  }
  r.int32(); // throttle time
  let level: number | undefined;
  for (let tags = r.uvarint(); tags > 0; tags--) {
    const tag = r.uvarint();
    const size = r.uvarint();
    const end = r.pos + size;
    if (tag === 0) {
      for (let n = r.uvarint() - 1; n > 0; n--) {
        const name = r.compactString();
        r.int16();
        const max = r.int16();
        r.skipTags();
        if (name === 'metadata.version') level = max;
      }
    }
    r.pos = end;
  }
  const fallback = fetch && fetch[0] >= 4 ? '4.x' : '< 4.0';
  return {
    release: level === undefined ? fallback : releaseOfMetadataLevel(level),
    metadataVersionLevel: level,
    fetchVersions: fetch,
  };
}

/** One ApiVersions round trip to `broker` ("host:port"), bounded by `timeoutMs`. */
export function probeKafkaVersion(broker: string, timeoutMs = 5_000): Promise<KafkaWireVersion> {
  const colon = broker.lastIndexOf(':');
  const host = broker.slice(0, colon);
  const port = Number(broker.slice(colon + 1));
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let data = Buffer.alloc(0);
    const fail = (error: Error): void => {
      socket.destroy();
      reject(new Error(`Kafka at ${broker} did not answer ApiVersions: ${error.message}`));
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`no answer within ${timeoutMs} ms`)));
    socket.once('error', fail);
    socket.once('connect', () => socket.write(request(1)));
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (data.length < 4 || data.length < 4 + data.readInt32BE(0)) return;
      socket.end();
      try {
        resolve(parseApiVersionsV3(data.subarray(4, 4 + data.readInt32BE(0))));
      } catch (error) {
        fail(error as Error);
      }
    });
  });
}
