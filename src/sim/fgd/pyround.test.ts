import { describe, expect, it } from 'vitest';
import { pyRound } from './pyround.js';

describe('pyRound (Python round on doubles)', () => {
  it.each([
    [0.5, 0, 0], [1.5, 0, 2], [2.5, 0, 2], [3.5, 0, 4], [99.49999, 0, 99],
    // exact binary ties round half to even
    [0.125, 2, 0.12], [0.375, 2, 0.38],
    // 2.675 and 1.005 are stored just below the tie, so they round down
    [2.675, 2, 2.67], [1.005, 2, 1],
    [95.38499999, 2, 95.38], [12.3456, 2, 12.35], [-0.125, 2, -0.12],
  ])('round(%d, %d) = %d', (x, n, want) => expect(pyRound(x, n)).toBe(want));
});
