/**
 * The side-by-side comparison the CCTV report showed (seed-facts.md section 3): one column per
 * card, one row per headline figure, each numeric cell also as a ratio to a baseline card
 * (the H20 by default). Unknown stays unknown: an unknown cell, or a ratio against an unknown,
 * says "unknown" and never becomes 0 or NaN. Conflicting published values are kept and shown.
 */
import { invalid } from '../lib/errors.js';
import type { Catalog } from './catalog.js';
import { halfPrecisionPeak } from './figures.js';
import type { ChipSpec, Confidence, Figure } from './types.js';

export const CompareRowKey = {
  memory: 'memory',
  memBandwidth: 'memBandwidth',
  halfPrecision: 'halfPrecision',
  int8: 'int8',
  cardLink: 'cardLink',
  power: 'power',
} as const;
export type CompareRowKey = (typeof CompareRowKey)[keyof typeof CompareRowKey];

export interface CompareAlternative {
  value: number;
  source: string;
  confidence: Exclude<Confidence, 'unknown'>;
}

export interface CompareCell {
  chipId: string;
  value: number | null;
  /** The cell as printed: "96 GiB HBM3", "400 W (alt. 550 W)", "unknown". */
  text: string;
  source: string | null;
  confidence: Confidence;
  note?: string;
  /** Which figure fed the cell when a row merges two (`bf16` or `fp16`), or the link's name. */
  detail?: string;
  alternatives: CompareAlternative[];
  primaryReason?: string;
  /** value / baseline's value; null when either is unknown. */
  ratio: number | null;
  /** "1.00x", or "unknown". */
  ratioText: string;
}

export interface CompareRow {
  key: CompareRowKey;
  label: string;
  unit: string;
  cells: CompareCell[];
}

export interface Comparison {
  baselineId: string;
  /** The columns; `hostLink` is the host interface the CCTV table also listed (PCIe 5.0 x16, ...). */
  chips: { id: string; en: string; zh: string; undisclosed: boolean; hostLink: string | null }[];
  rows: CompareRow[];
  /** One sentence per conflicting figure: the primary, the alternatives, their sources. */
  conflicts: string[];
}

/** Integers as they are; other values with at most one decimal (118.7, 1.5). */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Math.round(value * 10) / 10);
}

export function formatRatio(ratio: number | null): string {
  return ratio === null ? 'unknown' : `${ratio.toFixed(2)}x`;
}

interface Picked {
  figure: Figure;
  detail?: string;
}

interface RowDef {
  key: CompareRowKey;
  label: string;
  unit: string;
  pick: (chip: ChipSpec) => Picked;
  suffix?: (chip: ChipSpec) => string;
}

/** bf16 where the chip publishes it, else fp16: the CCTV row was "FP16/BF16". */
function halfPrecision(chip: ChipSpec): Picked {
  const { figure, precision } = halfPrecisionPeak(chip);
  return { figure, ...(precision ? { detail: precision } : {}) };
}

const rowDefs: RowDef[] = [
  { key: 'memory', label: 'Memory', unit: 'GiB', pick: (c) => ({ figure: c.memoryGiB }), suffix: (c) => (c.memoryType ? ` ${c.memoryType}` : '') },
  { key: 'memBandwidth', label: 'Memory bandwidth', unit: 'GB/s', pick: (c) => ({ figure: c.memBandwidthGBps }) },
  { key: 'halfPrecision', label: 'BF16/FP16 dense peak', unit: 'TFLOPS', pick: halfPrecision },
  { key: 'int8', label: 'INT8 dense peak', unit: 'TOPS', pick: (c) => ({ figure: c.densePeak.int8Tops }) },
  {
    key: 'cardLink',
    label: 'Card-to-card bandwidth',
    unit: 'GB/s',
    pick: (c) => ({ figure: c.cardLink.bandwidthGBps, ...(c.cardLink.name ? { detail: c.cardLink.name } : {}) }),
  },
  { key: 'power', label: 'Power (TDP)', unit: 'W', pick: (c) => ({ figure: c.tdpW }) },
];

function cell(chip: ChipSpec, def: RowDef, baseline: ChipSpec): CompareCell {
  const { figure, detail } = def.pick(chip);
  const base = def.pick(baseline).figure;
  if (figure.value === null) {
    return {
      chipId: chip.id,
      value: null,
      text: 'unknown',
      source: null,
      confidence: 'unknown',
      ...(figure.note ? { note: figure.note } : {}),
      alternatives: [],
      ratio: null,
      ratioText: 'unknown',
    };
  }
  const alternatives = (figure.alternatives ?? []).map((a) => ({ value: a.value, source: a.source, confidence: a.confidence }));
  const unit = def.unit === 'GiB' ? ' GiB' : ` ${def.unit}`;
  const alt = alternatives.length > 0 ? ` (alt. ${alternatives.map((a) => `${formatNumber(a.value)}${def.unit === 'GiB' ? ' GiB' : ` ${def.unit}`}`).join(', ')})` : '';
  const ratio = base.value === null ? null : figure.value / base.value;
  return {
    chipId: chip.id,
    value: figure.value,
    text: `${formatNumber(figure.value)}${unit}${def.suffix?.(chip) ?? ''}${alt}`,
    source: figure.source,
    confidence: figure.confidence,
    ...(figure.note ? { note: figure.note } : {}),
    ...(detail ? { detail } : {}),
    alternatives,
    ...(figure.primaryReason ? { primaryReason: figure.primaryReason } : {}),
    ratio,
    ratioText: formatRatio(ratio),
  };
}

/**
 * Compares `ids` (ids or aliases, resolved through the catalog; duplicates collapse) against
 * `baselineId`. The baseline need not be among the columns.
 */
export function compareChips(catalog: Catalog, ids: readonly string[], baselineId = 'nvidia-h20'): Comparison {
  if (ids.length === 0) throw invalid('Name at least one chip to compare, e.g. `ppu a800 h20 910b br104`.');
  const baseline = catalog.resolve(baselineId);
  const chips: ChipSpec[] = [];
  for (const name of ids) {
    const chip = catalog.resolve(name);
    if (!chips.includes(chip)) chips.push(chip);
  }
  const rows = rowDefs.map((def) => ({ key: def.key, label: def.label, unit: def.unit, cells: chips.map((c) => cell(c, def, baseline)) }));
  const conflicts: string[] = [];
  for (const row of rows) {
    for (const c of row.cells) {
      if (c.alternatives.length === 0 || c.value === null) continue;
      const others = c.alternatives.map((a) => `${formatNumber(a.value)} ${row.unit} (${a.source}, ${a.confidence})`).join('; ');
      conflicts.push(
        `${c.chipId} ${row.label.toLowerCase()}: ${formatNumber(c.value)} ${row.unit} (${c.source ?? ''}, ${c.confidence}) is the primary; also published: ${others}.${c.primaryReason ? ` Why: ${c.primaryReason}` : ''}`,
      );
    }
  }
  return {
    baselineId: baseline.id,
    chips: chips.map((c) => ({ id: c.id, en: c.names.en, zh: c.names.zh, undisclosed: c.undisclosed === true, hostLink: c.hostLink.name })),
    rows,
    conflicts,
  };
}
