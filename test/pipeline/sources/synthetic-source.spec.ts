import { firstValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { generateEnvelopes } from '../../../pipeline/sources/synthetic.js';
import { createSyntheticSource$ } from '../../../pipeline/sources/synthetic-source.js';
import type { EnvelopeItem, IngestItem } from '../../../pipeline/sources/types.js';
import { ManualScheduler } from './manual-scheduler.js';

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
});
