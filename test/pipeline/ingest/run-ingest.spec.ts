import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Observable, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { RejectedError, UnavailableError } from '../../../lib/errors.js';
import { type IngestTopics, runIngest } from '../../../pipeline/ingest/index.js';
import type { Demand, EnvelopeItem, IngestItem } from '../../../pipeline/sources/types.js';
import type { OutgoingMessage, TopicProducer } from '../../../sinks/kafka/producer.js';

const topics: IngestTopics = { raw: 'tweets.raw', dlq: 'tweets.dlq', state: 'ingest.state' };

function envelope(n: number): EnvelopeItem {
  const id = String(1_800_000_000_000_000_000n + BigInt(n));
  return {
    kind: 'envelope',
    id,
    key: id,
    createdAt: 1_700_000_000_000 + n,
    json: `{"data":{"id":"${id}","text":"t${n}"}}`,
    source: 'file',
  };
}

interface Sent {
  readonly topic: string;
  readonly messages: readonly OutgoingMessage[];
}

/** A TopicProducer that records acknowledged sends and can be told to fail. */
function fakeProducer(failures: { next: number } = { next: 0 }) {
  const sent: Sent[] = [];
  const events: string[] = [];
  const producer: TopicProducer = {
    async send(topic, messages) {
      if (failures.next > 0) {
        failures.next -= 1;
        throw new UnavailableError('kafka', 'broker down');
      }
      sent.push({ topic, messages });
      events.push('send');
    },
    async flush() {
      events.push('flush');
    },
    async close() {},
  };
  /** Whether the last thing the runner did with the producer was a flush. */
  return { producer, sent, flushedLast: () => events.at(-1) === 'flush' };
}

