/**
 * KRaft cluster ids for the test brokers (scripts/services/kafka-local.ts), local and in containers.
 * Kafka's StorageTool reads an id that starts with '-' as an option and refuses to format: one random
 * base64url id in 64 did, and the testcontainers Kafka died at start in CI that way.
 */
import { describe, expect, it } from 'vitest';
import { clusterId } from '../../scripts/services/kafka-local.js';

describe('clusterId', () => {
  it('is 16 random bytes in base64url that never start with a dash', () => {
    const ids = Array.from({ length: 5_000 }, clusterId);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});
