import { describe, expect, it } from 'vitest';
import { isTesseraError } from '../lib/errors.js';
import { findModelPreset } from '../workload/models/presets.js';
import { modelShape } from '../workload/models/shape.js';
import { estimateTrain } from './train.js';
import { testChips } from './test-chips.js';
import type { TrainEstimate, TrainResult } from './types.js';
import { GiB } from './validate-input.js';

const m7 = findModelPreset('llama-2-7b')!;
const m70 = findModelPreset('llama-3.1-70b')!;
const near = (a: number, b: number): void => expect(Math.abs(a / b - 1)).toBeLessThan(2e-3);

function ok(r: TrainResult): TrainEstimate {
  if (r.kind !== 'train') throw new Error(`expected an estimate, got ${r.kind}: ${r.reason}`);
  return r;
}

describe('training estimate', () => {
  it('worked arithmetic: Llama-2-7B on 8 cards, ZeRO-1', () => {
    const r = ok(estimateTrain({ model: m7, chip: testChips.h100, cards: 8, seqLen: 4096, globalBatchTokens: 128 * 4096 }));
    const p = modelShape(m7).totalParams; // 6.74e9
    // bf16 weights: 2 bytes per parameter = 13.5e9 bytes; bf16 gradients likewise; Adam fp32 master + m + v = 12 bytes, sharded over 8
    near(r.memory.weights * GiB, p * 2);
    near(r.memory.gradients * GiB, p * 2);
    near(r.memory.optimizer * GiB, (p * 12) / 8);
    expect(r.layout).toMatchObject({ tp: 1, pp: 1, dp: 8, zero: 1, microBatches: 16 });
    // MFU = model FLOPs per token x tokens/s per card / peak
    near(r.mfu, (r.modelFlopsPerToken * r.tokensPerSecPerCard) / 1e12 / 989);
    expect(r.mfu).toBeGreaterThan(0.2);
    expect(r.mfu).toBeLessThan(0.7);
    // time for the token budget = tokens / tokens per second
    near(r.timeSec, r.tokens / r.tokensPerSec);
  });

  it('ZeRO-3 shards weights and gradients as well', () => {
    const z1 = ok(estimateTrain({ model: m7, chip: testChips.h100, cards: 8, seqLen: 2048, zero: 1 }));
    const z3 = ok(estimateTrain({ model: m7, chip: testChips.h100, cards: 8, seqLen: 2048, zero: 3 }));
    near(z3.memory.weights, z1.memory.weights / 8);
    near(z3.memory.gradients, z1.memory.gradients / 8);
  });

  it('a model that does not fit says so, with the memory it needs', () => {
    const r = estimateTrain({ model: m70, chip: testChips.h100, cards: 1, seqLen: 4096 });
    expect(r.kind).toBe('infeasible');
    if (r.kind !== 'infeasible') return;
    expect(r.fits).toBe(false);
    expect(r.reason).toMatch(/^does not fit: needs \d+/);
    expect(r.memoryPerCardGiB).toBeGreaterThan(1000);
  });

  it('recomputation is chosen only when needed, and costs throughput', () => {
    const free = ok(estimateTrain({ model: m7, chip: testChips.h100, cards: 8, seqLen: 4096 }));
    const full = ok(estimateTrain({ model: m7, chip: testChips.h100, cards: 8, seqLen: 4096, recompute: 'full' }));
    expect(free.layout.recompute).toBe('none');
    expect(full.memory.activations).toBeLessThan(free.memory.activations);
    expect(full.tokensPerSecPerCard).toBeLessThan(free.tokensPerSecPerCard);
  });

  it('LoRA needs less memory and runs faster than full fine-tuning', () => {
    const full = ok(estimateTrain({ model: m7, chip: testChips.h100, cards: 8, seqLen: 4096 }));
    const lora = ok(estimateTrain({ model: m7, chip: testChips.h100, cards: 8, seqLen: 4096, method: 'lora', loraRank: 16 }));
    expect(lora.memoryPerCardGiB).toBeLessThan(full.memoryPerCardGiB);
    expect(lora.tokensPerSecPerCard).toBeGreaterThan(full.tokensPerSecPerCard);
    // rank 16 on all 7 linear layers of 32 layers: 16 x 32 x (3x(4096+4096) + (4096+4096) + 2x(4096+11008) + (11008+4096))
    const expected = 16 * 32 * (4 * 8192 + 3 * 15104);
    expect(lora.assumptions.find((a) => a.name === 'LoRA')?.value).toContain(`${Math.round(expected / 1e4) / 100}M`);
  });

  it('a faster chip trains faster; more cards give more total throughput', () => {
    const a100 = ok(estimateTrain({ model: m7, chip: testChips.a100, cards: 8, seqLen: 4096 }));
    const h100 = ok(estimateTrain({ model: m7, chip: testChips.h100, cards: 8, seqLen: 4096 }));
    const h100x16 = ok(estimateTrain({ model: m7, chip: testChips.h100, cards: 16, seqLen: 4096 }));
    expect(h100.tokensPerSec).toBeGreaterThan(a100.tokensPerSec);
    expect(h100x16.tokensPerSec).toBeGreaterThan(h100.tokensPerSec);
  });

  it('impossible layouts are infeasible with the reason', () => {
    expect(estimateTrain({ model: m70, chip: testChips.h100, cards: 8, tp: 3, seqLen: 1024 })).toMatchObject({ kind: 'infeasible', reason: expect.stringMatching(/cards \(8\) must be a multiple|tp \(3\) must divide/) });
    expect(estimateTrain({ model: m70, chip: testChips.h100, cards: 8, tp: 8, pp: 2, seqLen: 1024 })).toMatchObject({ kind: 'infeasible', reason: expect.stringMatching(/needs more cards than the 8 given/) });
  });

  it('bad input is rejected with one clear sentence naming the field', () => {
    for (const [field, req] of [
      ['seq', { seqLen: 0 }],
      ['cards', { seqLen: 10, cards: -1 }],
      ['global batch tokens', { seqLen: 10, globalBatchTokens: 0.5 }],
    ] as const) {
      try {
        estimateTrain({ model: m7, chip: testChips.h100, cards: 8, ...req });
        expect.unreachable();
      } catch (e) {
        expect(isTesseraError(e)).toBe(true);
        expect((e as Error).message).toContain(field);
      }
    }
  });

  it('an unknown peak without a declaration cannot be estimated; a declaration lowers confidence', () => {
    const r = estimateTrain({ model: m7, chip: testChips.ppu, cards: 16, seqLen: 4096 });
    expect(r).toMatchObject({ kind: 'cannot-estimate', missing: ['densePeak.bf16Tflops'] });
    const d = ok(estimateTrain({ model: m7, chip: testChips.ppu, cards: 16, seqLen: 4096, declared: { bf16Tflops: 118.7, source: 'contract: 1945 P over 16384 cards' } }));
    expect(d.confidence).toBe('low');
    expect(d.confidenceReasons.join(' ')).toMatch(/operator-declared/);
    expect(d.peakTflopsPerCard).toBe(118.7);
  });

  it('a declaration fills gaps only: it never replaces a catalog figure', () => {
    const r = ok(estimateTrain({ model: m7, chip: testChips.h100, cards: 8, seqLen: 4096, declared: { bf16Tflops: 100, source: 'contract' } }));
    expect(r.peakTflopsPerCard).toBe(989);
    expect(r.confidence).toBe('high');
  });

  it('MoE: expert parallelism shards the experts, and only active experts cost FLOPs', () => {
    const ds = findModelPreset('deepseek-v3')!;
    const r = ok(estimateTrain({ model: ds, chip: testChips.h200, cards: 256, pp: 8, ep: 32, seqLen: 4096, precision: 'fp8' }));
    expect(r.layout.ep).toBe(32);
    // 6 x ~37B active parameters (plus attention), far below 6 x 671B
    expect(r.modelFlopsPerToken).toBeLessThan(6 * 60e9);
    expect(r.modelFlopsPerToken).toBeGreaterThan(6 * 30e9);
  });
});
