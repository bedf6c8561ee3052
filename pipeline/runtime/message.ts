/** What the runtime reads from a topic: one message of one partition (tweets.raw or tweets.scored). */
export interface InputMessage {
  readonly partition: number;
  /** Offset in the partition (decimal string, as Kafka gives it). */
  readonly offset: string;
  /** The payload as it is stored; null for a tombstone. */
  readonly value: Uint8Array | null;
  /** Kafka message timestamp (created_at for tweets.raw), epoch ms. */
  readonly timestamp: number;
}

/** Payload bytes of a run of messages (what byte-bounded flushing and backpressure count). */
export function payloadBytes(messages: readonly InputMessage[]): number {
  let bytes = 0;
  for (const m of messages) bytes += m.value?.length ?? 0;
  return bytes;
}
