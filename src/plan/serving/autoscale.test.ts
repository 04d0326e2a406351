import { describe, expect, it } from 'vitest';
import { clampMix, decideScale, freshScaleMemory, type ScalePolicy } from './autoscale.js';

const policy: ScalePolicy = { minReplicas: 1, maxReplicas: 6, upCooldownSec: 10, downCooldownSec: 30, downStableSec: 20 };

describe('autoscale decision', () => {
  it('scales up at once, only adding, then waits for the up cooldown', () => {
    const d = decideScale({ a: 2 }, { a: 1, b: 3 }, freshScaleMemory, policy, 1000);
    expect(d.action).toBe('up');
    // The replica on a the plan no longer wants keeps serving during the burst.
    expect(d.mix).toEqual({ a: 2, b: 3 });
    const again = decideScale(d.mix, { a: 2, b: 4 }, d.memory, policy, 5000);
    expect(again.action).toBe('hold');
    expect(again.reason).toContain('cooldown');
    expect(decideScale(d.mix, { a: 2, b: 4 }, d.memory, policy, 11_001).action).toBe('up');
  });

  it('keeps surplus replicas through a scale-up only while the ceiling allows', () => {
    const d = decideScale({ a: 2, b: 1 }, { b: 5 }, freshScaleMemory, policy, 0);
    expect(d.action).toBe('up');
    expect(d.mix).toEqual({ a: 1, b: 5 });
  });

  it('scales down only after the smaller mix is wanted steadily and the cooldown passed', () => {
    const up = decideScale({ a: 1 }, { a: 4 }, freshScaleMemory, policy, 0);
    let m = up.memory;
    let d = decideScale(up.mix, { a: 1 }, m, policy, 5_000);
    expect(d.action).toBe('hold');
    m = d.memory;
    // A renewed need resets the stable-since clock.
    d = decideScale(up.mix, { a: 4 }, m, policy, 15_000);
    expect(d.action).toBe('hold');
    expect(d.memory.downWantedSinceMs).toBeNull();
    m = d.memory;
    d = decideScale(up.mix, { a: 1 }, m, policy, 16_000);
    m = d.memory;
    d = decideScale(up.mix, { a: 1 }, m, policy, 35_000);
    expect(d.action).toBe('hold');
    d = decideScale(up.mix, { a: 1 }, d.memory, policy, 36_001);
    expect(d.action).toBe('down');
    expect(d.mix).toEqual({ a: 1 });
    expect(d.reason).toContain('only 1x a');
  });

  it('clamps to the replica bounds, keeping serving chips first', () => {
    expect(clampMix({}, { b: 2 }, policy, ['a'])).toEqual({ b: 1 });
    expect(clampMix({}, {}, policy, ['a'])).toEqual({ a: 1 });
    expect(clampMix({ a: 5, b: 3 }, {}, policy, [])).toEqual({ a: 3, b: 3 });
  });
});
