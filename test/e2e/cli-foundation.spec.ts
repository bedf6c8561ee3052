import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, runCli } from '../support/cli.js';

const kafka = process.env.KAFKA_BROKERS;
const clickhouse = process.env.CLICKHOUSE_URL;
if (!kafka || !clickhouse)
  throw new Error('KAFKA_BROKERS / CLICKHOUSE_URL not set: the global setup provides them');

const database = `e2e_${randomUUID().replaceAll('-', '')}`;
const suffix = randomUUID().slice(0, 8);
const env = {
  CLICKHOUSE_DATABASE: database,
  TOPIC_TWEETS_RAW: `raw-${suffix}`,
  TOPIC_TWEETS_DLQ: `dlq-${suffix}`,
  TOPIC_SIGNALS: `signals-${suffix}`,
  TOPIC_ORDERS: `orders-${suffix}`,
};

beforeAll(() => buildOnce());

describe('sentiflow foundation commands (built CLI, real servers)', () => {
  it('doctor names what is missing, then is clean after topics create and migrate', async () => {
    const before = await runCli(['doctor'], { env });
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/ok +kafka: Kafka 4\.\d at /);
    expect(before.stdout).toMatch(/ok +clickhouse: ClickHouse \d+\.\d+/);
    expect(before.stdout).toContain(`missing: topic raw-${suffix}`);
    expect(before.stdout).toContain(`missing: database ${database}`);

    const topics = await runCli(['topics', 'create', '--partitions', '2'], { env });
    expect(topics.code, topics.stderr).toBe(0);
    expect(topics.stdout).toContain(`raw-${suffix}\tcreated\t2 partition(s)`);
    const again = await runCli(['topics', 'create', '--partitions', '2'], { env });
    expect(again.stdout).toContain(`raw-${suffix}\texists`);

    const migrated = await runCli(['migrate'], { env });
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toMatch(/[1-9]\d* applied, 0 already applied/);
    const remigrated = await runCli(['migrate'], { env });
    expect(remigrated.stdout).toMatch(/ 0 applied, [1-9]\d* already applied/);

    const after = await runCli(['doctor'], { env });
    expect(after.code).toBe(0);
    expect(after.stdout).not.toContain('missing:');
  });

  it('doctor against dead ports exits non-zero with one line on stderr', async () => {
    const dead = await runCli(['doctor', '--timeout', '1000'], {
      env: { KAFKA_BROKERS: '127.0.0.1:1', CLICKHOUSE_URL: 'http://127.0.0.1:1' },
    });
    expect(dead.code).toBe(1);
    expect(dead.stderr.trim().split('\n')).toEqual(['sentiflow: kafka and clickhouse unreachable']);
    expect(dead.stdout).toMatch(/FAIL kafka: .*127\.0\.0\.1:1.*ECONNREFUSED/);
    expect(dead.stdout).toContain('FAIL clickhouse');
  });

  it('every command answers --help', async () => {
    const root = await runCli(['--help']);
    expect(root.code).toBe(0);
    const commands = [
      ...root.stdout
        .slice(root.stdout.indexOf('Commands:'))
        .matchAll(/^ {2}([a-z-]+)(?: \[options\])?(?: \[?<?[a-z]+>?\]?)? {2,}/gm),
    ]
      .map((m) => m[1]!)
      .filter((c) => c !== 'help');
    expect(commands.length).toBeGreaterThanOrEqual(3);
    for (const command of commands) {
      const help = await runCli([command, '--help']);
      expect(help.code, `${command} --help`).toBe(0);
      expect(help.stdout).toContain(`Usage: sentiflow ${command}`);
    }
  });
});
