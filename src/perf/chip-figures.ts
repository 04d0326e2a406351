/**
 * The chip figures an estimate needs, resolved from the catalog record, an operator declaration
 * or the efficiency profile, each with its origin. Unknown stays unknown (null): callers turn a
 * missing figure they need into an explicit `cannot-estimate` result.
 */
import type { ChipSpec, Figure } from '../catalog/types.js';
import { efficiencyFor, type EfficiencyProfile, type SourcedValue } from './data/efficiency.js';
import type { Assumption, DeclaredChipFigures, FigureOrigin, PerfPrecision } from './types.js';

export interface Resolved {
  value: number | null;
  origin: FigureOrigin;
  source?: string;
  note?: string;
}

export interface ChipFigures {
  chipId: string;
  profile: EfficiencyProfile;
  /** Dense 16-bit peak (bf16, else fp16), TFLOPS. */
  peak16Tflops: Resolved;
  fp8Tflops: Resolved;
  memBandwidthGBps: Resolved;
  memoryGiB: Resolved;
  cardLinkGBps: Resolved;
  networkGBpsPerCard: Resolved;
  powerW: Resolved;
  /** CNY per card-hour (rent, or purchase amortised); null when no price is known. */
  cnyPerHour: Resolved;
  cardsPerServer: Resolved;
}

const AMORTISATION_HOURS = 3 * 365 * 24;

function fromFigure(f: Figure | undefined): Resolved {
  if (!f || f.value === null) return { value: null, origin: 'unknown', ...(f?.note ? { note: f.note } : {}) };
  return { value: f.value, origin: f.confidence, source: f.source, ...(f.note ? { note: f.note } : {}) };
}

/** A declaration fills a figure the catalog does not know; it never replaces a published one. */
function declaredOr(declared: number | undefined, d: DeclaredChipFigures | undefined, fallback: Resolved, onlyWhenUnknown = true): Resolved {
  if (declared === undefined || !(declared > 0)) return fallback;
  if (onlyWhenUnknown && fallback.value !== null) return fallback;
  return { value: declared, origin: 'declared', source: d?.source ?? 'operator declaration' };
}

const memo = new WeakMap<ChipSpec, ChipFigures>();

export function chipFigures(chip: ChipSpec, declared?: DeclaredChipFigures): ChipFigures {
  if (!declared) {
    const hit = memo.get(chip);
    if (hit) return hit;
  }
  const profile = efficiencyFor(chip.id, chip.software.stack);
  const bf16 = fromFigure(chip.densePeak.bf16Tflops);
  const fp16 = fromFigure(chip.densePeak.fp16Tflops);
  const peak16Catalog = bf16.value !== null ? bf16 : fp16.value !== null ? { ...fp16, note: 'bf16 unknown; fp16 peak used' } : bf16;
  const price = chip.prices.find((x) => x.kind === 'rent' && x.cnyPerHour !== undefined) ?? chip.prices.find((x) => x.kind === 'purchase' && x.cny !== undefined);
  let cnyPerHour: Resolved = { value: null, origin: 'unknown' };
  if (price?.kind === 'rent' && price.cnyPerHour !== undefined) cnyPerHour = { value: price.cnyPerHour, origin: price.confidence, source: price.source };
  else if (price?.kind === 'purchase' && price.cny !== undefined) {
    cnyPerHour = { value: price.cny / AMORTISATION_HOURS, origin: 'derived', source: price.source, note: 'purchase price amortised over 3 years of continuous use' };
  }
  const cps = fromFigure(chip.cardsPerServer);
  const figures: ChipFigures = {
    chipId: chip.id,
    profile,
    peak16Tflops: declaredOr(declared?.bf16Tflops, declared, peak16Catalog),
    fp8Tflops: declaredOr(declared?.fp8Tflops, declared, fromFigure(chip.densePeak.fp8Tflops)),
    memBandwidthGBps: declaredOr(declared?.memBandwidthGBps, declared, fromFigure(chip.memBandwidthGBps)),
    memoryGiB: declaredOr(declared?.memoryGiB, declared, fromFigure(chip.memoryGiB)),
    cardLinkGBps: declaredOr(declared?.cardLinkGBps, declared, fromFigure(chip.cardLink.bandwidthGBps)),
    networkGBpsPerCard: declaredOr(declared?.networkGBpsPerCard, declared, { value: profile.networkGBpsPerCard.value, origin: profile.networkGBpsPerCard.origin, source: profile.networkGBpsPerCard.source }, false),
    powerW: declaredOr(declared?.powerW, declared, fromFigure(chip.tdpW)),
    cnyPerHour: declaredOr(declared?.priceCnyPerHour, declared, cnyPerHour, false),
    cardsPerServer: cps.value !== null ? cps : { value: 8, origin: 'assumed', note: 'cards per server unknown; 8 assumed' },
  };
  if (!declared) memo.set(chip, figures);
  return figures;
}

/** Peak TFLOPS for the math precision; weight-only int8/int4 compute in 16-bit. */
export function computePeak(f: ChipFigures, precision: PerfPrecision): Resolved {
  return precision === 'fp8' ? f.fp8Tflops : f.peak16Tflops;
}

export function figureAssumption(name: string, r: Resolved, unit: string): Assumption {
  return { name, value: r.value, unit, origin: r.origin, ...(r.source ? { source: r.source } : {}), ...(r.note ? { note: r.note } : {}) };
}

export function profileAssumption(name: string, v: SourcedValue, unit: string, profileId: string): Assumption {
  return { name, value: v.value, unit, origin: v.origin, source: `efficiency profile ${profileId}: ${v.source}`, ...(v.note ? { note: v.note } : {}) };
}
