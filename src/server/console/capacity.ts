/**
 * The console's capacity read model: cards, peak PFLOPS, allocation and H20-equivalents per chip
 * and vendor, computed from the nodes that registered (what the control plane actually serves),
 * and, when it serves a built-in fleet, that fleet's declared figures beside the computed ones.
 */
import type { Catalog } from '../../catalog/catalog.js';
import { halfPrecisionPeak } from '../../catalog/index.js';
import { builtinFleetDoc, expandFleet, findBuiltinFleet, summarizeFleet, type Fleet } from '../../fleet/index.js';
import { declaredFromFleet, h20eq, workloadClasses, type H20Equivalent } from '../../perf/index.js';
import type { DeviceRecord, NodeRecord } from '../../store/index.js';
import { NodeState } from '../../store/index.js';
import type { Static } from '@sinclair/typebox';
import type { CapacitySchema, DeclaredSchema } from './schemas.js';

export type Capacity = Static<typeof CapacitySchema>;
type Declared = Static<typeof DeclaredSchema>;

const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Per-chip H20-equivalents are pure functions of the catalog and declared figures: computed once per chip. */
export class CapacityModel {
  private readonly perChip = new Map<string, H20Equivalent[]>();
  private readonly fleet: Fleet | null;
  private readonly declared: Declared | null;

  constructor(
    private readonly catalog: Catalog | null,
    fleetName: string | null,
  ) {
    this.fleet = catalog && fleetName ? loadFleet(fleetName, catalog) : null;
    this.declared = this.fleet && catalog ? declaredOf(this.fleet, catalog) : null;
  }

  private h20For(chipId: string): H20Equivalent[] {
    const hit = this.perChip.get(chipId);
    if (hit) return hit;
    const chip = this.catalog?.tryResolve(chipId);
    const decl = this.fleet ? declaredFromFleet(this.fleet).get(chipId) : undefined;
    const out = workloadClasses.map((wc): H20Equivalent => {
      if (!chip || !this.catalog) return { chip: chipId, workloadClass: wc.id, h20eq: null, perCard: null, h20PerCard: null, confidence: 'low', reason: `chip ${chipId} is not in the catalog` };
      return h20eq(this.catalog, chip, wc.id, decl);
    });
    this.perChip.set(chipId, out);
    return out;
  }

  /** Computes (and keeps) the per-chip estimates for these chips. */
  warm(chipIds: Iterable<string>): void {
    for (const id of new Set(chipIds)) this.h20For(id);
  }

