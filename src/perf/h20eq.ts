/**
 * H20-equivalents and the throughput matrix. "How many H20s is one card of X worth" only makes
 * sense per kind of work (an H20 is weak at dense compute and strong at memory bandwidth), so every
 * figure here is per workload class (`data/workload-classes.ts`).
 */
import type { Catalog } from '../catalog/catalog.js';
import type { ChipSpec } from '../catalog/types.js';
import type { Fleet } from '../fleet/types.js';
import { notFound } from '../lib/errors.js';
import { resolveModel } from '../workload/models/resolve.js';
import { findWorkloadClass, workloadClasses, type WorkloadClass } from './data/workload-classes.js';
import { bestInfer, bestTrain } from './search.js';
import type { DeclaredChipFigures, EstimateConfidence } from './types.js';
import { round } from './validate-input.js';

export const H20_ID = 'nvidia-h20';

export interface ClassThroughput {
  chip: string;
  workloadClass: string;
  /** Tokens/s per card (training) or output tokens/s per card (inference); null when it cannot be estimated or does not fit. */
  perCard: number | null;
  unit: 'tokens/s/card' | 'output tokens/s/card';
  confidence: EstimateConfidence;
  /** Why there is no number, or what limited it. */
  reason?: string;
  layout?: string;
}

export interface H20Equivalent {
  chip: string;
  workloadClass: string;
  /** One card of `chip` is worth this many H20 cards for this class; null when either side has no estimate. */
  h20eq: number | null;
  perCard: number | null;
  h20PerCard: number | null;
  confidence: EstimateConfidence;
  reason?: string;
}

const rank: Record<EstimateConfidence, number> = { high: 2, medium: 1, low: 0 };
export function minConfidence(a: EstimateConfidence, b: EstimateConfidence): EstimateConfidence {
  return rank[a] <= rank[b] ? a : b;
}

export function resolveClass(id: string): WorkloadClass {
  const c = findWorkloadClass(id);
  if (!c) throw notFound(`Unknown workload class "${id}". Classes: ${workloadClasses.map((x) => x.id).join(', ')}.`, { workloadClass: id });
  return c;
}

/** Throughput per card of one chip for one class, at the best layout on the class's card count. */
export function classThroughput(chip: ChipSpec, wc: WorkloadClass, declared?: DeclaredChipFigures): ClassThroughput {
  const lean = { explain: false };
  const model = resolveModel(wc.model);
  if (wc.task === 'train') {
    const r = bestTrain({ model, chip, cards: wc.cards, seqLen: wc.seqLen, globalBatchTokens: wc.globalBatchTokens, precision: wc.precision, method: wc.method, ...(wc.loraRank ? { loraRank: wc.loraRank } : {}), ...(declared ? { declared } : {}) }, lean);
    if (r.kind === 'train') return { chip: chip.id, workloadClass: wc.id, perCard: r.tokensPerSecPerCard, unit: 'tokens/s/card', confidence: r.confidence, layout: `tp${r.layout.tp} pp${r.layout.pp} dp${r.layout.dp}` };
    return { chip: chip.id, workloadClass: wc.id, perCard: null, unit: 'tokens/s/card', confidence: 'low', reason: r.reason };
  }
  const r = bestInfer({ model, chip, cards: wc.cards, precision: wc.precision, inputTokens: wc.inputTokens, outputTokens: wc.outputTokens, ...(wc.ttftMs ? { ttftMs: wc.ttftMs } : {}), ...(wc.tpotMs ? { tpotMs: wc.tpotMs } : {}), ...(declared ? { declared } : {}) }, lean);
  if (r.kind === 'inference') return { chip: chip.id, workloadClass: wc.id, perCard: r.outputTokensPerSecPerCard, unit: 'output tokens/s/card', confidence: r.confidence, layout: `tp${r.layout.tp} pp${r.layout.pp} x${r.layout.replicas}, batch ${r.batch}` };
  return { chip: chip.id, workloadClass: wc.id, perCard: null, unit: 'output tokens/s/card', confidence: 'low', reason: r.reason };
}

/** How many H20 cards one card of `chip` is worth for `workloadClass`. */
export function h20eq(catalog: Catalog, chip: ChipSpec | string, workloadClass: string, declared?: DeclaredChipFigures): H20Equivalent {
  const c = typeof chip === 'string' ? catalog.resolve(chip) : chip;
  const wc = resolveClass(workloadClass);
  const mine = classThroughput(c, wc, declared);
  const base = classThroughput(catalog.get(H20_ID), wc);
  const confidence = minConfidence(mine.confidence, base.confidence);
  if (mine.perCard === null || base.perCard === null || base.perCard <= 0) {
    const reason = mine.perCard === null ? `${c.id}: ${mine.reason ?? 'no estimate'}` : `H20: ${base.reason ?? 'no estimate'}`;
    return { chip: c.id, workloadClass: wc.id, h20eq: null, perCard: mine.perCard, h20PerCard: base.perCard, confidence: 'low', reason };
  }
  return { chip: c.id, workloadClass: wc.id, h20eq: round(mine.perCard / base.perCard, 4), perCard: mine.perCard, h20PerCard: base.perCard, confidence };
}

