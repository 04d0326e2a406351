import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../catalog/index.js';
import { estimateInfer } from '../../perf/infer.js';
import { resolveModel } from '../../workload/models/index.js';
import { perfTiming } from './perf-timing.js';

describe('perf timing', () => {
  const model = resolveModel('llama-3.1-8b');
  const chip = builtinCatalog().get('nvidia-h20');

  it('paces decode steps by the performance model at each batch size', () => {
    const t = perfTiming(model, chip, { inputTokens: 512, outputTokens: 128 });
    const at = (b: number): number => {
      const e = estimateInfer({ model, chip, cards: 1, tp: 1, inputTokens: 512, outputTokens: 128, batch: b });
      if (e.kind !== 'inference') throw new Error(e.reason);
      return e.tpotMs;
    };
    expect(t.decodeStepMs(1)).toBeCloseTo(at(1), 6);
    expect(t.decodeStepMs(8)).toBeCloseTo(at(8), 6);
    // Between table points (4 and 8) the step is interpolated: strictly between the two.
    expect(t.decodeStepMs(6)).toBeGreaterThan(at(4));
    expect(t.decodeStepMs(6)).toBeLessThan(at(8));
    expect(t.maxBatch).toBeGreaterThan(1);
    expect(t.kvCapacityTokens).toBeGreaterThanOrEqual(t.maxBatch * 640);
    expect(t.source).toContain('perf: llama-3.1-8b on nvidia-h20');
  });

  it('refuses, naming the missing figure, when the model cannot time the chip', () => {
    const unknown = builtinCatalog().chips.find((c) => c.memBandwidthGBps.value === null);
    expect(unknown).toBeDefined();
    expect(() => perfTiming(model, unknown!, { inputTokens: 512, outputTokens: 128 })).toThrow(/cannot time .*: cannot estimate/);
  });
});
