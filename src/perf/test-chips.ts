/**
 * Small literal chip records for tests of the performance model that must not depend on the
 * built-in catalog's current figures (which may be revised). Figures mirror chips.md section 2.
 */
import type { ChipSpec, Figure } from '../catalog/types.js';

const k = (value: number, source = 'test'): Figure => ({ value, source, confidence: 'datasheet' });
const u: Figure = { value: null, confidence: 'unknown' };

export function testChip(id: string, p: { mem: number | null; bw: number | null; bf16: number | null; fp8?: number | null; link?: number | null; tdp?: number; stack?: ChipSpec['software']['stack']; cps?: number; priceCnyPerHour?: number }): ChipSpec {
  return {
    id,
    vendor: 'nvidia',
    names: { en: id, zh: id },
    aliases: [],
    memoryGiB: p.mem === null ? u : k(p.mem),
    memoryType: null,
    memBandwidthGBps: p.bw === null ? u : k(p.bw),
    densePeak: { fp32Tflops: u, tf32Tflops: u, bf16Tflops: p.bf16 === null ? u : k(p.bf16), fp16Tflops: p.bf16 === null ? u : k(p.bf16), fp8Tflops: p.fp8 ? k(p.fp8) : u, int8Tops: u },
    cardLink: { name: 'link', bandwidthGBps: p.link ? k(p.link) : u },
    hostLink: { name: null, bandwidthGBps: u },
    tdpW: p.tdp ? k(p.tdp) : u,
    formFactor: null,
    cardsPerServer: k(p.cps ?? 8),
    software: { stack: p.stack ?? 'cuda', smiTool: null, k8sResources: [], visibilityEnv: [], runtimeEnv: [], devicePaths: [] },
    prices: p.priceCnyPerHour ? [{ kind: 'rent', cnyPerHour: p.priceCnyPerHour, source: 'test', confidence: 'declared' }] : [],
    notes: [],
  };
}

export const testChips = {
  h100: testChip('nvidia-h100', { mem: 80, bw: 3350, bf16: 989, fp8: 1979, link: 900, tdp: 700 }),
  h200: testChip('nvidia-h200', { mem: 141, bw: 4800, bf16: 989, fp8: 1979, link: 900, tdp: 700 }),
  h20: testChip('nvidia-h20', { mem: 96, bw: 4000, bf16: 148, fp8: 296, link: 900, tdp: 400 }),
  a100: testChip('nvidia-a100', { mem: 80, bw: 2039, bf16: 312, link: 600, tdp: 400 }),
  l20: testChip('nvidia-l20', { mem: 48, bw: 864, bf16: 119, tdp: 275 }),
  ppu: testChip('thead-ppu', { mem: 96, bw: null, bf16: null, link: 700, tdp: 400, stack: 'sail', cps: 16 }),
  ascend910b: testChip('ascend-910b', { mem: 64, bw: 1600, bf16: 320, link: 392, tdp: 400, stack: 'cann' }),
} as const;
