/** Small numeric helpers for metrics: a growable Float64 buffer and nearest-rank quantiles. */
export class FloatBuffer {
  private buf: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buf = new Float64Array(capacity);
  }

  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }

  /** A sorted copy of the values. */
  sorted(): Float64Array {
    return this.buf.slice(0, this.length).sort();
  }

  sum(): number {
    let s = 0;
    for (let i = 0; i < this.length; i++) s += this.buf[i] as number;
    return s;
  }
}

/** Nearest-rank quantile of sorted values: the smallest value with at least q of the data at or below it. */
export function nearestRank(sorted: ArrayLike<number>, q: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

export function summary(b: FloatBuffer): { mean: number | null; p50: number | null; p99: number | null } {
  if (b.length === 0) return { mean: null, p50: null, p99: null };
  const s = b.sorted();
  return { mean: b.sum() / b.length, p50: nearestRank(s, 0.5), p99: nearestRank(s, 0.99) };
}
