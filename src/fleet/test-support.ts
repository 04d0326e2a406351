/**
 * A small catalog for fleet tests while the built-in catalog is being written. Figures here are
 * the chips.md values the fleet tests rely on (BR104 bf16 512 T [B1], H20 bf16 148 T and 96 GB [N1][N2]);
 * everything else is unknown, as it is in chips.md.
 */
import { Catalog } from '../catalog/catalog.js';
import type { ChipSpec, Figure, Vendor } from '../catalog/types.js';

const unknown: Figure = { value: null, confidence: 'unknown' };

function chip(id: string, vendor: Vendor, aliases: string[], memoryGiB: number | null, bf16Tflops: number | null): ChipSpec {
  const fig = (v: number | null): Figure => (v === null ? unknown : { value: v, source: 'test', confidence: 'datasheet' });
  return {
    id,
    vendor,
    names: { en: id, zh: id },
    aliases,
    memoryGiB: fig(memoryGiB),
    memoryType: null,
    memBandwidthGBps: unknown,
    densePeak: { fp32Tflops: unknown, tf32Tflops: unknown, bf16Tflops: fig(bf16Tflops), fp16Tflops: unknown, fp8Tflops: unknown, int8Tops: unknown },
    cardLink: { name: null, bandwidthGBps: unknown },
    hostLink: { name: null, bandwidthGBps: unknown },
    tdpW: unknown,
    formFactor: null,
    cardsPerServer: unknown,
    software: { stack: 'unknown', smiTool: null, k8sResources: [], visibilityEnv: [], runtimeEnv: [], devicePaths: [] },
    prices: [],
    notes: [],
  };
}

export function testCatalog(): Catalog {
  return new Catalog([
    chip('thead-ppu', 'thead', ['ppu'], 96, null),
    chip('metax-c500', 'metax', ['c500'], 64, null),
    chip('biren-br104', 'biren', ['br104', 'br104p'], 32, 512),
    chip('zhonghao-chana', 'zhonghao', ['chana'], null, null),
    chip('nvidia-h20', 'nvidia', ['h20'], 96, 148),
    chip('ascend-910b', 'huawei', ['910b'], 64, null),
    chip('mthreads-s4000', 'mthreads', ['s4000'], 48, null),
    chip('nvidia-t4', 'nvidia', ['t4'], null, null),
    chip('nvidia-p100', 'nvidia', ['p100'], null, null),
    chip('nvidia-v100-16g', 'nvidia', [], null, null),
    chip('nvidia-v100-32g', 'nvidia', [], null, null),
    chip('nvidia-a10', 'nvidia', ['a10'], null, null),
    chip('nvidia-a100', 'nvidia', ['a100'], null, null),
    chip('nvidia-a800', 'nvidia', ['a800'], null, null),
    chip('nvidia-h800', 'nvidia', ['h800'], null, null),
    chip('openb-g1', 'alibaba', [], null, null),
    chip('openb-g2', 'alibaba', [], null, null),
    chip('openb-g3', 'alibaba', [], null, null),
  ]);
}
