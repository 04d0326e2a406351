/**
 * Time of one transformer layer's linear projections (q/k/v, output, gate+up, down) for a number
 * of tokens on one card of a TP group: the roofline with the profile's single-GEMM efficiency.
 * Used to validate against measured per-layer timings (vidur's profiles) and to explain prefill.
 */
import type { ChipSpec } from '../catalog/types.js';
import type { ModelSpec } from '../workload/models/types.js';
import { chipFigures } from './chip-figures.js';
import { positiveInt } from './validate-input.js';

export interface LinearLayerTime {
  ms: number;
  computeMs: number;
  memoryMs: number;
}

/** Returns null when the chip's peak or memory bandwidth is unknown. */
export function linearLayerTime(model: ModelSpec, chip: ChipSpec, tp: number, tokens: number, weightBytes = 2): LinearLayerTime | null {
  positiveInt('tp', tp);
  positiveInt('tokens', tokens);
  const f = chipFigures(chip);
  const peak = f.peak16Tflops.value;
  const bw = f.memBandwidthGBps.value;
  if (peak === null || bw === null) return null;
  const h = model.hiddenSize;
  const q = model.heads * model.headDim;
  const kv = model.kvHeads * model.headDim;
  const params = (h * (q + 2 * kv) + q * h + 3 * h * model.intermediateSize) / tp;
  const computeMs = ((2 * params * tokens) / (peak * 1e12 * f.profile.gemmCompute.value)) * 1e3;
  const memoryMs = (((params + (tokens * (2 * h + q + 2 * kv + 3 * model.intermediateSize)) / tp) * weightBytes) / (bw * 1e9 * f.profile.memBandwidth.value)) * 1e3;
  return { ms: Math.max(computeMs, memoryMs), computeMs, memoryMs };
}
