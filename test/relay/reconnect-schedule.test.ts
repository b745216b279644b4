/** The listener's reconnect schedule: at most one attempt a second, never more than 10 s apart, jittered past 5 s. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_RECONNECT_DELAY_MS, MIN_RECONNECT_DELAY_MS, reconnectDelayMs } from '../../src/relay/reconnect-schedule';

describe('reconnect schedule', () => {
  it('starts at 1, 2 and 4 s after a failure', () => {
    assert.deepEqual([1, 2, 3].map((n) => reconnectDelayMs(n, () => 0.5)), [1_000, 2_000, 4_000]);
  });

  it('never waits less than 1 s or more than 10 s, whatever the attempt and the jitter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (failures, random) => {
        const ms = reconnectDelayMs(failures, () => random);
        return ms >= MIN_RECONNECT_DELAY_MS && ms <= MAX_RECONNECT_DELAY_MS && (failures < 4 || ms >= 5_000);
      }),
      { numRuns: 2_000, seed: 16 },
    );
  });

  it('spreads attempts past the first few uniformly over 5–10 s, so managers do not reconnect in lockstep', () => {
    const samples = Array.from({ length: 1_000 }, () => reconnectDelayMs(50));
    const low = samples.filter((ms) => ms < 7_500).length;
    assert.ok(low > 350 && low < 650, `${low} of 1000 below 7.5 s`);
    assert.ok(Math.min(...samples) < 5_500 && Math.max(...samples) > 9_500);
  });
});
