/**
 * `summarizeFleet`: per chip, per node group and in total: clusters, servers, cards, memory and
 * peak compute. Peak compute comes from the catalog (dense bf16, else fp16) where the catalog knows
 * it; otherwise the operator's declared figure is used and marked `declared`. Declared figures are
 * never mixed into catalog figures silently, and disagreements become warnings: the seed fleet's
 * contracts sum to 3579 P while its stated total is 3479 P, and Tessera must show both.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Figure } from '../catalog/types.js';
import type { Fleet, NodeGroupDoc } from './types.js';

export const PeakBasis = {
  catalog: 'catalog',
  declared: 'declared',
  declaredPartial: 'declared-partial',
  unknown: 'unknown',
} as const;
export type PeakBasis = (typeof PeakBasis)[keyof typeof PeakBasis];

/** Catalog and declared peaks further apart than this (relative to the declared figure) are flagged. */
export const PEAK_DISAGREEMENT_RATIO = 0.25;

export interface ChipSummary {
  chip: string;
  name: string | null;
  vendor: string | null;
  clusters: number;
  servers: number;
  cards: number;
  memoryGiBPerCard: number | null;
  memoryGiB: number | null;
  /** Catalog dense peak per card and its precision (bf16, else fp16); null when unknown. */
  catalogTflopsPerCard: number | null;
  catalogPrecision: 'bf16' | 'fp16' | null;
  catalogConfidence: string | null;
  catalogPflops: number | null;
  /** Sum of the declared PFLOPS of this chip's node groups; null when none declares one. */
  declaredPflops: number | null;
  /** The figure used for totals and where it comes from. */
  peakPflops: number | null;
  peakBasis: PeakBasis;
  /** Declared PFLOPS / cards, in TFLOPS per card (derived: the operator's accounting, not a datasheet). */
  impliedTflopsPerCard: number | null;
}

export interface GroupSummary {
  group: string;
  name: string | null;
  contract: string | null;
  cluster: string;
  chip: string;
  servers: number;
  cards: number;
  declaredPflops: number | null;
  declaredServers: number | null;
  declaredCards: number | null;
  /** True when the group has declared figures but not its card count (unicom's Zhonghao block): `cards` is derived. */
  cardsDerived: boolean;
  impliedTflopsPerCard: number | null;
  source: string | null;
  note: string | null;
}

export interface FleetSummary {
  fleet: string;
  description: string;
  source: string | null;
  clusters: number;
  servers: number;
  cards: number;
  /** Memory of the cards whose memory the catalog knows; `memoryUnknownCards` counts the rest. */
  memoryGiB: number;
  memoryUnknownCards: number;
  /** Catalog figures where known, else declared ones; `peakUnknownCards` have neither. */
  peakPflops: number;
  peakFromCatalogPflops: number;
  peakFromDeclaredPflops: number;
  peakUnknownCards: number;
  byChip: ChipSummary[];
  byGroup: GroupSummary[];
  /** The fleet-wide declared total (e.g. the report's 3479 P); null when none is declared. */
  declaredTotalPflops: number | null;
  /** The sum of the node groups' declared figures (e.g. 1945 + 984 + 450 + 200 = 3579 P). */
  sumOfDeclaredPflops: number | null;
  declaredServers: number | null;
  declaredCards: number | null;
  warnings: string[];
}

