import { describe, expect, it } from 'vitest';
import { RejectedError } from '../../../lib/errors.js';
import { CHECKPOINT_VERSION, checkState } from '../../../pipeline/runtime/checkpoint.js';

describe('checkState, the one version check of checkpoints', () => {
  it('takes a state of the version this code writes', () => {
    const state = { version: CHECKPOINT_VERSION, dedupe: {}, watermark: null };
    expect(checkState(state, 'checkpoint of g on t')).toBe(state);
  });

  it.each([{ version: 7 }, {}, null, 'v1'])(
    'refuses %j in one line that names it and says what to do',
    (state) => {
      const refuse = () => checkState(state, 'checkpoint of g on t');
      expect(refuse).toThrow(RejectedError);
      expect(refuse).toThrow(/^checkpoint of g on t has unknown version .* \(.*--group.*\)$/);
    },
  );
});
