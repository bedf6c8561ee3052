import pino from 'pino';
import { firstValueFrom, type SchedulerAction, type Subscription, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Pace } from '../../../pipeline/sources/pacer.js';
import { generateEnvelopes } from '../../../pipeline/sources/synthetic.js';
import { createSyntheticSource$ } from '../../../pipeline/sources/synthetic-source.js';
import type { EnvelopeItem, IngestItem } from '../../../pipeline/sources/types.js';
import { ManualScheduler } from './manual-scheduler.js';

/** A manual clock whose timers fire late, like setInterval on a busy event loop. */
class LateScheduler extends ManualScheduler {
  constructor(private readonly lateBy: (delay: number) => number) {
    super();
  }

  override schedule<T>(
    work: (this: SchedulerAction<T>, state?: T) => void,
    delay = 0,
    state?: T,
  ): Subscription {
    return super.schedule(work, delay + this.lateBy(delay), state);
  }
}

function capturingLogger() {
  const lines: { msg: string; level: number; [field: string]: unknown }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines, messages: () => lines.map((l) => l.msg) };
}

const WARN = 40;

describe('synthetic source', () => {
  it('paces envelopes at the configured rate on the scheduler', () => {
    const scheduler = new ManualScheduler();
    const items: IngestItem[] = [];
    const subscription = createSyntheticSource$({ rate: 20, synthetic: { seed: 7 }, scheduler }).subscribe(
      (i) => items.push(i),
    );
    scheduler.advance(1000);
    expect(items).toHaveLength(20);
    scheduler.advance(500);
    expect(items).toHaveLength(30);
    subscription.unsubscribe();

    const expected = [...generateEnvelopes({ seed: 7, count: 30 })].map((e) => e.data.id);
    expect(items.map((i) => (i as EnvelopeItem).id)).toEqual(expected);
  });

  it('emits nothing while the sink is not ready', () => {
    const scheduler = new ManualScheduler();
    const items: IngestItem[] = [];
    let ready = false;
    const demand = { ready: () => (ready ? undefined : new Promise<void>(() => undefined)) };
    const subscription = createSyntheticSource$({ rate: 100, scheduler, demand }).subscribe((i) =>
      items.push(i),
    );
    scheduler.advance(1000);
    expect(items).toHaveLength(0);
    ready = true;
    scheduler.advance(100);
    expect(items).toHaveLength(10);
    subscription.unsubscribe();
  });

  it('runs unpaced to the end of a finite generator with rate 0', async () => {
    const items = await firstValueFrom(
      createSyntheticSource$({ rate: 0, synthetic: { seed: 1, count: 1234 } }).pipe(toArray()),
    );
    expect(items).toHaveLength(1234);
    expect(items.every((i) => i.kind === 'envelope' && i.source === 'synthetic')).toBe(true);
  });

  it('delivers the asked rate when every tick fires late (no drift)', () => {
    const scheduler = new LateScheduler(() => 7);
    const items: IngestItem[] = [];
    const subscription = createSyntheticSource$({ rate: 5_000, synthetic: { seed: 7 }, scheduler }).subscribe(
      (i) => items.push(i),
    );
    scheduler.advance(10_000);
    subscription.unsubscribe();
    // Counting ticks would give 5,000 x 10 s x 100/107 = 46,728; the clock's schedule gives 50,000
    // up to the last (late) tick.
    expect(items.length).toBeGreaterThan(49_000);
    expect(items.length).toBeLessThanOrEqual(50_000);
  });

  it('catches up after a stall and says it fell behind, then that it caught up', () => {
    let stalls = 1;
    const scheduler = new LateScheduler(() => (stalls-- > 0 ? 2_900 : 0));
    const { logger, lines, messages } = capturingLogger();
    const paces: Pace[] = [];
    const items: IngestItem[] = [];
    const subscription = createSyntheticSource$({
      rate: 100,
      scheduler,
      logger,
      onPace: (p) => paces.push(p),
    }).subscribe((i) => items.push(i));
    scheduler.advance(3_000);
    // 300 due, at most 10 ticks' worth (100) per tick: 200 behind.
    expect(items).toHaveLength(100);
    expect(paces.at(-1)).toMatchObject({ emitted: 100, behind: 200 });
    const warning = lines.find((l) => l.level === WARN);
    expect(warning?.msg).toMatch(/cannot keep up/);
    expect(warning).toMatchObject({ rate: 100, behind: 200 });
    scheduler.advance(300);
    expect(items).toHaveLength(330);
    expect(messages()).toContain('synthetic source caught up with its schedule');
    subscription.unsubscribe();
  });

  it('says when the sink holds it back and how much slipped', () => {
    const scheduler = new ManualScheduler();
    const { logger, lines } = capturingLogger();
    let ready = false;
    const demand = { ready: () => (ready ? undefined : new Promise<void>(() => undefined)) };
    const subscription = createSyntheticSource$({ rate: 100, scheduler, demand, logger }).subscribe();
    scheduler.advance(1_000);
    ready = true;
    scheduler.advance(100);
    subscription.unsubscribe();
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [WARN, expect.stringMatching(/held back by the sink/)],
      [30, 'synthetic source released by the sink'],
    ]);
    expect(lines[1]).toMatchObject({ skipped: 100, heldBack: 100, emitted: 10 });
  });

  it('reports the rate it achieved when the generator ends', () => {
    const scheduler = new ManualScheduler();
    const { logger, lines } = capturingLogger();
    let completed = false;
    createSyntheticSource$({ rate: 1_000, synthetic: { count: 2_000 }, scheduler, logger }).subscribe({
      complete: () => {
        completed = true;
      },
    });
    scheduler.advance(2_100);
    expect(completed).toBe(true);
    expect(lines.at(-1)).toMatchObject({
      msg: 'synthetic source finished on schedule',
      emitted: 2_000,
      heldBack: 0,
      achievedRate: 1_000,
    });
  });

  it('warns when it ends later than its schedule', () => {
    let stalls = 1;
    const scheduler = new LateScheduler(() => (stalls-- > 0 ? 2_900 : 0));
    const { logger, lines } = capturingLogger();
    createSyntheticSource$({ rate: 100, synthetic: { count: 150 }, scheduler, logger }).subscribe();
    scheduler.advance(3_200);
    expect(lines.at(-1)).toMatchObject({
      level: WARN,
      msg: 'synthetic source finished below its rate',
      emitted: 150,
      behind: 160,
      achievedRate: 48,
    });
  });
});
