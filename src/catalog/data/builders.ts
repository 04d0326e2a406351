/**
 * Small helpers that keep the data modules readable. They only build plain objects: the records
 * stay raw (`unknown[]`) and are validated at load like any user file, so a mistake here is
 * reported with file, record id and field rather than trusted.
 */

type Known = 'datasheet' | 'press' | 'derived' | 'declared';

export interface RawFigure {
  value: number | null;
  source?: string;
  confidence: Known | 'unknown';
  note?: string;
  alternatives?: RawFigure[];
  primaryReason?: string;
}

/** A known figure: value, source key(s) from sources.ts, confidence, optional note. */
export function k(value: number, source: string, confidence: Known, note?: string): RawFigure {
  return { value, source, confidence, ...(note !== undefined ? { note } : {}) };
}

/** An unknown figure ("n/f" in chips.md); the note may say what is known around it. */
export function u(note?: string): RawFigure {
  return { value: null, confidence: 'unknown', ...(note !== undefined ? { note } : {}) };
}

/** A figure on which sources disagree: the primary, the others, and why the primary. */
export function conflict(primary: RawFigure, alternatives: RawFigure[], primaryReason: string): RawFigure {
  return { ...primary, alternatives, primaryReason };
}

export interface RawPeak {
  fp32Tflops?: RawFigure;
  tf32Tflops?: RawFigure;
  bf16Tflops?: RawFigure;
  fp16Tflops?: RawFigure;
  fp8Tflops?: RawFigure;
  int8Tops?: RawFigure;
}

/** Dense peaks; precisions not given are unknown. */
export function peak(p: RawPeak): Required<RawPeak> {
  return {
    fp32Tflops: p.fp32Tflops ?? u(),
    tf32Tflops: p.tf32Tflops ?? u(),
    bf16Tflops: p.bf16Tflops ?? u(),
    fp16Tflops: p.fp16Tflops ?? u(),
    fp8Tflops: p.fp8Tflops ?? u(),
    int8Tops: p.int8Tops ?? u(),
  };
}

export function link(name: string | null, bandwidthGBps: RawFigure = u()): { name: string | null; bandwidthGBps: RawFigure } {
  return { name, bandwidthGBps };
}

export interface RawSoftware {
  stack: string;
  smiTool: string | null;
  k8sResources: string[];
  visibilityEnv: string[];
  runtimeEnv: string[];
  devicePaths: string[];
}
