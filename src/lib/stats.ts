/**
 * The p-th percentile (0..100) of `values` by the nearest-rank method: the smallest value with at
 * least p% of the values at or below it. NaN for no values. Does not modify `values`.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}
