import { pyRound } from './pyround.js';

export const MAX_COLUMN = 130;

/**
 * FGD's discrete curve (merge_alloc_discrete.py): per event, x = round(arrived/totalGpus/10) and
 * y = round(used/totalGpus/10, 2), both as percentages of GPU capacity; column x is the mean y of the
 * events at x, else of the events within x±1, else blank (null); rounded to 2 decimals.
 */
export function binAllocation(arrivedMilli: ArrayLike<number>, usedMilli: ArrayLike<number>, count: number, totalGpus: number): (number | null)[] {
  const sums = new Float64Array(MAX_COLUMN + 2);
  const counts = new Float64Array(MAX_COLUMN + 2);
  const xs = new Int32Array(count);
  const ys = new Float64Array(count);
  for (let e = 0; e < count; e++) {
    const x = pyRound((arrivedMilli[e] as number) / totalGpus / 10, 0);
    const y = pyRound((usedMilli[e] as number) / totalGpus / 10, 2);
    xs[e] = x;
    ys[e] = y;
    if (x >= 0 && x <= MAX_COLUMN + 1) {
      sums[x] = (sums[x] as number) + y;
      counts[x] = (counts[x] as number) + 1;
    }
  }
  const out: (number | null)[] = [];
  for (let x = 0; x <= MAX_COLUMN; x++) {
    if ((counts[x] as number) > 0) {
      out.push(pyRound((sums[x] as number) / (counts[x] as number), 2));
      continue;
    }
    let s = 0;
    let c = 0;
    for (let e = 0; e < count; e++) {
      const xe = xs[e] as number;
      if (xe >= x - 1 && xe <= x + 1) {
        s += ys[e] as number;
        c++;
      }
    }
    out.push(c > 0 ? pyRound(s / c, 2) : null);
  }
  return out;
}
