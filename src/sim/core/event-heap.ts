/**
 * The simulator's event queue: a binary min-heap over (time, sequence) held in typed arrays, so a
 * million events cost no per-event objects. Ties in time pop in insertion order, which makes runs
 * deterministic. Each event carries a kind (small integer) and an integer payload (job or node slot).
 */
export const EventKind = {
  completion: 1,
  jobFailure: 2,
  nodeDown: 3,
  nodeUp: 4,
  sample: 5,
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

export class EventHeap {
  private time: Float64Array;
  private seq: Float64Array;
  private kind: Uint8Array;
  private payload: Int32Array;
  private n = 0;
  private nextSeq = 0;

  constructor(capacity = 1024) {
    this.time = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.payload = new Int32Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    return this.n > 0 ? (this.time[0] as number) : Number.POSITIVE_INFINITY;
  }

  push(timeSec: number, kind: EventKind, payload: number): void {
    if (this.n === this.time.length) this.grow();
    let i = this.n++;
    const s = this.nextSeq++;
    // Sift up with a hole instead of swaps.
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(timeSec, s, this.time[p] as number, this.seq[p] as number)) break;
      this.move(p, i);
      i = p;
    }
    this.time[i] = timeSec;
    this.seq[i] = s;
    this.kind[i] = kind;
    this.payload[i] = payload;
  }

  /** Removes the earliest event; read it first with `topKind`/`topPayload`/`peekTime`. */
  pop(): void {
    if (this.n === 0) return;
    const last = --this.n;
    if (last === 0) return;
    const t = this.time[last] as number;
    const s = this.seq[last] as number;
    const k = this.kind[last] as number;
    const p = this.payload[last] as number;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const r = l + 1;
      const c = r < last && this.less(this.time[r] as number, this.seq[r] as number, this.time[l] as number, this.seq[l] as number) ? r : l;
      if (!this.less(this.time[c] as number, this.seq[c] as number, t, s)) break;
      this.move(c, i);
      i = c;
    }
    this.time[i] = t;
    this.seq[i] = s;
    this.kind[i] = k;
    this.payload[i] = p;
  }

  topKind(): EventKind {
    return this.kind[0] as EventKind;
  }

  topPayload(): number {
    return this.payload[0] as number;
  }

  private less(t1: number, s1: number, t2: number, s2: number): boolean {
    return t1 < t2 || (t1 === t2 && s1 < s2);
  }

  private move(from: number, to: number): void {
    this.time[to] = this.time[from] as number;
    this.seq[to] = this.seq[from] as number;
    this.kind[to] = this.kind[from] as number;
    this.payload[to] = this.payload[from] as number;
  }

  private grow(): void {
    const cap = this.time.length * 2;
    const t = new Float64Array(cap);
    t.set(this.time);
    this.time = t;
    const s = new Float64Array(cap);
    s.set(this.seq);
    this.seq = s;
    const k = new Uint8Array(cap);
    k.set(this.kind);
    this.kind = k;
    const p = new Int32Array(cap);
    p.set(this.payload);
    this.payload = p;
  }
}