export function summarizeFleet(fleet: Fleet, catalog: Catalog): FleetSummary {
  const warnings: string[] = [];
  const groups = fleet.doc.nodeGroups;
  const byGroup = groups.map(groupSummary);

  const chipOrder: string[] = [];
  const groupsByChip = new Map<string, NodeGroupDoc[]>();
  for (const g of groups) {
    const list = groupsByChip.get(g.chip);
    if (list) list.push(g);
    else {
      groupsByChip.set(g.chip, [g]);
      chipOrder.push(g.chip);
    }
  }

  const byChip = chipOrder.map((chipId) => {
    const chipGroups = groupsByChip.get(chipId) ?? [];
    const spec = catalog.find(chipId);
    if (!spec) warnings.push(`${chipId}: not in the catalog; memory and peak compute unknown`);
    const servers = sum(chipGroups.map((g) => g.servers));
    const cards = sum(chipGroups.map((g) => g.servers * g.cardsPerServer));
    const memoryGiBPerCard = spec ? known(spec.memoryGiB) : null;
    const bf16 = spec ? known(spec.densePeak.bf16Tflops) : null;
    const fp16 = spec ? known(spec.densePeak.fp16Tflops) : null;
    const catalogTflopsPerCard = bf16 ?? fp16;
    const catalogPrecision = bf16 !== null ? 'bf16' : fp16 !== null ? 'fp16' : null;
    const figure = spec ? (bf16 !== null ? spec.densePeak.bf16Tflops : spec.densePeak.fp16Tflops) : null;
    const catalogPflops = catalogTflopsPerCard === null ? null : round((cards * catalogTflopsPerCard) / 1000);
    const declaredList = chipGroups.map((g) => g.declared?.pflops).filter((p): p is number => p !== undefined);
    const declaredPflops = declaredList.length > 0 ? round(sum(declaredList)) : null;
    const allDeclared = declaredList.length === chipGroups.length;
    let peakPflops: number | null = catalogPflops;
    let peakBasis: PeakBasis = PeakBasis.catalog;
    if (catalogPflops === null) {
      peakPflops = declaredPflops;
      peakBasis = declaredPflops === null ? PeakBasis.unknown : allDeclared ? PeakBasis.declared : PeakBasis.declaredPartial;
    }
    const declaredCards = sum(chipGroups.filter((g) => g.declared?.pflops !== undefined).map((g) => g.servers * g.cardsPerServer));
    const impliedTflopsPerCard = declaredPflops !== null && declaredCards > 0 ? round((declaredPflops * 1000) / declaredCards, 1) : null;

    if (peakBasis === PeakBasis.unknown) warnings.push(`${chipId}: no peak compute known (catalog or declared) for ${cards} cards; totals leave them out`);
    if (peakBasis === PeakBasis.declaredPartial) {
      warnings.push(`${chipId}: the catalog has no peak figure and only some node groups declare one; ${cards - declaredCards} cards are left out of the totals`);
    }
    if (catalogPflops !== null && declaredPflops !== null && allDeclared && catalogTflopsPerCard !== null && disagree(catalogPflops, declaredPflops)) {
      const implied = impliedTflopsPerCard === null ? '' : ` (implied ${impliedTflopsPerCard} TFLOPS per card, derived)`;
      const derivedNote = figure && figure.confidence !== 'unknown' && figure.confidence !== 'datasheet' ? `; the catalog figure is ${figure.confidence}` : '';
      warnings.push(
        `${chipId}: catalog peak ${cards} cards x ${catalogTflopsPerCard} TFLOPS ${catalogPrecision} = ${catalogPflops} P differs from the declared ${declaredPflops} P${implied} by ${percent(catalogPflops, declaredPflops)}; the declaration does not state its precision${derivedNote}`,
      );
    }
    return {
      chip: chipId,
      name: spec?.names.en ?? null,
      vendor: spec?.vendor ?? null,
      clusters: new Set(chipGroups.map((g) => g.cluster)).size,
      servers,
      cards,
      memoryGiBPerCard,
      memoryGiB: memoryGiBPerCard === null ? null : round(cards * memoryGiBPerCard),
      catalogTflopsPerCard,
      catalogPrecision,
      catalogConfidence: figure && figure.confidence !== 'unknown' ? figure.confidence : null,
      catalogPflops,
      declaredPflops,
      peakPflops,
      peakBasis,
      impliedTflopsPerCard,
    } satisfies ChipSummary;
  });

  const declaredGroupFigures = groups.map((g) => g.declared?.pflops).filter((p): p is number => p !== undefined);
  const sumOfDeclaredPflops = declaredGroupFigures.length > 0 ? round(sum(declaredGroupFigures)) : null;
  const declared = fleet.doc.declared;
  const declaredTotalPflops = declared?.pflops ?? null;
  if (declaredTotalPflops !== null && sumOfDeclaredPflops !== null && Math.abs(declaredTotalPflops - sumOfDeclaredPflops) >= 0.5) {
    const parts = declaredGroupFigures.join(' + ');
    warnings.unshift(
      `Declared compute disagrees: the node groups' declared figures sum to ${sumOfDeclaredPflops} P (${parts}) but the fleet's declared total is ${declaredTotalPflops} P, a difference of ${round(Math.abs(sumOfDeclaredPflops - declaredTotalPflops))} P. Both are kept; Tessera does not pick one.`,
    );
  }
  const servers = sum(groups.map((g) => g.servers));
  const cards = sum(groups.map((g) => g.servers * g.cardsPerServer));
  if (declared?.servers !== undefined && declared.servers !== servers) warnings.push(`The fleet declares ${declared.servers} servers but its node groups hold ${servers}`);
  if (declared?.cards !== undefined && declared.cards !== cards) warnings.push(`The fleet declares ${declared.cards} cards but its node groups hold ${cards}`);
  for (const g of byGroup) {
    if (g.declaredServers !== null && g.declaredServers !== g.servers) warnings.push(`${g.group}: declares ${g.declaredServers} servers but has ${g.servers}`);
    if (g.declaredCards !== null && g.declaredCards !== g.cards) warnings.push(`${g.group}: declares ${g.declaredCards} cards but has ${g.cards}`);
  }

  return {
    fleet: fleet.name,
    description: fleet.description,
    source: fleet.source,
    clusters: fleet.clusters.length,
    servers,
    cards,
    memoryGiB: round(sum(byChip.map((c) => c.memoryGiB ?? 0))),
    memoryUnknownCards: sum(byChip.filter((c) => c.memoryGiB === null).map((c) => c.cards)),
    peakPflops: round(sum(byChip.map((c) => c.peakPflops ?? 0))),
    peakFromCatalogPflops: round(sum(byChip.filter((c) => c.peakBasis === PeakBasis.catalog).map((c) => c.peakPflops ?? 0))),
    peakFromDeclaredPflops: round(sum(byChip.filter((c) => c.peakBasis !== PeakBasis.catalog).map((c) => c.peakPflops ?? 0))),
    peakUnknownCards: sum(byChip.filter((c) => c.peakBasis === PeakBasis.unknown).map((c) => c.cards)),
    byChip,
    byGroup,
    declaredTotalPflops,
    sumOfDeclaredPflops,
    declaredServers: declared?.servers ?? null,
    declaredCards: declared?.cards ?? null,
    warnings,
  };
}

function groupSummary(g: NodeGroupDoc): GroupSummary {
  const cards = g.servers * g.cardsPerServer;
  const pflops = g.declared?.pflops ?? null;
  return {
    group: g.id,
    name: g.name ?? null,
    contract: g.contract ?? null,
    cluster: g.cluster,
    chip: g.chip,
    servers: g.servers,
    cards,
    declaredPflops: pflops,
    declaredServers: g.declared?.servers ?? null,
    declaredCards: g.declared?.cards ?? null,
    cardsDerived: g.declared !== undefined && g.declared.cards === undefined,
    impliedTflopsPerCard: pflops === null ? null : round((pflops * 1000) / cards, 1),
    source: g.declared?.source ?? null,
    note: g.declared?.note ?? null,
  };
}

function known(figure: Figure): number | null {
  return figure.value === null || !Number.isFinite(figure.value) ? null : figure.value;
}

function disagree(a: number, declared: number): boolean {
  return declared > 0 ? Math.abs(a - declared) / declared > PEAK_DISAGREEMENT_RATIO : a > 0;
}

function percent(a: number, declared: number): string {
  return declared > 0 ? `${Math.round((Math.abs(a - declared) / declared) * 100)}%` : 'an unbounded ratio';
}

function sum(values: number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
