/**
 * The target workload mix that fragmentation is measured against (FGD's "typical pods"): job shapes
 * with their popularity. Built from a list of jobs by grouping equal shapes, most popular first, and
 * keeping the smallest prefix that covers `coverage` of the jobs, re-weighted to sum to 1.
 */
export interface MixEntry {
  cpuMilli: number;
  /** Milli per card (0 for a CPU-only job). */
  milli: number;
  cards: number;
  /** Accepted chips; null = any. */
  chips: string[] | null;
  weight: number;
}

export interface ShapeLike {
  cpuMilli: number;
  milli: number;
  cards: number;
  chips: string[] | null;
  /** Groups and orders shapes by chip constraint; defaults to the chips joined by '|'. */
  typeKey?: string;
}

export function typicalMix(jobs: readonly ShapeLike[], coverage = 0.95): MixEntry[] {
  const groups = new Map<string, { shape: ShapeLike; count: number }>();
  for (const j of jobs) {
    const key = `${j.cpuMilli}|${j.milli}|${j.cards}|${typeKey(j)}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { shape: j, count: 1 });
  }
  // Most popular first; equal counts go to the larger shape (cpu, milli, cards, chip list), as FGD's sort.Reverse does.
  const sorted = [...groups.values()].sort((a, b) => b.count - a.count || compareShapeDesc(a.shape, b.shape));
  const total = jobs.length;
  const out: MixEntry[] = [];
  let cum = 0;
  for (const g of sorted) {
    cum += g.count;
    out.push({ cpuMilli: g.shape.cpuMilli, milli: g.shape.milli, cards: g.shape.cards, chips: g.shape.chips, weight: g.count / total });
    if (cum / total >= coverage) break;
  }
  const covered = cum / total;
  for (const e of out) e.weight /= covered;
  return out;
}

function compareShapeDesc(a: ShapeLike, b: ShapeLike): number {
  if (a.cpuMilli !== b.cpuMilli) return b.cpuMilli - a.cpuMilli;
  if (a.milli !== b.milli) return b.milli - a.milli;
  if (a.cards !== b.cards) return b.cards - a.cards;
  const ta = typeKey(a);
  const tb = typeKey(b);
  return ta < tb ? 1 : ta > tb ? -1 : 0;
}

const typeKey = (s: ShapeLike): string => s.typeKey ?? s.chips?.join('|') ?? '';
