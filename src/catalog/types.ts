/**
 * Domain types of the chip catalog. Every figure keeps its provenance: a source key
 * (as used in ../shared/reference/chips.md, section 7) and a confidence. Unknown stays unknown:
 * a missing figure is `{ value: null, confidence: 'unknown' }`, never 0 and never a guess.
 *
 * Confidence levels: `datasheet` (the vendor's own specification), `press` (media, analysts,
 * aggregators, vendor claims repeated by media), `derived` (computed from other sourced numbers;
 * the note shows the arithmetic), `declared` (what a management tool or an operator states about
 * real hardware, e.g. the capacity `npu-smi` printed), `unknown` (not found; value null).
 */
export const Confidence = {
  datasheet: 'datasheet',
  press: 'press',
  derived: 'derived',
  declared: 'declared',
  unknown: 'unknown',
} as const;
export type Confidence = (typeof Confidence)[keyof typeof Confidence];

/** A value somebody published, with who said it. */
export interface KnownFigure {
  value: number;
  /** Source key(s) from chips.md section 7, e.g. "N1" or "N1,N2". */
  source: string;
  confidence: Exclude<Confidence, 'unknown'>;
  /** How a derived figure was computed, or a caveat. */
  note?: string;
}

export interface UnknownFigure {
  value: null;
  confidence: 'unknown';
  note?: string;
}

/**
 * A figure: known (with source) or unknown. When sources disagree, `value` is the primary
 * and `alternatives` keeps the others; `primaryReason` says why the primary was chosen.
 */
export type Figure = (KnownFigure & { alternatives?: KnownFigure[]; primaryReason?: string }) | UnknownFigure;

export const Vendor = {
  nvidia: 'nvidia',
  thead: 'thead',
  huawei: 'huawei',
  biren: 'biren',
  metax: 'metax',
  mthreads: 'mthreads',
  enflame: 'enflame',
  zhonghao: 'zhonghao',
  tecorigin: 'tecorigin',
  cambricon: 'cambricon',
  hygon: 'hygon',
  kunlunxin: 'kunlunxin',
  iluvatar: 'iluvatar',
  alibaba: 'alibaba',
} as const;
export type Vendor = (typeof Vendor)[keyof typeof Vendor];

/** Software stacks a job can name an image or environment for. */
export const SoftwareStack = {
  cuda: 'cuda',
  sail: 'sail',
  cann: 'cann',
  supa: 'supa',
  maca: 'maca',
  musa: 'musa',
  topsrider: 'topsrider',
  neuware: 'neuware',
  dtk: 'dtk',
  xpu: 'xpu',
  corex: 'corex',
  sdaa: 'sdaa',
  taize: 'taize',
  unknown: 'unknown',
} as const;
export type SoftwareStack = (typeof SoftwareStack)[keyof typeof SoftwareStack];

export const Precision = {
  fp32: 'fp32',
  tf32: 'tf32',
  bf16: 'bf16',
  fp16: 'fp16',
  fp8: 'fp8',
  int8: 'int8',
} as const;
export type Precision = (typeof Precision)[keyof typeof Precision];

/** Dense peak per precision (no sparsity). int8 is in TOPS, the rest in TFLOPS. */
export interface DensePeak {
  fp32Tflops: Figure;
  tf32Tflops: Figure;
  bf16Tflops: Figure;
  fp16Tflops: Figure;
  fp8Tflops: Figure;
  int8Tops: Figure;
}

export interface Price {
  kind: 'rent' | 'purchase';
  /** Rent: CNY per card-hour. */
  cnyPerHour?: number;
  /** Purchase: CNY per card. */
  cny?: number;
  source: string;
  confidence: Exclude<Confidence, 'unknown'>;
  note?: string;
}

/** The figure paths of a chip record that the validator and the comparison walk. */
export const FigurePaths = [
  'memoryGiB',
  'memBandwidthGBps',
  'densePeak.fp32Tflops',
  'densePeak.tf32Tflops',
  'densePeak.bf16Tflops',
  'densePeak.fp16Tflops',
  'densePeak.fp8Tflops',
  'densePeak.int8Tops',
  'cardLink.bandwidthGBps',
  'hostLink.bandwidthGBps',
  'tdpW',
  'cardsPerServer',
] as const;
export type FigurePath = (typeof FigurePaths)[number];

/**
 * A chip record. `memoryGiB` is the vendor's nominal capacity (the "96 GB" of a datasheet, which
 * HBM vendors count in binary units); capacities a tool reported on real hosts go in `notes`.
 */
export interface ChipSpec {
  /** Stable kebab-case id, e.g. `nvidia-h20`, `ascend-910b`, `thead-ppu`. */
  id: string;
  vendor: Vendor;
  names: { en: string; zh: string };
  /** Short names that resolve to this chip (`ppu`, `910b`, `br104p`). Lower-case. */
  aliases: string[];
  /** True for cards known only as trace codes (openb's G1) or otherwise undisclosed. */
  undisclosed?: boolean;
  /**
   * How many devices one card shows to the operating system and its SMI tool (MLU370-X8: 2 chips,
   * BI-V150: 2 GPUs, K80: 2 GPUs). Absent means 1. Figures are per card; per device, divide.
   */
  devicesPerCard?: number;
  memoryGiB: Figure;
  memoryType: string | null;
  memBandwidthGBps: Figure;
  densePeak: DensePeak;
  /** Card-to-card interconnect (NVLink, HCCS, ICN, MetaXLink, ...). */
  cardLink: { name: string | null; bandwidthGBps: Figure };
  /** Host link, e.g. "PCIe 5.0 x16". */
  hostLink: { name: string | null; bandwidthGBps: Figure };
  tdpW: Figure;
  formFactor: string | null;
  cardsPerServer: Figure;
  software: {
    stack: SoftwareStack;
    /** The vendor's management tool (`npu-smi`), or null when none is known. */
    smiTool: string | null;
    /** Kubernetes extended resource names, primary first. */
    k8sResources: string[];
    /** Process-level visibility variables, primary first (`ASCEND_RT_VISIBLE_DEVICES`). */
    visibilityEnv: string[];
    /** Container-runtime-level visibility variables (`ASCEND_VISIBLE_DEVICES`). */
    runtimeEnv: string[];
    /** Device node patterns with `N` for the index (`/dev/davinciN`). */
    devicePaths: string[];
  };
  prices: Price[];
  notes: string[];
}

/** A source key with what it is (chips.md section 7). */
export interface SourceRef {
  key: string;
  description: string;
}
