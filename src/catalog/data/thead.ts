/**
 * T-Head (Alibaba) Zhenwu PPU, the card of the largest block in the seed operator's fleet.
 * Memory, card link and power come from the CCTV coverage and real ppu-smi captures; its memory
 * bandwidth and compute peaks are not published anywhere we could reach and stay unknown.
 */
import { k, link, peak, u } from './builders.js';

export const file = 'src/catalog/data/thead.ts';

const impliedCompute = u(
  'n/f; the operator totals imply about 118.7 TFLOPS per card at an unstated precision (1945 P / 16384 cards, chips.md section 1): operator accounting, not a datasheet value',
);

export const records: unknown[] = [
  {
    id: 'thead-ppu',
    vendor: 'thead',
    names: { en: 'T-Head Zhenwu PPU (ZW810E)', zh: '平头哥 真武 PPU (810E)' },
    aliases: ['ppu', 'zw810e', 'ppu-zw810e', 'zhenwu', 'zhenwu-810e'],
    memoryGiB: k(96, 'A1,T1', 'press', 'ppu-smi and the gpustack detector report 98304 MiB (= 96 GiB) [T2][T4]'),
    memoryType: 'HBM2e',
    memBandwidthGBps: u('n/f; the 700 GB/s quoted on CCTV is the inter-chip bandwidth, not memory bandwidth'),
    densePeak: peak({
      fp32Tflops: u('n/f'),
      bf16Tflops: impliedCompute,
      fp16Tflops: impliedCompute,
      fp8Tflops: u('n/f'),
      int8Tops: u('n/f'),
    }),
    cardLink: link(
      'ICN (ICNLink)',
      k(700, 'A1,T1', 'press', '7 ICN links per device [T2][T3]; a doc example shows 50 GB/s per active link [T3]; 7 x 50 = 350 GB/s one way would square with 700 GB/s bidirectional (derived, unconfirmed)'),
    ),
    hostLink: link('PCIe 5.0 x16', u('bandwidth not stated')),
    tdpW: k(400, 'A1,A3,T2,T4', 'press', 'ppu-smi and the detector show a 400 W cap [T2][T4]'),
    formFactor: 'PCIe 5.0 x16 card',
    cardsPerServer: k(16, 'A1,T2,T4', 'derived', '16384 cards / 1024 servers = 16 (chips.md section 1); a real 16 x PPU host [T2]; "16 devices in ICN topo" [T4]'),
    software: {
      stack: 'sail',
      smiTool: 'ppu-smi',
      k8sResources: ['alibabacloud.com/ppu'],
      visibilityEnv: ['CUDA_VISIBLE_DEVICES'],
      runtimeEnv: ['NVIDIA_VISIBLE_DEVICES'],
      devicePaths: ['/dev/alixpu', '/dev/alixpu_ppuN'],
    },
    prices: [],
    notes: [
      'Reports itself as PPU-ZW810E, CUDA compute capability 8.0 (Ampere-class compatibility) through the SAIL SDK (HGGC runtime, /usr/local/PPU_SDK) [T2][T6][T7].',
      'MIG is supported (ppu-smi -L lists MIG g1.c1.i1 style devices) [T3].',
      'cudaMemGetInfo on PPU-SMI 1.22 / driver 1.6.3 may report free > total: clamp it.',
      'Family: Zhenwu 810, 810E, 805, 610, 610E [T4]. PCI vendor 1ded [G5].',
    ],
  },
];
