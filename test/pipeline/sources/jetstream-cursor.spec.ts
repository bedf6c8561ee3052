import { describe, expect, it } from 'vitest';
import { parseCursorState, ResumeWindow } from '../../../pipeline/sources/jetstream-cursor.js';
import { classifyJetstreamMessage } from '../../../pipeline/sources/jetstream-event.js';
import { postEvent } from '../../support/fake-jetstream.js';

describe('ResumeWindow', () => {
  it('resumes at the newest time_us minus the margin and knows the keys emitted within it', () => {
    const w = new ResumeWindow(1000);
    expect(w.resumeCursor()).toBeNull();
    w.remember('a', 10_000);
    w.advance(10_000);
    w.remember('b', 10_800);
    w.advance(10_800);
    w.advance(11_500); // an unmatched event moves the cursor too
    expect(w.resumeCursor()).toBe(10_500);
    expect(w.seen('a')).toBe(false); // older than cursor - margin: cannot come back
    expect(w.seen('b')).toBe(true);
  });

  it('round-trips through its checkpoint, so a restart drops the same repeats', () => {
    const w = new ResumeWindow(1000);
    for (const [key, t] of [
      ['a', 100],
      ['b', 900],
      ['c', 1500],
    ] as const) {
      w.remember(key, t);
      w.advance(t);
    }
    const restored = new ResumeWindow(1000, undefined, parseCursorState(w.serialize()!));
    expect(restored.resumeCursor()).toBe(500);
    expect(['a', 'b', 'c'].map((k) => restored.seen(k))).toEqual([false, true, true]);
  });

  it('keeps at most maxKeys keys, dropping the oldest', () => {
    const w = new ResumeWindow(1e12, 2);
    for (const [i, key] of ['a', 'b', 'c'].entries()) w.remember(key, i);
    expect(['a', 'b', 'c'].map((k) => w.seen(k))).toEqual([false, true, true]);
  });

  it('refuses a checkpoint of an unknown version', () => {
    expect(() => parseCursorState('{"v":2,"cursor":1}')).toThrow(/version 2/);
  });
});

describe('classifyJetstreamMessage', () => {
  it('ignores other collections and falls back to time_us when createdAt is unreadable', () => {
    const like = postEvent(1, 'x');
    (like.commit as Record<string, unknown>).collection = 'app.bsky.feed.like';
    expect(classifyJetstreamMessage(JSON.stringify(like), 'test')).toMatchObject({
      kind: 'ignored',
      reason: 'other_collection',
    });
    const post = postEvent(2, 'x', { createdAt: 'yesterday', timeUs: 1_700_000_000_123_456 });
    const outcome = classifyJetstreamMessage(JSON.stringify(post), 'test');
    expect(outcome).toMatchObject({ kind: 'post', item: { createdAt: 1_700_000_000_123 } });
  });

  it('rejects a post without text or rkey', () => {
    const post = postEvent(3, 'x');
    delete ((post.commit as Record<string, unknown>).record as Record<string, unknown>).text;
    expect(classifyJetstreamMessage(JSON.stringify(post), 'test')).toMatchObject({ reason: 'missing_text' });
    delete (post.commit as Record<string, unknown>).rkey;
    expect(classifyJetstreamMessage(JSON.stringify(post), 'test')).toMatchObject({ reason: 'missing_id' });
  });
});
