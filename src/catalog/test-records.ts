/**
 * A minimal valid chip record and a source list, shared by the catalog tests (and usable by other
 * folders' tests that need a small catalog). Not part of the public index.
 */
import type { SourceRef } from './types.js';

export const testSources: SourceRef[] = [
  { key: 'X1', description: 'https://example.com/x100 (test datasheet)' },
  { key: 'X2', description: 'https://example.com/x100-press (test press page)' },
];

/** A complete, valid raw record; tests clone it and break one field. */
export function validRecord(id = 'acme-x100', aliases: string[] = ['x100']): Record<string, unknown> {
  const unknown = { value: null, confidence: 'unknown' };
  return {
    id,
    vendor: 'nvidia',
    names: { en: 'Acme X100', zh: '测试 X100' },
    aliases,
    memoryGiB: { value: 64, source: 'X1', confidence: 'datasheet' },
    memoryType: 'HBM3',
    memBandwidthGBps: { value: 2000, source: 'X1', confidence: 'datasheet' },
    densePeak: {
      fp32Tflops: { ...unknown },
      tf32Tflops: { ...unknown },
      bf16Tflops: { value: 200, source: 'X1', confidence: 'datasheet' },
      fp16Tflops: { value: 200, source: 'X1', confidence: 'datasheet' },
      fp8Tflops: { ...unknown },
      int8Tops: { value: 400, source: 'X1,X2', confidence: 'press' },
    },
    cardLink: { name: 'XLink', bandwidthGBps: { value: 300, source: 'X2', confidence: 'press' } },
    hostLink: { name: 'PCIe 5.0 x16', bandwidthGBps: { ...unknown } },
    tdpW: { value: 350, source: 'X1', confidence: 'datasheet', alternatives: [{ value: 400, source: 'X2', confidence: 'press' }], primaryReason: 'the vendor datasheet' },
    formFactor: 'PCIe card',
    cardsPerServer: { value: 8, source: 'X1', confidence: 'derived', note: '64 cards / 8 servers' },
    software: { stack: 'cuda', smiTool: 'nvidia-smi', k8sResources: ['nvidia.com/gpu'], visibilityEnv: ['CUDA_VISIBLE_DEVICES'], runtimeEnv: [], devicePaths: [] },
    prices: [],
    notes: [],
  };
}