export interface FleetH20Eq {
  workloadClass: string;
  /** Sum over the fleet's cards of their H20-equivalents; cards without an estimate are left out and listed. */
  h20eq: number;
  cards: number;
  cardsWithoutEstimate: number;
  byChip: { chip: string; cards: number; h20eqPerCard: number | null; total: number | null; confidence: EstimateConfidence; reason?: string }[];
  confidence: EstimateConfidence;
}

/**
 * Declared per-card compute derived from a fleet's node groups: a group that declares PFLOPS and
 * cards (a contract) gives `pflops * 1000 / cards` TFLOPS per card, used only where the catalog
 * lacks a figure.
 */
export function declaredFromFleet(fleet: Fleet): Map<string, DeclaredChipFigures> {
  const out = new Map<string, DeclaredChipFigures>();
  for (const g of fleet.doc.nodeGroups) {
    const d = g.declared;
    const cards = d?.cards ?? g.servers * g.cardsPerServer;
    if (d?.pflops && cards > 0 && !out.has(g.chip)) out.set(g.chip, { bf16Tflops: (d.pflops * 1000) / cards, source: `fleet ${fleet.name}, group ${g.id}: ${d.source ?? 'declared'} (${d.pflops} PFLOPS over ${cards} cards; precision not stated)` });
  }
  return out;
}

/** A fleet's capacity in H20-equivalents, per class. `declared` overrides per chip id (else derived from the fleet's contracts). */
export function fleetH20eq(fleet: Fleet, catalog: Catalog, declared?: Map<string, DeclaredChipFigures>, classes: readonly string[] = workloadClasses.map((c) => c.id)): FleetH20Eq[] {
  const decl = declared ?? declaredFromFleet(fleet);
  const cardsByChip = new Map<string, number>();
  for (const n of fleet.nodes) cardsByChip.set(n.chip, (cardsByChip.get(n.chip) ?? 0) + n.cards);
  return classes.map((cls) => {
    let total = 0;
    let cards = 0;
    let without = 0;
    let confidence: EstimateConfidence = 'high';
    const byChip: FleetH20Eq['byChip'] = [];
    for (const [chipId, n] of cardsByChip) {
      cards += n;
      const chip = catalog.tryResolve(chipId);
      if (!chip) {
        without += n;
        byChip.push({ chip: chipId, cards: n, h20eqPerCard: null, total: null, confidence: 'low', reason: `chip ${chipId} is not in the catalog` });
        continue;
      }
      const e = h20eq(catalog, chip, cls, decl.get(chip.id));
      if (e.h20eq === null) {
        without += n;
        byChip.push({ chip: chip.id, cards: n, h20eqPerCard: null, total: null, confidence: 'low', ...(e.reason ? { reason: e.reason } : {}) });
        continue;
      }
      total += e.h20eq * n;
      confidence = minConfidence(confidence, e.confidence);
      byChip.push({ chip: chip.id, cards: n, h20eqPerCard: e.h20eq, total: round(e.h20eq * n, 5), confidence: e.confidence });
    }
    if (without > 0) confidence = minConfidence(confidence, 'low');
    return { workloadClass: cls, h20eq: round(total, 6), cards, cardsWithoutEstimate: without, byChip, confidence };
  });
}

export interface ThroughputMatrix {
  classes: string[];
  chips: string[];
  unit: Record<string, string>;
  /** cells[i][j]: class i on chip j. */
  cells: ClassThroughput[][];
}

/** The throughput matrix (workload class x chip), as the scheduler and planner consume it (cf. Gavel). */
export function matrix(classes: readonly string[], chips: readonly ChipSpec[], declaredFor: (chip: ChipSpec) => DeclaredChipFigures | undefined = () => undefined): ThroughputMatrix {
  const wcs = classes.map(resolveClass);
  const cells = wcs.map((wc) => chips.map((chip) => classThroughput(chip, wc, declaredFor(chip))));
  return { classes: wcs.map((c) => c.id), chips: chips.map((c) => c.id), unit: Object.fromEntries(wcs.map((c) => [c.id, c.task === 'train' ? 'tokens/s/card' : 'output tokens/s/card'])), cells };
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV: one row per class, one column per chip; empty cells where there is no estimate. */
export function matrixToCsv(m: ThroughputMatrix): string {
  const lines = [['class', 'unit', ...m.chips].map(csvCell).join(',')];
  m.cells.forEach((row, i) => {
    const cls = m.classes[i] ?? '';
    lines.push([cls, m.unit[cls] ?? '', ...row.map((c) => (c.perCard === null ? '' : String(c.perCard)))].map(csvCell).join(','));
  });
  return `${lines.join('\n')}\n`;
}