  compute(nodes: NodeRecord[], devices: DeviceRecord[], nowMs: number, work: Capacity['work']): Capacity {
    const devicesByNode = new Map<string, DeviceRecord[]>();
    for (const d of devices) {
      const list = devicesByNode.get(d.nodeId);
      if (list) list.push(d);
      else devicesByNode.set(d.nodeId, [d]);
    }
    const chips = new Map<string, Capacity['byChip'][number]>();
    let utilSum = 0;
    let utilDevices = 0;
    // Agents report per-device telemetry in their heartbeat; the store keeps the latest on the node.
    for (const n of nodes) {
      const reported = (n.telemetry as { devices?: { utilPct?: unknown }[] } | null)?.devices;
      for (const d of Array.isArray(reported) ? reported : []) {
        if (typeof d.utilPct === 'number' && Number.isFinite(d.utilPct)) {
          utilSum += d.utilPct;
          utilDevices++;
        }
      }
    }
    let readyNodes = 0;
    for (const n of nodes) {
      const spec = this.catalog?.tryResolve(n.chip) ?? null;
      let row = chips.get(n.chip);
      if (!row) {
        const peak = spec ? halfPrecisionPeak(spec) : null;
        row = {
          chip: n.chip,
          vendor: spec?.vendor ?? null,
          nameEn: spec?.names.en ?? null,
          nameZh: spec?.names.zh ?? null,
          nodes: 0,
          cards: 0,
          readyCards: 0,
          unhealthyCards: 0,
          allocatedCards: 0,
          tflopsPerCard: peak?.figure.value ?? null,
          precision: peak?.precision ?? null,
          peakConfidence: peak?.figure.confidence ?? 'unknown',
          pflops: null,
        };
        chips.set(n.chip, row);
      }
      row.nodes++;
      row.cards += n.cards;
      if (n.state === NodeState.ready) {
        readyNodes++;
        row.readyCards += n.cards;
      }
      for (const d of devicesByNode.get(n.id) ?? []) {
        row.allocatedCards += d.usedMilli / 1000;
        if (!d.healthy) row.unhealthyCards++;
      }
    }
    const byChip = [...chips.values()].map((r) => ({ ...r, allocatedCards: round(r.allocatedCards), pflops: r.tflopsPerCard === null ? null : round((r.tflopsPerCard * r.cards) / 1000) }));
    byChip.sort((a, b) => b.cards - a.cards || a.chip.localeCompare(b.chip));
    const vendors = new Map<string, Capacity['byVendor'][number]>();
    for (const r of byChip) {
      const v = vendors.get(r.vendor ?? 'unknown') ?? { vendor: r.vendor ?? 'unknown', cards: 0, allocatedCards: 0, pflops: 0 };
      v.cards += r.cards;
      v.allocatedCards = round(v.allocatedCards + r.allocatedCards);
      v.pflops = round(v.pflops + (r.pflops ?? 0));
      vendors.set(v.vendor, v);
    }
    const h20 = workloadClasses.map((wc, i) => {
      let total = 0;
      let without = 0;
      let cards = 0;
      let confidence = 'high';
      const rank = { high: 3, medium: 2, low: 1 } as Record<string, number>;
      const rows = byChip.map((r) => {
        const e = this.h20For(r.chip)[i]!;
        cards += r.cards;
        if (e.h20eq === null) {
          without += r.cards;
          confidence = 'low';
          return { chip: r.chip, cards: r.cards, h20eqPerCard: null, total: null, confidence: 'low', ...(e.reason ? { reason: e.reason } : {}) };
        }
        total += e.h20eq * r.cards;
        if ((rank[e.confidence] ?? 0) < (rank[confidence] ?? 0)) confidence = e.confidence;
        return { chip: r.chip, cards: r.cards, h20eqPerCard: e.h20eq, total: round(e.h20eq * r.cards, 1), confidence: e.confidence };
      });
      return { workloadClass: wc.id, task: wc.task, description: wc.description, h20eq: round(total, 1), cards, cardsWithoutEstimate: without, confidence, byChip: rows };
    });
    return {
      atMs: nowMs,
      fleet: this.fleet?.name ?? null,
      totals: {
        nodes: nodes.length,
        readyNodes,
        cards: byChip.reduce((s, r) => s + r.cards, 0),
        allocatedCards: round(byChip.reduce((s, r) => s + r.allocatedCards, 0)),
        unhealthyCards: byChip.reduce((s, r) => s + r.unhealthyCards, 0),
        pflops: round(byChip.reduce((s, r) => s + (r.pflops ?? 0), 0)),
        pflopsUnknownCards: byChip.filter((r) => r.pflops === null).reduce((s, r) => s + r.cards, 0),
        utilPct: utilDevices > 0 ? round(utilSum / utilDevices, 1) : null,
        utilReportingDevices: utilDevices,
      },
      work,
      byChip,
      byVendor: [...vendors.values()].sort((a, b) => b.cards - a.cards),
      h20eq: h20,
      declared: this.declared,
    };
  }
}

function loadFleet(name: string, catalog: Catalog): Fleet | null {
  const entry = findBuiltinFleet(name);
  if (!entry || entry.kind !== 'data') return null;
  return expandFleet(builtinFleetDoc(name, catalog));
}

/** The operator's declared totals beside the computed ones (unicom-2025: 3479 P stated, 3579 P summed). */
function declaredOf(fleet: Fleet, catalog: Catalog): Declared | null {
  const s = summarizeFleet(fleet, catalog);
  if (s.declaredTotalPflops === null && s.sumOfDeclaredPflops === null) return null;
  const catalogPerChip = new Map(s.byChip.map((c) => [c.chip, c.catalogTflopsPerCard]));
  return {
    fleet: s.fleet,
    source: s.source,
    declaredTotalPflops: s.declaredTotalPflops,
    sumOfDeclaredPflops: s.sumOfDeclaredPflops,
    computedPflops: s.peakPflops,
    peakFromCatalogPflops: s.peakFromCatalogPflops,
    peakFromDeclaredPflops: s.peakFromDeclaredPflops,
    peakUnknownCards: s.peakUnknownCards,
    declaredCards: s.declaredCards,
    cards: s.cards,
    warnings: s.warnings,
    groups: s.byGroup.map((g) => {
      const per = catalogPerChip.get(g.chip) ?? null;
      return { group: g.group, name: g.name, chip: g.chip, cards: g.cards, cardsDerived: g.cardsDerived, declaredPflops: g.declaredPflops, impliedTflopsPerCard: g.impliedTflopsPerCard, catalogPflops: per === null ? null : round((per * g.cards) / 1000), source: g.source };
    }),
  };
}
