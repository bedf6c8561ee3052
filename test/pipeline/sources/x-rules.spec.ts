import { Command } from 'commander';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRulesCommand } from '../../../pipeline/commands/rules.js';
import { ConfigSchema } from '../../../pipeline/config.js';
import { planRuleSync } from '../../../pipeline/sources/x-rules.js';
import { type FakeXServer, startFakeXServer } from '../../support/fake-x-server.js';

describe('planRuleSync', () => {
  const current = [
    { id: '1', value: '$BTC', tag: 'BTC' },
    { id: '2', value: '$ETH', tag: 'ETH' },
    { id: '3', value: '$SOL', tag: 'old' },
  ];

  it.each([
    ['nothing to do when equal', current.map(({ value, tag }) => ({ value, tag })), [], []],
    [
      'adds the missing and removes the extra',
      [
        { value: '$BTC', tag: 'BTC' },
        { value: '$ADA', tag: 'ADA' },
      ],
      ['$ADA'],
      ['2', '3'],
    ],
    ['treats a changed tag as remove + add', [{ value: '$SOL', tag: 'SOL' }], ['$SOL'], ['1', '2', '3']],
    ['removes all for an empty desired set', [], [], ['1', '2', '3']],
  ])('%s', (_name, desired, adds, removes) => {
    const plan = planRuleSync(current, desired);
    expect(plan.add.map((r) => r.value)).toEqual(adds);
    expect(plan.remove.map((r) => r.id)).toEqual(removes);
  });
});

describe('sentiflow rules (against the fake X server)', () => {
  let server: FakeXServer;
  let output: string;

  const run = async (...args: string[]): Promise<string> => {
    output = '';
    const config = ConfigSchema.parse({ x: { bearerToken: 'test-token', apiUrl: server.url } });
    const command = createRulesCommand({
      context: () => ({ config, logger: pino({ level: 'silent' }) }),
      out: { write: (text: string) => (output += text) },
      ca: server.ca,
    });
    await new Command('sentiflow').addCommand(command).parseAsync(['node', 'sentiflow', 'rules', ...args]);
    return output;
  };

  beforeEach(async () => {
    server = await startFakeXServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('adds, lists and removes by tag', async () => {
    await run('add', '$BTC OR bitcoin', '--tag', 'BTC');
    await run('add', '$ETH', '--tag', 'ETH');
    const listed = await run('list');
    expect(
      listed
        .trim()
        .split('\n')
        .map((l) => l.split('\t').slice(1)),
    ).toEqual([
      ['BTC', '$BTC OR bitcoin'],
      ['ETH', '$ETH'],
    ]);
    await run('remove', 'BTC');
    expect(server.rules.map((r) => r.tag)).toEqual(['ETH']);
  });

  it('sync is a dry run unless --apply is given', async () => {
    await run('add', '$DOGE', '--tag', 'DOGE');
    const dry = await run('sync');
    expect(dry).toContain('-\t');
    expect(dry).toContain('+\t\tBTC\t');
    expect(dry).toContain('dry run');
    expect(server.rules.map((r) => r.tag)).toEqual(['DOGE']);

    await run('sync', '--apply');
    expect(server.rules.map((r) => r.tag)).toEqual(['BTC', 'ETH', 'SOL']);
    expect(await run('sync')).toBe('rules on X already match\n');
  });
});
