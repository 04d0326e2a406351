import { describe, expect, it } from 'vitest';
import { percentile } from './stats.js';

describe('percentile', () => {
  it('takes the nearest rank and leaves its input alone', () => {
    const xs = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 99)).toBe(10);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile(xs, 91)).toBe(10);
    expect(percentile(xs, 90)).toBe(9);
    expect(xs[0]).toBe(5);
    expect(percentile([], 50)).toBeNaN();
  });
});
