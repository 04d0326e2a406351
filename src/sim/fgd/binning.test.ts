import { describe, expect, it } from 'vitest';
import { binAllocation, numpySum } from './binning.js';

describe('binAllocation', () => {
  it('bins events by arrived % and averages the allocation %', () => {
    // A 2-GPU cluster (2000 milli). Arrived 0, 500, 1000, 1000, 2600 milli -> x = 0, 25, 50, 50, 130.
    // Used 0, 500, 500, 1000, 1900 -> y = 0, 25, 25, 50, 95.
    const arrived = [0, 500, 1000, 1000, 2600];
    const used = [0, 500, 500, 1000, 1900];
    const cols = binAllocation(arrived, used, arrived.length, 2);
    expect(cols[0]).toBe(0);
    expect(cols[25]).toBe(25);
    expect(cols[50]).toBe(37.5); // mean of 25 and 50
    expect(cols[130]).toBe(95);
    // no event at x=24 or 26: the x±1 window falls back to the event at 25
    expect(cols[24]).toBe(25);
    expect(cols[26]).toBe(25);
    // nothing within ±1 of 10: blank
    expect(cols[10]).toBeNull();
    expect(cols).toHaveLength(131);
  });

  it('rounds arrived % half to even and allocation % to 2 decimals before averaging', () => {
    // 3 GPUs: arrived 15 milli -> 15/3/10 = 0.5 -> x = 0 (half to even); used 1 milli -> 0.0333 -> 0.03.
    // arrived 45 -> 1.5 -> x = 2; used 2 -> 0.0667 -> 0.07.
    const cols = binAllocation([15, 45], [1, 2], 2, 3);
    expect(cols[0]).toBe(0.03);
    expect(cols[2]).toBe(0.07);
    expect(cols[1]).toBe(0.05); // both within ±1: (0.03 + 0.07) / 2
  });
});

describe('numpySum', () => {
  it('sums pairwise like numpy, which can differ from a running sum in the last bit', () => {
    const vals = Array.from({ length: 72 }, (_, i) => [75.51, 75.53, 76.48, 76.5, 0.1, 0.7][i % 6] as number);
    const running = vals.reduce((a, b) => a + b, 0);
    const exact = vals.map((v) => Math.round(v * 100)).reduce((a, b) => a + b, 0) / 100;
    expect(Math.abs(numpySum(vals) - exact)).toBeLessThanOrEqual(Math.abs(running - exact));
    expect(numpySum([1, 2, 3])).toBe(6);
    expect(numpySum([])).toBe(0);
  });
});