function capturingLogger() {
  const lines: { msg: string; level: number }[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

/** A pull source of `count` envelopes that honours demand, like the file source. */
function pullSource(count: number, pulled: { n: number }) {
  return (demand: Demand) =>
    new Observable<IngestItem>((subscriber) => {
      void (async () => {
        for (let n = 1; n <= count && !subscriber.closed; n++) {
          const waiting = demand.ready();
          if (waiting !== undefined) await waiting;
          if (subscriber.closed) return;
          pulled.n = n;
          subscriber.next(envelope(n));
        }
        subscriber.complete();
      })();
    });
}

const silent = pino({ level: 'silent' });
const messagesTo = (sent: readonly Sent[], topic: string) =>
  sent.filter((s) => s.topic === topic).flatMap((s) => s.messages);

describe('runIngest', () => {
  it('writes envelopes keyed by id with created_at as timestamp, and rejections to the DLQ with a reason', async () => {
    const { producer, sent, flushedLast } = fakeProducer();
    const reject: IngestItem = {
      kind: 'reject',
      reason: 'invalid_json',
      detail: 'file:x:3: oops',
      payload: '{',
      source: 'file',
    };
    const stats = await runIngest({
      source: () => of(envelope(1), reject),
      producer,
      topics,
      logger: silent,
      now: () => 42,
    });

    expect(messagesTo(sent, 'tweets.raw')).toEqual([
      {
        key: envelope(1).id,
        value: envelope(1).json,
        timestamp: envelope(1).createdAt,
        headers: { source: 'file', ingested_at: new Date(42).toISOString() },
      },
    ]);
    expect(messagesTo(sent, 'tweets.dlq')[0]).toMatchObject({
      key: null,
      value: '{',
      headers: { reason: 'invalid_json', detail: 'file:x:3: oops', stage: 'ingest', source: 'file' },
    });
    expect(stats).toMatchObject({ envelopes: 1, rejected: 1, checkpoints: 0 });
    expect(flushedLast()).toBe(true);
  });

  it('keeps retrying with back-off while Kafka is down and loses nothing, logging once per state change', async () => {
    const failures = { next: 5 };
    const { producer, sent } = fakeProducer(failures);
    const { logger, lines } = capturingLogger();
    const delays: number[] = [];
    const stats = await runIngest({
      source: pullSource(1000, { n: 0 }),
      producer,
      topics,
      logger,
      sleep: async (ms) => {
        delays.push(ms);
      },
      batchMessages: 100,
      maxInFlight: 1,
    });

    expect(delays).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(messagesTo(sent, 'tweets.raw').map((m) => m.key)).toEqual(
      Array.from({ length: 1000 }, (_, i) => envelope(i + 1).id),
    );
    expect(stats.envelopes).toBe(1000);
    expect(lines.filter((l) => l.msg.startsWith('Kafka unavailable'))).toHaveLength(1);
    expect(lines.filter((l) => l.msg.startsWith('Kafka available again'))).toHaveLength(1);
  });

  it('retries failed pipelined batches and still writes every envelope exactly once', async () => {
    const { producer, sent } = fakeProducer({ next: 4 });
    await runIngest({
      source: pullSource(1000, { n: 0 }),
      producer,
      topics,
      logger: silent,
      sleep: async () => undefined,
      batchMessages: 50,
      maxInFlight: 3,
    });
    const keys = messagesTo(sent, 'tweets.raw').map((m) => m.key);
    expect(keys).toHaveLength(1000);
    expect(new Set(keys).size).toBe(1000);
  });

  it('holds a pull source back when the buffer is full while Kafka is down', async () => {
    const failures = { next: Number.POSITIVE_INFINITY };
    const { producer, sent } = fakeProducer(failures);
    const pulled = { n: 0 };
    let retries = 0;
    let resume: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => {
      resume = resolve;
    });
    const run = runIngest({
      source: pullSource(100_000, pulled),
      producer,
      topics,
      logger: silent,
      highWaterBytes: 10_000,
      sleep: async () => {
        retries += 1;
        if (retries === 20) {
          resume();
          failures.next = 0;
        }
        await new Promise((resolve) => setImmediate(resolve));
      },
    });
    await blocked;
    // About 10 kB of ~100-byte envelopes fit: the source was held back, not read to the end.
    expect(pulled.n).toBeGreaterThan(50);
    expect(pulled.n).toBeLessThan(200);
    await run;
    expect(messagesTo(sent, 'tweets.raw')).toHaveLength(100_000);
  });

  it('writes a checkpoint only after everything before it was acknowledged', async () => {
    const { producer, sent } = fakeProducer();
    const items: IngestItem[] = [
      envelope(1),
      envelope(2),
      { kind: 'checkpoint', key: 'x-search:q', value: '{"sinceId":"2"}' },
      envelope(3),
    ];
    await runIngest({ source: () => of(...items), producer, topics, logger: silent });

    expect(sent.map((s) => [s.topic, s.messages.length])).toEqual([
      ['tweets.raw', 2],
      ['ingest.state', 1],
      ['tweets.raw', 1],
    ]);
  });

  it('stops reading on abort, writes what was buffered and resolves', async () => {
    const { producer, sent, flushedLast } = fakeProducer();
    const controller = new AbortController();
    const source = () =>
      new Observable<IngestItem>((subscriber) => {
        subscriber.next(envelope(1));
        subscriber.next(envelope(2));
        controller.abort();
        subscriber.next(envelope(3)); // after the stop: not accepted
      });
    const stats = await runIngest({ source, producer, topics, logger: silent, signal: controller.signal });

    expect(stats.envelopes).toBe(2);
    expect(messagesTo(sent, 'tweets.raw')).toHaveLength(2);
    expect(flushedLast()).toBe(true);
  });

  it('gives up after the shutdown deadline when Kafka stays away, saying how much was not written', async () => {
    const { producer } = fakeProducer({ next: Number.POSITIVE_INFINITY });
    const controller = new AbortController();
    let t = 0;
    const run = runIngest({
      source: () => of(envelope(1)),
      producer,
      topics,
      logger: silent,
      signal: controller.signal,
      now: () => t,
      shutdownDeadlineMs: 10_000,
      sleep: async (ms) => {
        if (t === 0) controller.abort();
        t += ms;
      },
    });
    await expect(run).rejects.toThrow(/stopped with 1 item\(s\) not written/);
  });

  it('ends with the source error after writing what came before it', async () => {
    const { producer, sent } = fakeProducer();
    const source = () =>
      new Observable<IngestItem>((subscriber) => {
        subscriber.next(envelope(1));
        subscriber.error(new RejectedError('x', 'bad token'));
      });
    await expect(runIngest({ source, producer, topics, logger: silent })).rejects.toThrow('bad token');
    expect(messagesTo(sent, 'tweets.raw')).toHaveLength(1);
  });
});
