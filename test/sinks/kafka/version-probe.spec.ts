import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { probeKafkaVersion, releaseOfMetadataLevel } from '../../../sinks/kafka/version-probe.js';

describe('Kafka version probe', () => {
  it.each([
    [1, '3.0'],
    [21, '3.9'],
    [22, '4.0'],
    [27, '4.1'],
    [30, '4.3'],
    [99, 'newer than 4.4'],
  ])('maps metadata.version level %i to release %s', (level, release) => {
    expect(releaseOfMetadataLevel(level)).toBe(release);
  });

  it('names the broker when nothing answers there', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    await new Promise((resolve) => server.close(resolve));
    await expect(probeKafkaVersion(`127.0.0.1:${address.port}`, 1_000)).rejects.toThrow(
      `Kafka at 127.0.0.1:${address.port}`,
    );
  });
});
